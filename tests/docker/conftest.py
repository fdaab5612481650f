"""Projects built once per session for the Docker tests."""
from __future__ import annotations

import socket

import pytest

from tests.conftest import make_project


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

CORE_CONFIG = """\
[project]
name = "@NAME@"
[image]
base = "python:3.11-slim-bookworm"
python = "3.11"
install = "pip"
requirements = ["requirements.txt"]
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
