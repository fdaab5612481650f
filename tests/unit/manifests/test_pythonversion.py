"""dkenv/manifests/pythonversion.py: the project's Python constraint (directly and through detection.inspect)."""
from __future__ import annotations

import pytest

from dkenv.detect import detection

from dkenv.manifests import pythonversion
from tests.unit.conftest import tree


def constraint(parse, text: str) -> pythonversion.PythonConstraint:
    alternatives, pinned = parse(text)
    return pythonversion.PythonConstraint("test", text, pinned, alternatives)


def spec(text: str) -> pythonversion.PythonConstraint:
    return constraint(pythonversion.from_specifier, text)


def poetry(text: str) -> pythonversion.PythonConstraint:
    return constraint(pythonversion.from_poetry, text)


def version(text: str) -> pythonversion.PythonConstraint:
    return constraint(pythonversion.from_version_file, text)


@pytest.mark.parametrize("text, allowed", [
    (">=3.10,<3.13", ["3.10", "3.11", "3.12"]),
    (">=3.10", ["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]),
    (">= 3.9, < 4", ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]),
    (">=3.6", pythonversion.KNOWN),
    (">=3.8,!=3.8.*,!=3.9.*,<3.12", ["3.10", "3.11"]),
    ("~=3.11.2", ["3.11"]),
    ("~=3.11", ["3.11", "3.12", "3.13", "3.14", "3.15"]),
    ("==3.12.*", ["3.12"]),
    (">3.12", ["3.12", "3.13", "3.14", "3.15"]),  # PEP 440: 3.12.1 is > 3.12
    (">3.12.0", ["3.12", "3.13", "3.14", "3.15"]),
    ("<=3.9", ["3.8", "3.9"]),  # 3.9.0 only, but that is a 3.9
    ("<3.12.4", ["3.8", "3.9", "3.10", "3.11", "3.12"]),  # 3.12.0 to 3.12.3
    ("<3.12", ["3.8", "3.9", "3.10", "3.11"]),
    ("!=3.12.*", ["3.8", "3.9", "3.10", "3.11", "3.13", "3.14", "3.15"]),
    ("!=3.12.0", pythonversion.KNOWN),  # 3.12.1 is a 3.12
    (">3.12.2,<3.12.4", ["3.12"]),  # 3.12.3 only
    (">=3.12,<=3.12", ["3.12"]),
    ("==3.12.4.1", []),  # not an X.Y.Z
    ("<3.12.0rc1", ["3.8", "3.9", "3.10", "3.11"]),  # no final 3.12 is below its first release candidate
    (">=3.12.0rc1,<3.13", ["3.12"]),
    ("===3.12.1", ["3.12"]),
    (">=3.16", []),
    ("<3.8", []),
])
def test_a_specifier_allows_a_range(text, allowed):
    constraint = spec(text)
    assert constraint.allowed() == allowed
    assert constraint.pinned is False
    assert constraint.verb == "allows"


@pytest.mark.parametrize("text, allowed", [
    ("^3.11", ["3.11", "3.12", "3.13", "3.14", "3.15"]),
    ("^3.10", ["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]),
    ("~3.10", ["3.10"]),
    ("~3.9.2", ["3.9"]),
    ("~3", pythonversion.KNOWN),
    ("3.11", ["3.11"]),  # a bare version: ==3.11
    ("=3.11", ["3.11"]),
    ("3.11.*", ["3.11"]),
    (">=3.8 <3.12", ["3.8", "3.9", "3.10", "3.11"]),  # clauses apart by a space
    (">=3.10,<3.13", ["3.10", "3.11", "3.12"]),  # PEP 440 as it is
    ("^3.9 || ^3.12", ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]),
    ("~3.9 || ~3.12", ["3.9", "3.12"]),
    (">=3.8,<3.10 || >=3.12", ["3.8", "3.9", "3.12", "3.13", "3.14", "3.15"]),
    (">=3.8,<4.0 || >=4.1", pythonversion.KNOWN),
    (">=3.16", []),
])
def test_a_poetry_constraint_is_translated_to_pep440(text, allowed):
    constraint = poetry(text)
    assert constraint.allowed() == allowed
    assert constraint.pinned is False


@pytest.mark.parametrize("text, pep440", [
    ("^3.11", ["<4,>=3.11"]),
    ("^0.2.3", ["<0.3,>=0.2.3"]),
    ("~3.11", ["<3.12,>=3.11"]),
    ("~3", ["<4,>=3"]),
    ("3.11.*", ["==3.11.*"]),
    (">=3.8 <4.0 || >=4.1", ["<4.0,>=3.8", ">=4.1"]),
])
def test_what_poetry_constraints_become(text, pep440):
    assert [str(s) for s in pythonversion.from_poetry(text)[0]] == pep440


@pytest.mark.parametrize("text", ["^3.11", "3.11", ">=3.8 <3.12", "python3", ">=three", ">=3.8.*", "~=3"])
def test_an_invalid_pep440_specifier_is_none(text):
    assert pythonversion.from_specifier(text) is None


@pytest.mark.parametrize("text", ["python3", ">=three", "^three", "||", ">=3.8 ||", ">=3.8<3.12", "~=3"])
def test_a_poetry_constraint_not_understood_is_none(text):
    assert pythonversion.from_poetry(text) is None


@pytest.mark.parametrize("text, allowed, pinned", [
    ("3.12.1", ["3.12"], True),
    ("3.12", ["3.12"], True),
    ("python-3.11.4", ["3.11"], True),
    ("cpython-3.13.0-linux-x86_64-gnu", ["3.13"], True),
    ("3.13t", ["3.13"], True),
    ("3", pythonversion.KNOWN, False),  # Pipfile python_version = "3": any 3.x
])
def test_a_version_file_names_one_minor_or_any(text, allowed, pinned):
    constraint = version(text)
    assert (constraint.allowed(), constraint.pinned) == (allowed, pinned)


@pytest.mark.parametrize("text", ["pypy3.10", "system", "2.7.18", "3x", "30", "31.1"])
def test_version_files_that_say_nothing(text):
    assert pythonversion.from_version_file(text) is None


def test_str_says_where_and_what():
    found = pythonversion.PythonConstraint("pyproject.toml requires-python", ">=3.10", False,
                                           pythonversion.from_specifier(">=3.10")[0])
    assert str(found) == "pyproject.toml requires-python '>=3.10'"
    assert found.allows("3.10") and not found.allows("3.9")


def test_runtime_txt(tmp_path):
    tree(tmp_path, {"runtime.txt": "python-3.11.4\n"})
    found = detection.inspect(tmp_path).python_constraint
    assert (found.source, found.text, found.pinned, found.allowed()) == ("runtime.txt", "python-3.11.4", True, ["3.11"])


def test_python_version_file_wins_over_requires_python(tmp_path):
    tree(tmp_path, {".python-version": "# pinned\n3.13\n",
                    "pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.10'\n",
                    "runtime.txt": "python-3.9.1\n"})
    found = detection.inspect(tmp_path)
    assert (found.python_constraint.source, found.python_constraint.text) == (".python-version", "3.13")
    assert "python 3.13 (from .python-version)" in found.notes


def test_a_range_stays_a_range(tmp_path):
    tree(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.10'\n"})
    found = detection.inspect(tmp_path)
    assert found.python_constraint.allowed() == ["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]
    assert "python >=3.10 (from pyproject.toml requires-python)" in found.notes


def test_pipfile_python_version_3_is_any_3x(tmp_path):
    tree(tmp_path, {"Pipfile": '[packages]\nsix = "*"\n[requires]\npython_version = "3"\n'})
    found = detection.inspect(tmp_path).python_constraint
    assert (found.source, found.allowed()) == ("Pipfile [requires] python_version", pythonversion.KNOWN)
    assert not any("ignored" in note for note in detection.inspect(tmp_path).notes)


def test_pipfile_full_version_pins_its_minor(tmp_path):
    tree(tmp_path, {"Pipfile": '[requires]\npython_full_version = "3.10.4"\n'})
    found = detection.inspect(tmp_path).python_constraint
    assert (found.source, found.pinned, found.allowed()) == ("Pipfile [requires] python_full_version", True, ["3.10"])


def test_unusable_python_version_falls_through_with_a_note(tmp_path):
    tree(tmp_path, {".python-version": "pypy3.10\n", "runtime.txt": "python-3.11.4\n"})
    found = detection.inspect(tmp_path)
    assert found.python_constraint.source == "runtime.txt"
    assert any(".python-version" in note and "pypy3.10" in note for note in found.notes)


def test_nothing_names_a_version(tmp_path):
    tree(tmp_path, {"requirements.txt": "six\n", "pyproject.toml": "[project]\nname = 'x'\nrequires-python = '*'\n"})
    assert detection.inspect(tmp_path).python_constraint is None


def test_a_uv_workspace_root_says_it_in_its_lock(tmp_path):
    """The root of a uv workspace may have no requires-python; uv.lock has the members' one."""
    tree(tmp_path, {"pyproject.toml": "[tool.uv.workspace]\nmembers = ['backend']\n",
                    "uv.lock": 'version = 1\nrevision = 3\nrequires-python = ">=3.10, <4.0"\n\n[[package]]\n'
                               'name = "x"\nrequires-python = ">=3.8"\n'})
    found = detection.inspect(tmp_path).python_constraint
    assert (found.source, found.text) == ("uv.lock requires-python", ">=3.10, <4.0")
    assert found.allowed()[0] == "3.10"


def test_requires_python_wins_over_the_lock(tmp_path):
    tree(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.12'\n",
                    "uv.lock": 'version = 1\nrequires-python = ">=3.10"\n'})
    assert detection.inspect(tmp_path).python_constraint.source == "pyproject.toml requires-python"


def test_an_invalid_requires_python_is_a_note_and_the_next_source_answers(tmp_path):
    tree(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '^3.11'\n",
                    "runtime.txt": "python-3.12.2\n"})
    found = detection.inspect(tmp_path)
    assert found.python_constraint.source == "runtime.txt"
    assert "pyproject.toml requires-python: '^3.11' is not a valid version specifier (PEP 440); ignored" \
        in found.notes


def test_poetrys_python_is_translated_and_a_star_says_nothing(tmp_path):
    tree(tmp_path, {"pyproject.toml": "[tool.poetry.dependencies]\npython = '^3.10 || ~3.8'\n"})
    found = detection.inspect(tmp_path)
    assert found.python_constraint.allowed() == ["3.8", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]
    tree(tmp_path, {"pyproject.toml": "[tool.poetry.dependencies]\npython = '*'\n"})
    found = detection.inspect(tmp_path)
    assert found.python_constraint is None
    assert not any("ignored" in note for note in found.notes)
    tree(tmp_path, {"pyproject.toml": "[tool.poetry.dependencies]\npython = '>=3.8 <<4'\n"})
    assert any("python: '>=3.8 <<4' is not a version constraint dkenv understands" in note
               for note in detection.inspect(tmp_path).notes)


def test_the_projects_dockerfile_says_it_last(tmp_path):
    tree(tmp_path, {"Dockerfile": "ARG X=1\nFROM --platform=linux/amd64 docker.io/library/python:3.10.2-slim AS b\n"
                                  "FROM b\n"})
    found = detection.inspect(tmp_path).python_constraint
    assert (found.source, found.allowed()) == ("Dockerfile's FROM docker.io/library/python:3.10.2-slim", ["3.10"])
    tree(tmp_path, {"docker/local.Dockerfile": "FROM python:3.9-bullseye\n"})
    assert detection.inspect(tmp_path).python_constraint.allowed() == ["3.9"]  # a development one first
    tree(tmp_path, {"runtime.txt": "python-3.13.1\n"})
    assert detection.inspect(tmp_path).python_constraint.source == "runtime.txt"  # the project's own files win


@pytest.mark.parametrize("dockerfile, source, allowed", [
    # the final stage runs: a tooling stage before it says nothing
    ("FROM python:3.9 AS lint\nRUN ruff .\nFROM node:20 AS assets\nFROM python:3.12-slim\n",
     "Dockerfile's FROM python:3.12-slim", ["3.12"]),
    # the final stage FROM an earlier one, its image through the ARG default
    ("ARG PY=3.11\nFROM python:${PY}-slim AS base\nFROM base AS dev\nFROM base\nCOPY . /app\n",
     "Dockerfile's FROM python:3.11-slim", ["3.11"]),
    # a final stage on another image runs what the (last) python stage built
    ("FROM python:3.10 AS old\nFROM python:3.12 AS build\nRUN pip install --target /deps .\n"
     "FROM gcr.io/distroless/python3-debian12\nCOPY --from=build /deps /deps\n",
     "Dockerfile's FROM python:3.12 (stage build; the final one is FROM gcr.io/distroless/python3-debian12)",
     ["3.12"]),
    # an image it cannot know (a build argument without a default) is not a python image
    ("ARG PY\nFROM python:${PY}\n", None, None),
])
def test_a_multi_stage_dockerfile_says_the_python_that_runs(tmp_path, dockerfile, source, allowed):
    tree(tmp_path, {"Dockerfile": dockerfile})
    found = detection.inspect(tmp_path).python_constraint
    assert (found and (found.source, found.allowed())) == (source and (source, allowed))


def test_a_dockerfile_on_another_image_says_nothing(tmp_path):
    tree(tmp_path, {"Dockerfile": "FROM ubuntu:24.04\nRUN apt-get install python3\n"})
    assert detection.inspect(tmp_path).python_constraint is None


@pytest.mark.parametrize("spec, allowed, pinned", [
    ("python=3.11", ["3.11"], True), ("python 3.12.*", ["3.12"], True), ("python==3.10.4", ["3.10"], True),
    ("conda-forge::python>=3.12,<3.14", ["3.12", "3.13"], False)])
def test_a_conda_environment_names_its_python(tmp_path, spec, allowed, pinned):
    tree(tmp_path, {"environment.yml": f"name: x\ndependencies:\n  - {spec}\n  - numpy\n"})
    found = detection.inspect(tmp_path).python_constraint
    assert (found.source, found.allowed(), found.pinned) == ("environment.yml python", allowed, pinned)
