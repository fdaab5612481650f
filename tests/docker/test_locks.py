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


def test_dkenv_lock_writes_the_lock_the_image_resolved_and_the_next_up_installs_from_it(docker_engine):
    project = make_project("lock-uv", {".dkenv.toml": CONFIG.format(install="uv")}, base=DATA / "uv-app")
    (project.root / "uv.lock").unlink()
    try:
        first = project.dkenv("up").stderr.decode()
        assert "dkenv: note: there is no uv.lock" in first.splitlines()[-1]  # said last
        assert "--frozen" not in (project.root / ".dkenv" / "Dockerfile").read_text()  # uv resolved in the image
        tag = project.dkenv("tag").stdout.strip()

        wrote = project.dkenv("lock")
        assert b"dkenv: wrote uv.lock" in wrote.stderr
        assert b"is up to date" in wrote.stderr  # from the image `up` built: nothing built again
        lock = (project.root / "uv.lock").read_text()
        assert 'name = "six"\nversion = "1.16.0"' in lock and 'name = "iniconfig"' in lock

        # a lock file the project has is never written over without --force
        refused = project.dkenv("lock", check=False)
        assert refused.returncode == 1
        assert refused.stderr.decode().strip().splitlines() == [
            "dkenv: uv.lock exists and dkenv did not write it; it was left as it is "
            "(`dkenv lock --force` replaces it with a lock resolved anew in the image)"]
        assert (project.root / "uv.lock").read_text() == lock
        # --force: the image resolved as if there were no lock (the one `up` built), written over it
        (project.root / "uv.lock").write_text("# mine\n")
        forced = project.dkenv("lock", "--force")
        assert b"is up to date" in forced.stderr and b"dkenv: wrote uv.lock" in forced.stderr
        assert (project.root / "uv.lock").read_text() == lock

        second = project.dkenv("up").stderr.decode()
        assert "note: there is no" not in second
        assert "--frozen" in (project.root / ".dkenv" / "Dockerfile").read_text()  # installs from the lock
        assert project.dkenv("tag").stdout.strip() != tag
        check = "import six, iniconfig; print(six.__version__)"
        assert project.dkenv("exec", "python", "-c", check).stdout.split() == [b"1.16.0"]
    finally:
        project.dkenv("down", check=False)
        shutil.rmtree(project.root / "data", ignore_errors=True)
