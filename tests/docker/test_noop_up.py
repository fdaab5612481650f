"""A `dkenv up` with nothing to do answers without the Engine (containers/noop.py), and is
never fooled: a restarted container, a changed config, a stopped one, a paused one take the
full `up`."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import make_project
from tests.docker.conftest import SLIM_PYTHON

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def project(docker_engine):
    project = make_project("noop", {".dkenv.toml": SLIM_PYTHON})
    project.dkenv("up")
    return project


def engine_calls(result) -> list[str]:
    return [line for line in result.stderr.decode().splitlines() if "GET /" in line or "POST /" in line]


def test_nothing_to_do_is_found_without_the_engine(project):
    result = project.dkenv("-v", "up")  # -v: the Engine calls are printed
    assert engine_calls(result) == []
    assert f"dkenv: {project.container} is running".encode() in result.stderr
    imports = subprocess.run([sys.executable, "-X", "importtime", "-m", "dkenv", "up"], cwd=project.root,
                             env=project.env(), capture_output=True, text=True, timeout=120)
    assert imports.returncode == 0, imports.stderr
    modules = {line.split("|")[-1].strip() for line in imports.stderr.splitlines() if line.startswith("import time:")}
    assert not {m for m in modules if m.split(".")[0] in ("docker", "click", "requests")}
    assert f"dkenv: {project.name} is up;" in imports.stderr


def test_a_restarted_container_takes_the_full_up_once(project):
    subprocess.run(["docker", "restart", project.container], check=True, capture_output=True)
    full = project.dkenv("-v", "up")
    assert engine_calls(full)  # its records were stale: asked the Engine, and wrote them again
    assert engine_calls(project.dkenv("-v", "up")) == []


def test_a_changed_config_is_never_a_no_op(project):
    original = (project.root / ".dkenv.toml").read_text()
    try:
        project.config(original + '[run]\nenv = { NOOP_TEST = "1" }\n')
        result = project.dkenv("up")
        assert b"recreating" in result.stderr
        assert project.dkenv("exec", "printenv", "NOOP_TEST").stdout == b"1\n"
    finally:
        project.config(original)
        project.dkenv("up")


def test_a_stopped_container_is_started(project):
    subprocess.run(["docker", "stop", project.container], check=True, capture_output=True)
    result = project.dkenv("up")
    assert b"starting" in result.stderr
    assert project.dkenv("exec", "true").returncode == 0


def state(container: str) -> str:
    return subprocess.run(["docker", "inspect", "-f", "{{.State.Status}}", container], check=True,
                          capture_output=True, text=True).stdout.strip()


def test_a_paused_container_is_unpaused(project):
    """The no-op checks see its init alive in /proc; its cgroup's freezer says it is paused."""
    project.dkenv("up")
    assert project.dkenv("up").returncode == 0  # from the cache
    subprocess.run(["docker", "pause", project.container], check=True, capture_output=True)
    try:
        assert state(project.container) == "paused"
        assert b"paused" in project.dkenv("status").stdout
        result = project.dkenv("-v", "up")
        assert engine_calls(result) and f"POST /containers/{project.container}/unpause".encode() in result.stderr
        assert state(project.container) == "running"
        assert project.dkenv("exec", "echo", "awake").stdout == b"awake\n"
        subprocess.run(["docker", "pause", project.container], check=True, capture_output=True)
        assert project.dkenv("up").returncode == 0  # the lean path, its cache stored before the pause
        assert state(project.container) == "running"
        assert project.dkenv("exec", "true").returncode == 0
    finally:
        subprocess.run(["docker", "unpause", project.container], capture_output=True)


def test_down_forgets_the_records(project):
    project.dkenv("down")
    assert not (project.root / ".dkenv" / "run" / "containers").exists()
    project.dkenv("up")
    assert (project.root / ".dkenv" / "run" / "containers").exists()
