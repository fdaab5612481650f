"""conda: an environment.yml project gets its environment at /opt/venv, Python included,
from a local channel the test makes (tests/condachannel.py: no conda channel is
reachable here), through `init --yes` and `up` with no edit; its pip: list from PyPI."""
from __future__ import annotations

import json

import pytest

from dkenv import tomltext
from tests.condachannel import package, python_packages
from tests.conftest import REPO, make_project

pytestmark = pytest.mark.docker
BASE = "python:3.11-slim-bookworm"
CHECK = ("import sys, json, hello_conda, six; print(json.dumps([sys.executable, sys.prefix, sys.base_prefix, "
         "hello_conda.VERSION, six.__version__, sys.version_info[:2] == (3, 11)]))")


@pytest.fixture(scope="module")
def conda_project(docker_engine):
    project = make_project("conda-app", {}, base=REPO / "tests" / "data" / "conda-app")
    channel = project.root / "channel"
    python = python_packages(channel, BASE, "3.11")
    package(channel, "noarch", "hello-conda", "1.2.0",
            {"site-packages/hello_conda/__init__.py": b"VERSION = '1.2.0'\n"}, depends=["python >=3.8"], noarch=True)
    project.python = python
    project.init = project.dkenv("init", "--yes", "--base", BASE)
    project.dkenv("up")
    yield project
    project.dkenv("down", check=False)


def test_init_chooses_conda_and_says_where_the_dependencies_come_from(conda_project):
    cfg = tomltext.loads((conda_project.root / ".dkenv.toml").read_text())
    assert cfg["image"]["install"] == "conda"
    said = (conda_project.init.stdout + conda_project.init.stderr).decode()
    assert "dependencies: conda (environment.yml; channels: ./channel)" in said


def test_the_interpreter_is_the_conda_environments_and_its_packages_import(conda_project):
    out = conda_project.dkenv("exec", "python", "-c", CHECK).stdout
    executable, prefix, base_prefix, hello, six, py311 = json.loads(out)
    # a conda environment is no venv over the base image's Python: its own prefix is the base
    assert (prefix, base_prefix) == ("/opt/venv", "/opt/venv")
    assert executable.startswith("/opt/venv/bin/python")
    assert (hello, six, py311) == ("1.2.0", "1.16.0", True)  # conda's package; pip's from PyPI
    meta = conda_project.dkenv("exec", "ls", "/opt/venv/conda-meta").stdout.decode().split()
    assert f"python-{conda_project.python}-0.json" in meta and "hello-conda-1.2.0-0.json" in meta
    # the base image's /usr/local Python is not the one on the path
    which = conda_project.dkenv("exec", "sh", "-c", "command -v python; command -v python3").stdout.decode().split()
    assert which == ["/opt/venv/bin/python", "/opt/venv/bin/python3"]


def test_the_dockerfile_makes_no_venv_and_the_channel_is_in_the_build_context(conda_project):
    dockerfile = (conda_project.root / ".dkenv" / "Dockerfile").read_text()
    assert "# dependencies (conda)" in dockerfile and "-m venv /opt/venv" not in dockerfile
    copied = conda_project.root / ".dkenv" / "manifests" / "dkenv-conda-channels" / "0" / "noarch"
    assert (copied / "hello-conda-1.2.0-0.tar.bz2").is_file()
