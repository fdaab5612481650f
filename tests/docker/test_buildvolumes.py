"""The package cache where BuildKit is absent (image/volumebuild.py: the route of Docker over
ssh or tcp and of a docker CLI 23+ without buildx), on the rootful engine through
DKENV_BUILDER=volumes: a second project installs what the first downloaded (uv's own words:
nothing prepared) from named volumes labelled `dkenv.cache`; the image is what a clean
classic build of the same files gives (pip freeze, CMD, ENTRYPOINT, user, environment); an
added package is a step on the previous image on the same volumes; a failing step is the
usual report and leaves no container behind."""
from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from tests.conftest import make_project
from tests.docker.conftest import PIP_HEAD
from tests.docker.test_buildcache import PINS, built, freeze

pytestmark = pytest.mark.docker

VOLUMES = {"DKENV_BUILDER": "volumes"}
CLASSIC = {"DKENV_BUILDER": "classic"}
ROUTE = re.compile(r"^dkenv: building \S+ (?:on \S+ \([^)]*\) )?with the classic builder, cache volumes "
                   r"dkenv-pip-(\d+) and dkenv-uv-(\d+) \(Dockerfile: ", re.M)


def dependency_output(project) -> str:
    """The dependency step's output in .dkenv/build.log: from its "Step N/M : RUN" line to the next step."""
    log = (project.root / ".dkenv" / "build.log").read_text()
    m = re.search(r"^Step \d+/\d+ : RUN set -eu; export PIP_CACHE_DIR=.*?(?=^Step \d+/\d+ : )", log, re.M | re.S)
    assert m, log[-3000:]
    return m.group(0)


def config_of(tag: str) -> dict:
    done = subprocess.run(["docker", "image", "inspect", tag], capture_output=True, text=True, check=True)
    config = json.loads(done.stdout)[0]["Config"]
    return {k: config.get(k) for k in ("Cmd", "Entrypoint", "User", "WorkingDir", "Env")}


@pytest.fixture(scope="module")
def first(docker_engine):
    project = make_project("vol-a", {".dkenv.toml": PIP_HEAD, "requirements.txt": "# @NAME@\n" + PINS})
    said = project.dkenv("build", env=VOLUMES).stderr.decode()
    m = ROUTE.search(said)
    assert m and m.group(1) == m.group(2) == str(os.getuid()), said
    return project


def test_a_second_project_installs_from_the_volumes_the_first_filled(first):
    second = make_project("vol-b", {".dkenv.toml": PIP_HEAD, "requirements.txt": "# @NAME@\nidna==3.7\nsix==1.16.0\n"})
    said = second.dkenv("build", env=VOLUMES).stderr.decode()
    assert ROUTE.search(said) and "dependencies (pip, uv pip, cached)" in said, said
    output = dependency_output(second)
    assert "Installed 2 packages" in output, output
    assert "Prepared" not in output and "Downloading" not in output, output  # nothing fetched or built
    for tool in ("pip", "uv"):
        done = subprocess.run(["docker", "volume", "inspect", f"dkenv-{tool}-{os.getuid()}"], capture_output=True,
                              text=True, check=True)
        assert json.loads(done.stdout)[0]["Labels"] == {"dkenv.cache": tool}


def test_the_image_is_what_a_clean_classic_build_gives(first):
    tag = built(first.dkenv("build", env=VOLUMES))
    by_volumes, packages = config_of(tag), freeze(tag)
    clean = first.dkenv("build", "--no-cache", env=CLASSIC)
    assert "with the classic builder (Dockerfile:" in clean.stderr.decode()
    assert built(clean) == tag
    assert config_of(tag) == by_volumes and freeze(tag) == packages
    assert by_volumes["Cmd"] == ["python3"] and by_volumes["User"] == f"{os.getuid()}:{os.getgid()}"
    assert packages == ["idna==3.7", "six==1.16.0"]


def test_an_added_package_is_a_step_on_the_previous_image_on_the_same_volumes(docker_engine):
    project = make_project("vol-c", {".dkenv.toml": PIP_HEAD, "requirements.txt": "# @NAME@\n" + PINS})
    project.dkenv("build", env=VOLUMES)
    requirements = project.root / "requirements.txt"
    requirements.write_text(requirements.read_text() + "attrs==23.2.0\n")
    step = project.dkenv("build", env=VOLUMES)
    said = step.stderr.decode()
    assert re.search(r"^dkenv: building \S+ on dkenv/\S+ \(attrs added or changed\) with the classic builder, "
                     r"cache volumes ", said, re.M), said
    assert "dkenv: [2/2] dependencies (pip, uv pip sync of the changes, cached)" in said
    tag = built(step)
    after_change = freeze(tag)
    clean = project.dkenv("build", "--no-cache", env=CLASSIC)
    assert built(clean) == tag and after_change == freeze(tag)
    assert "attrs==23.2.0" in after_change


def step_containers(project) -> list[str]:
    done = subprocess.run(["docker", "ps", "-aq", "--filter", f"name=dkenv-build-{project.name}-"],
                          capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_a_failing_step_is_reported_and_leaves_no_container(docker_engine):
    project = make_project("vol-d", {".dkenv.toml": PIP_HEAD,
                                     "requirements.txt": "# @NAME@\nno-such-package-by-dkenv-tests==0.0.1\n"})
    result = project.dkenv("build", env=VOLUMES, check=False)
    err = result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in err, err
    assert re.search(r"dkenv: the build failed at step \d+/\d+, dependencies", err), err
    assert "no-such-package-by-dkenv-tests" in err
    assert step_containers(project) == []  # the step's container removed
