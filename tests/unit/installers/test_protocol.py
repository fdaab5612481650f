"""Every installer answers every question of the protocol (installers/base.py), on its own
fixture project: a new installer cannot forget one, nor leave the generic modules to
branch on its name. Its fixture is tests/data/NAME-app (pip: examples/django-hello)."""
from __future__ import annotations

import ast
import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from dkenv import installers
from dkenv.installers.base import Choices, Found, Inputs, Installer
from tests.unit.installers.helpers import DATA, no_detection, plan

EXAMPLES = DATA.parents[1] / "examples"
FIXTURES = {"pip": EXAMPLES / "django-hello"}  # the others: tests/data/NAME-app
EVERY = [i.name for i in installers.all_installers()]
PACKAGE = Path(installers.__file__).parent


def fixture(name: str, tmp_path: Path) -> Path:
    source = FIXTURES.get(name, DATA / f"{name}-app")
    assert source.is_dir(), f"installer {name}: add its fixture project {source} (tests/unit/installers/test_protocol.py)"
    shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("data", ".dkenv", "__pycache__"))
    return tmp_path / name


def test_every_installer_module_is_found_and_the_names_and_priorities_are_unique():
    helpers = {"base", "standard", "failures", "editable", "uvworkspace"}  # modules that define no installer
    # (scripts/ holds what runs inside the image: conda_env.py, run by the tools venv, never imported)
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"} - helpers
    assert sorted(type(i).__module__.rpartition(".")[2] for i in installers.all_installers()) == sorted(modules)
    assert len(set(EVERY)) == len(EVERY) and "none" not in EVERY and "auto" not in EVERY
    priorities = [i.priority for i in installers.all_installers()]
    assert len(set(priorities)) == len(priorities) and priorities == sorted(priorities)


@pytest.mark.parametrize("name", EVERY)
def test_it_declares_what_the_generic_modules_ask(name):
    installer = installers.get(name)
    assert re.fullmatch(r"[a-z][a-z0-9-]*", installer.name)
    assert isinstance(installer.priority, int)
    assert all(isinstance(t, str) and t for t in installer.tools)
    assert all(isinstance(m, str) and m for m in installer.manifests)
    assert installer.lock_file is None or installer.lock_file in installer.manifests
    assert set(installer.selects) <= {"extras", "groups"}
    assert isinstance(installer.installs_project, bool) and isinstance(installer.takes_requirements, bool)
    assert installer.declared_in and isinstance(installer.declared_in, str)
    assert installer.add_command.split()[0].startswith("/opt/")  # an absolute command in the image
    advice = installer.newer("some-package")
    assert isinstance(advice, str) and advice and not advice.endswith(".")  # a clause inside a sentence
    # what the Dockerfile and the build log ask each installer is defined by it or by the base
    for method in ("claims", "read", "steps"):
        assert getattr(type(installer), method) is not getattr(Installer, method), f"{name} has no {method}"


@pytest.mark.parametrize("name", EVERY)
def test_it_answers_every_question_on_its_own_project(name, tmp_path):
    installer = installers.get(name)
    root = fixture(name, tmp_path)
    folder = installers.Folder.load(root)
    assert installer.claims(folder) is True
    assert installers.detect(folder) is installer  # detection picks it, before every other
    assert (root / installer.declared_in).is_file()  # where a package installed by hand is added
    found = installer.read(folder)
    assert isinstance(found, Found) and found.names and found.notes
    choices = installer.choices(folder)
    assert isinstance(choices, Choices)
    assert set(choices.default_extras) <= set(choices.extras) and set(choices.default_groups) <= set(choices.groups)
    requirements = found.requirements if installer.takes_requirements else []
    inputs = installer.inputs(root, requirements, no_detection)
    assert isinstance(inputs, Inputs) and inputs.files
    installer.own_package(root, inputs)
    steps = installer.steps(plan(name, **_plan_fields(inputs)))
    assert steps and all(isinstance(s, str) and s for s in steps)
    main = installer.main_requirements(root)
    assert bool(main) is installer.takes_requirements  # pip's main file; no other takes files
    names = installer.main_names(root, main, ["3.11"])
    assert isinstance(names, dict) and names and set(names) <= set(found.names)


@pytest.mark.parametrize("name", EVERY)
def test_it_recognises_only_its_tools_words(name):
    installer = installers.get(name)
    assert installer.recognise([]) is None
    assert installer.recognise(["Step 5/9 : RUN true", "everything is fine"]) is None


def _plan_fields(inputs: Inputs) -> dict:
    return {"requirements": inputs.requirements, "constraints": inputs.constraints, "install_args": inputs.args,
            "editables": inputs.editables, "extras": inputs.extras, "groups": inputs.groups,
            "hashes": inputs.hashes, "locked": True}


def test_the_plan_fields_are_the_inputs_fields():
    """_plan_fields above carries every field of Inputs but the files (a new one must reach the plan)."""
    carried = {"requirements", "constraints", "args", "editables", "extras", "groups", "hashes"}
    assert {f.name for f in dataclasses.fields(Inputs)} - {"files"} == carried


def test_no_module_outside_installers_branches_on_an_installers_name():
    """The generic modules ask the installer (installers.get(name)), never compare its name
    nor keep a table by installer (checked on main before the move: it found both)."""
    names = "|".join(EVERY)
    compare = re.compile(rf"""\b(install|manager|installer)\b[\w.()]*\s*(==|!=|in)\s*[(\[{{]?\s*["']({names})["']""")
    found = []
    for path in sorted(PACKAGE.parent.rglob("*.py")):
        if PACKAGE in path.parents:
            continue
        text, where = path.read_text(encoding="utf-8"), path.relative_to(PACKAGE.parent)
        found += [f"{where}:{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1) if compare.search(line)]
        for node in ast.walk(ast.parse(text)):
            keys = [k.value for k in getattr(node, "keys", []) if isinstance(node, ast.Dict) and isinstance(k, ast.Constant)]
            if len(set(keys) & set(EVERY)) >= 2:
                found.append(f"{where}:{node.lineno}: a table by installer ({', '.join(sorted(set(keys) & set(EVERY)))})")
    assert found == []
