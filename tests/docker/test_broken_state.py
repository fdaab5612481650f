"""Commands that must still work, or fail in one line, when the project's files or the host
are broken: `down` with a `.dkenv.toml` that no longer loads or a read-only `.dkenv/`,
`status` into a full device."""
from __future__ import annotations

import subprocess

import pytest

from tests.conftest import make_project
from tests.docker.conftest import SLIM_PYTHON

pytestmark = pytest.mark.docker


def names(root) -> list[str]:
    out = subprocess.run(["docker", "ps", "-a", "--filter", f"label=dkenv.root={root}", "--format", "{{.Names}}"],
                         capture_output=True, text=True, check=True).stdout
    return out.split()


@pytest.fixture
def running(docker_engine):
    project = make_project("broken", {".dkenv.toml": SLIM_PYTHON})
    project.dkenv("up")
    yield project
    (project.root / ".dkenv").chmod(0o755)
    project.config(SLIM_PYTHON.replace("@NAME@", project.name))
    project.dkenv("down", check=False)


def test_down_with_a_config_that_no_longer_loads_finds_its_containers_by_label(running):
    assert names(running.root)
    with open(running.root / ".dkenv.toml", "a") as f:
        f.write("garbage [[\n")
    result = running.dkenv("down")
    assert b"invalid TOML" in result.stderr and b"by their label" in result.stderr
    assert names(running.root) == []


def test_down_with_a_read_only_dkenv_folder(running):
    (running.root / ".dkenv").chmod(0o555)
    result = running.dkenv("down", check=False)
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr and b"unexpected error" not in result.stderr
    assert names(running.root) == []


def test_status_into_a_full_device_is_one_line(running):
    with open("/dev/full", "wb") as full:
        result = subprocess.run(running.command("status"), cwd=running.root, env=running.env(), stdout=full,
                                stderr=subprocess.PIPE, timeout=120)
    assert result.returncode == 1
    assert result.stderr.decode().strip().splitlines() == ["dkenv: cannot write the output: No space left on device"]
