"""`[run] docker = true`: a test suite in the project container starts containers of its own."""
from __future__ import annotations

import pytest

from tests.conftest import make_project
from tests.docker.conftest import SLIM_PYTHON

pytestmark = pytest.mark.docker


@pytest.fixture
def lent(docker_engine):
    project = make_project("lent", {".dkenv.toml": SLIM_PYTHON + "[run]\ndocker = true\n"})
    project.dkenv("up")
    yield project
    project.dkenv("down", check=False)


def test_the_container_reaches_the_engine_with_the_hosts_client(lent):
    names = lent.dkenv("exec", "docker", "ps", "--format", "{{.Names}}").stdout.decode().split()
    assert lent.container in names  # the engine seen from inside: its own container among the running ones
    result = lent.dkenv("exec", "docker", "run", "--rm", "-v", f"{lent.root}:{lent.root}", "python:3.11-slim-bookworm",
                        "ls", "-a", str(lent.root))
    assert b".dkenv.toml" in result.stdout  # same-path volumes work as on the host


def test_the_approval_names_control_of_the_engine(lent):
    result = lent.dkenv("allow")
    assert b"control of the engine" in result.stderr + result.stdout


def test_without_the_key_there_is_no_engine_inside(docker_engine):
    project = make_project("unlent", {".dkenv.toml": SLIM_PYTHON})
    project.dkenv("up")
    try:
        result = project.dkenv("exec", "sh", "-c", "test -S /var/run/docker.sock || command -v docker", check=False)
        assert result.returncode != 0
    finally:
        project.dkenv("down", check=False)
