"""A service image pulled for real, from a registry on 127.0.0.1 (tests/docker/registry.py):
`dkenv up` says the pull's progress and what it took, and runs the service."""
from __future__ import annotations

import os
import re
import subprocess

import pytest

from tests.conftest import RUN_ID, make_project
from tests.docker.conftest import SLIM_PYTHON
from tests.docker.registry import Registry

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def registry(docker_engine, tmp_path_factory):
    """Serves redis:7 plus a layer of 3 MB of random bytes, removed from this Engine after."""
    folder = tmp_path_factory.mktemp("pullme")
    (folder / "blob").write_bytes(os.urandom(3_000_000))
    (folder / "Dockerfile").write_text("FROM redis:7\nCOPY blob /blob\n")
    local = f"dkenv-test/pullme-{RUN_ID}:1"
    subprocess.run(["docker", "build", "-q", "-t", local, str(folder)], check=True, capture_output=True)
    served = Registry()
    try:
        served.add(local, "dkenv-test/pullme", "1")
        subprocess.run(["docker", "rmi", local], check=True, capture_output=True)  # its new layer goes too
        yield served
    finally:
        served.stop()


def test_up_pulls_a_missing_service_image_and_says_how_it_went(registry):
    ref = registry.ref("dkenv-test/pullme", "1")
    config = SLIM_PYTHON + f'[services.cache]\nimage = "{ref}"\ndata = false\n'
    project = make_project("pull", {".dkenv.toml": config})
    try:
        err = project.dkenv("up", env={"DKENV_PROGRESS": "auto"}).stderr.decode()
        assert f"dkenv: pulling {ref} (for cache)" in err
        pulled = re.search(rf"^dkenv: pulled {re.escape(ref)} in (?:\d+s|\d+m \d\ds) \((\d+) of (\d+) layers downloaded, "
                           r"(\d+(?:\.\d)?) MB\)$", err, re.M)
        assert pulled, err
        downloaded, layers, megabytes = int(pulled.group(1)), int(pulled.group(2)), float(pulled.group(3))
        # the random layer comes over; redis's do unless the Engine knows their digests from an earlier pull
        assert 1 <= downloaded <= layers and layers >= 2 and megabytes >= 3.0
        assert "\x1b" not in err and "Downloading" not in err  # plain lines off a terminal
        state = subprocess.run(["docker", "inspect", "-f", "{{.State.Running}}", f"{project.container}-cache"],
                               capture_output=True, text=True)
        assert state.stdout.strip() == "true"
        again = project.dkenv("up").stderr.decode()
        assert "pulling" not in again  # present now: policy "missing"
    finally:
        project.dkenv("down", check=False)
        subprocess.run(["docker", "rmi", ref], capture_output=True)
