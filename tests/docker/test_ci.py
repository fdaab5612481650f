"""The CI workflows `dkenv ci` writes, run here: their own shell steps, in order, against
the Engine (the provider's set-up steps, installing dkenv and logging in, are not run:
this tree's dkenv is on PATH). GitHub's with a registry that cannot be reached (the pull
fails, dkenv builds, the push fails without failing the job); GitLab's with none."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from tests.conftest import REPO, make_project
from tests.docker.conftest import PIP_HEAD

pytestmark = pytest.mark.docker

CONFIG = PIP_HEAD + """\
[services.cache]
template = "redis"
"""

TEST = """\
import os, socket

def test_inside_with_the_services():
    assert os.environ["VIRTUAL_ENV"] == "/opt/venv"
    s = socket.create_connection(("cache", 6379))
    s.sendall(b"PING\\r\\n")
    assert s.recv(7) == b"+PONG\\r\\n"
"""


@pytest.fixture(scope="module")
def ci_project(docker_engine, tmp_path_factory):
    project = make_project("ci", {".dkenv.toml": CONFIG, "requirements.txt": "pytest==8.3.3\n",
                                  "tests/test_inside.py": TEST})
    (project.root / ".git").mkdir()  # the repository's root: where the workflow files go
    bin_dir = tmp_path_factory.mktemp("bin")
    (bin_dir / "dkenv").write_text(f"#!/bin/sh\nexec {sys.executable} -m dkenv \"$@\"\n")
    (bin_dir / "dkenv").chmod(0o755)
    project.path_env = {**os.environ, "PYTHONPATH": str(REPO), "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    yield project
    tag = project.dkenv("tag", "--full").stdout.decode().strip()
    subprocess.run(["docker", "rmi", tag, f"127.0.0.1:9/dkenv-test/{tag.removeprefix('dkenv/')}"],
                   capture_output=True)


def shell(script: str, project, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=project.root, env=env,
                          capture_output=True, text=True, timeout=900)


def test_the_github_workflow_runs(ci_project):
    ci_project.dkenv("ci", "github")
    doc = yaml.safe_load((ci_project.root / ".github" / "workflows" / "dkenv.yml").read_text())
    job = doc["jobs"]["test"]
    env = {**ci_project.path_env, **job["env"], "REGISTRY": "127.0.0.1:9/dkenv-test"}
    steps = [s for s in job["steps"] if "run" in s and s["name"] != "Install dkenv"]
    assert [s["name"] for s in steps][-2:] == ["Test", "Stop"]
    outputs = {}
    try:
        for step in steps[:-1]:
            result = shell(step["run"], ci_project, env)
            outputs[step["name"]] = result.stdout + result.stderr
            assert result.returncode == 0, f"{step['name']}: {outputs[step['name']]}"
    finally:
        stop = shell(steps[-1]["run"], ci_project, env)
    assert stop.returncode == 0, stop.stderr
    assert "could not push 127.0.0.1:9/dkenv-test/" in outputs["Pull the project image, or build and push it"]
    assert "1 passed" in outputs["Test"]


def test_the_gitlab_job_runs(ci_project):
    ci_project.dkenv("ci", "gitlab")
    job = yaml.safe_load((ci_project.root / ".gitlab-ci.yml").read_text())["dkenv-test"]
    env = {k: v for k, v in ci_project.path_env.items() if k != "REGISTRY"}  # no registry: dkenv builds
    try:
        result = shell("\n".join(job["script"]), ci_project, env)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "1 passed" in result.stdout
    finally:
        after = shell("\n".join(job["after_script"]), ci_project, env)
    assert after.returncode == 0, after.stderr
    assert not subprocess.run(["docker", "ps", "-q", "--filter", f"label=dkenv.project={ci_project.name}"],
                              capture_output=True, text=True).stdout.strip()
