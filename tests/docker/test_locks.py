"""The lock is the truth: what a lock pins is installed, extras' packages included, and the
lock dkenv resolves in the image for a project without one comes back with `dkenv lock`."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import REPO, make_project
from tests.docker.conftest import SLIM_PYTHON

pytestmark = pytest.mark.docker
DATA = REPO / "tests" / "data"
CONFIG = SLIM_PYTHON.replace('install = "none"', 'install = "{install}"')


def test_a_poetry_1_1_lock_installs_the_package_a_dependency_s_extra_brings(docker_engine):
    """requests[socks] brings PySocks; the 1.1 lock writes its constraint in other words than the extra."""
    project = make_project("lock-poetry11", {".dkenv.toml": CONFIG.format(install="poetry")},
                           base=DATA / "poetry11-extras-app")
    lock = (project.root / "poetry.lock").read_bytes()
    project.dkenv("up")
    try:
        check = "import requests, socks; print(requests.__version__, socks.__version__)"
        assert project.dkenv("exec", "python", "-c", check).stdout.split() == [b"2.31.0", b"1.7.1"]
        dockerfile = (project.root / ".dkenv" / "Dockerfile").read_text()
        assert "--without-hashes" not in dockerfile  # installed in pip's hash-checking mode
        assert (project.root / "poetry.lock").read_bytes() == lock  # the project's lock is not changed
    finally:
        project.dkenv("down", check=False)
        shutil.rmtree(project.root / "data", ignore_errors=True)
