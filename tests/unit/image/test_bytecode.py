"""dkenv/image/bytecode.py: the development image's bytecode policy, in both renderings and
the incremental step (the Docker side: tests/docker/test_bytecode.py)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap

import pytest

from dkenv import hostuser
from dkenv.image import bytecode, dockerfile as d, incrementalstep, plan as image_plan
from dkenv.project import config
from dkenv.project.project import Project
from tests.helpers import wait_until

USER = hostuser.User(name="alice", uid=1000, gid=1000)
ROOT = hostuser.User(name="root", uid=0, gid=0)
PREFIX = "/home/alice/.cache/pycache"


def plan(**kw) -> d.ImagePlan:
    values = dict(base="python:3.11-slim-bookworm", python="3.11", python_from="image", install="pip",
                  user=USER, requirements=["requirements.txt"], project="demo", version="9.9.9")
    values.update(kw)
    values.setdefault("pycache", bytecode.prefix(values["python"], values["install"], values["user"]))
    return d.ImagePlan(**values)


def both(p: d.ImagePlan) -> list[str]:
    return [d.render(p), d.render_buildkit(p)]


def venv_installs(text: str) -> list[str]:
    """Every pip install into the project's venv (not the tools' own venv)."""
    return re.findall(r"/opt/venv/bin/(?:python -m )?pip install[^\n\\]*", text)


def env_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("ENV ")]


@pytest.mark.parametrize("python, install, user, expected", [
    ("3.11", "pip", USER, PREFIX),
    ("3.8", "uv", USER, PREFIX),
    ("3.10", "poetry", USER, PREFIX),  # compared as numbers: "3.10" > "3.8"
    ("3.14", "none", ROOT, "/root/.cache/pycache"),
    ("3.7", "pip", USER, None),  # PYTHONPYCACHEPREFIX is 3.8's: 3.7 would write beside the source
    ("3.6", "pip", USER, None),
    (None, "pip", USER, None),  # the base image's own, of any version
    ("3.11", "conda", USER, None),  # the project's Python is the environment's own, of any version
])
def test_the_prefix_only_where_the_python_is_known_to_honour_it(python, install, user, expected):
    assert bytecode.prefix(python, install, user) == expected


@pytest.mark.parametrize("install, tools", [
    ("pip", ()), ("pyproject", ()), ("poetry", ("poetry",)), ("pipenv", ("pipenv",)), ("pdm", ("'pdm[locked]'",))])
def test_nothing_is_compiled_at_build_and_the_last_env_sets_the_prefix(install, tools):
    p = plan(install=install, debugpy=True, editables=[".dkenv-editable/p-0-py3-none-any.whl"])
    for text in both(p):
        first, last = env_lines(text)[0], env_lines(text)[-1]
        assert "PYTHONDONTWRITEBYTECODE=1" in first  # the build writes no bytecode
        assert last == f"ENV PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX={PREFIX}"
        assert text.index(last) > text.index("debugpy") > text.index("# dependencies")
        assert text.index(last) < text.index("\nWORKDIR /\n")
        assert "UV_COMPILE_BYTECODE" not in text
        # compileall only for the standard library, into the prefix, in the venv's layer
        assert [line.strip() for line in text.splitlines() if "compileall" in line] == [f"&& {bytecode.stdlib(PREFIX)[0]}"]
        assert text.index("compileall") < text.index("# dependencies")
        installs = venv_installs(text)
        assert installs and all("--no-compile" in line for line in installs), installs
        # the installer's own tools (their own venv, run at build) stay compiled
        assert all(f"/opt/dkenv-tools/bin/pip install --no-cache-dir {t}" in text for t in tools)
        assert all("--no-compile" not in line for line in re.findall(r"/opt/dkenv-tools/bin/pip install[^\n]*", text))
        assert 'install -d -o "$uid" -g "$gid" "$home/.cache" "$home/.cache/pycache"' in text
        assert text.count("ENV PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=") == 1  # the stdlib line sets its own


def test_uv_gets_no_compile_flag_and_root_no_user_section():
    for text in both(plan(install="uv", locked=True, requirements=[], user=ROOT)):
        assert "UV_COMPILE_BYTECODE" not in text and "useradd" not in text
        assert env_lines(text)[-1] == "ENV PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=/root/.cache/pycache"


@pytest.mark.parametrize("python", ["3.7", None])
def test_without_a_python_known_to_be_38_the_image_compiles_at_install_as_before(python):
    p = plan(python=python, debugpy=True)
    assert p.pycache is None
    classic, buildkit = both(p)
    for text in (classic, buildkit):
        assert "PYTHONPYCACHEPREFIX" not in text and ".cache/pycache" not in text and "--no-compile" not in text
        assert [line for line in env_lines(text) if "BYTECODE=" in line] == [
            "ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 LANG=C.UTF-8"]
    assert "UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1;" in buildkit  # uv compiles as pip does
    step = incrementalstep.render(p, "dkenv/p:abc", cache=True)
    assert " -m compileall -qq " in step and "PYTHONDONTWRITEBYTECODE" not in step


def test_conda_keeps_compiling():
    p = plan(install="conda", requirements=[])
    assert p.pycache is None and "PYTHONPYCACHEPREFIX" not in d.render(p)


@pytest.mark.parametrize("cache", [True, False])
@pytest.mark.parametrize("install, locked", [("pip", False), ("uv", True)])
def test_the_incremental_step_compiles_nothing_and_writes_no_bytecode_into_the_image(install, locked, cache):
    p = plan(install=install, locked=locked, requirements=[] if install == "uv" else ["requirements.txt"],
             debugpy=True)
    text = incrementalstep.render(p, "dkenv/p:abc", cache=cache)
    lines = text.splitlines()
    assert lines[lines.index("FROM dkenv/p:abc") + 1] == "ENV PYTHONDONTWRITEBYTECODE=1"
    assert "compileall" not in text and "UV_COMPILE_BYTECODE" not in text
    assert "pip install --no-cache-dir --no-compile debugpy" in text
    # the image's own ENV again, after every step that runs Python
    last = env_lines(text)[-1]
    assert last == f"ENV PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX={PREFIX}"
    assert text.index(last) > text.index("debugpy") and text.rstrip().endswith("USER 1000:1000")


def project(root, toml: str, tree: dict[str, str]) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in tree.items():
        (root / rel).write_text(text)
    (root / ".dkenv.toml").write_text(textwrap.dedent(toml))
    return Project(config=config.validate(root / ".dkenv.toml", textwrap.dedent(toml)), name="demo")


@pytest.mark.parametrize("base, python, prefixed", [
    ("python:3.11-slim-bookworm", "3.11", True),
    ("python:3.7-slim", "3.7", False),  # its tag's version, taken when nothing in the project names one
    ("python:latest", None, False),  # its own, whatever it is
])
def test_make_decides_from_the_images_python(base, python, prefixed, tmp_path, monkeypatch):
    monkeypatch.setattr(image_plan, "HOST_CA_DIR", tmp_path / "no-cas")
    monkeypatch.setattr(hostuser, "current", lambda: USER)
    build = image_plan.make(project(tmp_path / "app", f'[image]\nbase = "{base}"\n', {"requirements.txt": "six\n"}))
    assert build.image.python == python
    assert build.image.pycache == (PREFIX if prefixed else None)
    assert ("PYTHONPYCACHEPREFIX" in build.dockerfile) is prefixed
    assert ("--no-compile" in build.dockerfile) is prefixed


def _warm_up(tmp_path, **env) -> subprocess.CompletedProcess:
    """bytecode.WARM_UP run by a real sh (traced) over a venv of links to this Python."""
    venv = tmp_path / "venv"
    site = venv / "lib" / "python3.11" / "site-packages"
    for package in ("mypkg", "pip"):
        (site / package).mkdir(parents=True, exist_ok=True)
        (site / package / "__init__.py").write_text("X = 1\n")
    (venv / "bin").mkdir(exist_ok=True)
    if not (venv / "bin" / "python").exists():
        (venv / "bin" / "python").symlink_to(sys.executable)
    full = {"PATH": os.environ["PATH"], "VIRTUAL_ENV": str(venv), **env}
    return subprocess.run(["sh", "-x", "-c", bytecode.WARM_UP + "echo started"], env=full, capture_output=True,
                          text=True, timeout=60)


def test_the_warm_up_compiles_the_venv_under_the_prefix_in_the_background(tmp_path):
    prefix = tmp_path / "pycache"
    done = _warm_up(tmp_path, PYTHONPYCACHEPREFIX=str(prefix), PYTHONDONTWRITEBYTECODE="")
    assert done.stdout == "started\n" and "compileall" in done.stderr
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    wanted = prefix / str(site).lstrip("/") / "mypkg"
    wait_until(lambda: list(wanted.glob("__init__.*.pyc")), f"mypkg's bytecode under {prefix}")
    assert not (prefix / str(site).lstrip("/") / "pip").exists()  # left to the pip that runs
    assert not (site / "mypkg" / "__pycache__").exists()


@pytest.mark.parametrize("env", [{}, {"PYTHONPYCACHEPREFIX": "/x", "PYTHONDONTWRITEBYTECODE": "1"}])
def test_no_warm_up_where_the_image_keeps_bytecode_out(tmp_path, env):
    done = _warm_up(tmp_path, **env)
    assert done.stdout == "started\n" and "compileall" not in done.stderr, done.stderr
