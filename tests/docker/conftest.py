"""Projects built once per session for the Docker tests."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import REPO, make_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# a project on the python image with no dependencies: what most Docker tests start from
SLIM_PYTHON = """\
[project]
name = "@NAME@"
[image]
base = "python:3.11-slim-bookworm"
python = "3.11"
install = "none"
"""

# the head of a pip project's config on the python image (requirements.txt)
PIP_HEAD = """\
[project]
name = "@NAME@"
[image]
base = "python:3.11-slim-bookworm"
python = "3.11"
install = "pip"
requirements = ["requirements.txt"]
"""

CORE_CONFIG = PIP_HEAD + """\
[run]
command = "python -m http.server {port}"
ports = [{port}]
"""


@pytest.fixture(scope="session")
def core_project(docker_engine):
    """A small pip project (python image), up, with one published port."""
    port = free_port()
    project = make_project("core", {
        ".dkenv.toml": CORE_CONFIG.format(port=port),
        "requirements.txt": "six==1.16.0\n",
        "sub dir/hello.txt": "hi\n",
    })
    project.port = port
    project.dkenv("up")
    return project


# --- the dkdev user (tests marked `root`: they run dkenv as dkdev through runuser) ---

def _have_dkdev() -> bool:
    return subprocess.run(["id", "dkdev"], capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def dkdev_install(docker_engine, tmp_path_factory):
    """dkenv installed from its wheel into a venv that the dkdev user can run."""
    if not _have_dkdev() or os.getuid() != 0:
        if os.environ.get("DKENV_REQUIRE_DOCKER") == "1":
            pytest.fail("the dkdev user (../shared/dockerhost/up) and root are needed for this test")
        pytest.skip("needs root and the dkdev user")
    folder = Path(tempfile.mkdtemp(prefix="dkenv-dkdev-"))
    folder.chmod(0o755)
    wheels = folder / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)],
                   check=True, capture_output=True)
    venv = folder / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", str(venv)], check=True)
    wheel = next(wheels.glob("dkenv-*.whl"))
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], check=True, capture_output=True)
    subprocess.run(["chmod", "-R", "a+rX", str(folder)], check=True)
    return venv / "bin" / "dkenv"
