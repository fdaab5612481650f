"""The package cache of the BuildKit route (docs/design.md "Two build routes and the
package cache"): a second project of the same user installs what the first downloaded
without fetching it again (uv's own words); an added or bumped package is an incremental
step on the previous image, a removed one a build from the start, and each gives the
environment a clean classic build of the same files gives; with DKENV_BUILDER=classic
the build takes the classic builder and says so, and its incremental step gives the same, with no bytecode compiled."""
from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.conftest import REPO, make_project
from tests.docker.conftest import PIP_HEAD

PINS = "six==1.16.0\nidna==3.7\n"


def built(result) -> str:
    """The tag a `dkenv build` built or found."""
    err = result.stderr.decode()
    m = re.search(r"^dkenv: (?:built (\S+) in |image (\S+) is up to date)", err, re.M)
    assert m, err
    return m.group(1) or m.group(2)


def freeze(tag: str) -> list[str]:
    done = subprocess.run(["docker", "run", "--rm", tag, "/opt/venv/bin/python", "-m", "pip", "freeze", "--all"],
                          capture_output=True, text=True, check=True)
    return sorted(line for line in done.stdout.splitlines() if not line.startswith(("pip==", "setuptools==")))


def bytecode(tag: str) -> tuple[list[str], list[str]]:
    """The image's ENV and the bytecode in its site-packages but the venv's seeds' (pip,
    setuptools: `python -m venv` compiles them): none, whichever route built it (image/bytecode.py)."""
    env = subprocess.run(["docker", "image", "inspect", "-f", "{{json .Config.Env}}", tag],
                         capture_output=True, text=True, check=True).stdout
    found = subprocess.run(["docker", "run", "--rm", tag, "sh", "-c", "cd /opt/venv/lib/python3.*/site-packages && "
                            "find . -name '*.pyc' | grep -Ev '^./(pip|setuptools|pkg_resources|_distutils_hack)/' "
                            "|| true"], capture_output=True, text=True, check=True).stdout.split()
    return sorted(json.loads(env)), found


def dependency_output(project) -> str:
    """The dependency step's lines in .dkenv/build.log (BuildKit: "#N 0.5 text")."""
    log = (project.root / ".dkenv" / "build.log").read_text()
    step = re.search(r"^#(\d+) \[[^\]]*\] RUN --mount=type=cache.*$", log, re.M)
    assert step, log[-2000:]
    return "\n".join(line for line in log.splitlines() if line.startswith(f"#{step.group(1)} "))


@pytest.fixture(scope="module")
def first(docker_engine):
    # its own line too: its install runs (and fills the package cache) even when an earlier run built the
    # same layer and the cache mounts were pruned since
    project = make_project("cache-a", {".dkenv.toml": PIP_HEAD, "requirements.txt": "# @NAME@\n" + PINS})
    result = project.dkenv("build")
    assert re.search(r"^dkenv: building \S+ with BuildKit through ", result.stderr.decode(), re.M)
    return project


def test_a_second_project_installs_from_the_first_ones_downloads(first):
    # a line of its own (the run's unique name): BuildKit's layer cache cannot answer for this step, so the
    # install runs, from the package cache the first project (of this run or an earlier one) filled
    second = make_project("cache-b", {".dkenv.toml": PIP_HEAD, "requirements.txt": "# @NAME@\nidna==3.7\nsix==1.16.0\n"})
    err = second.dkenv("build").stderr.decode()
    assert re.search(r"^dkenv: building \S+ with BuildKit through \S+", err, re.M)
    assert re.search(r"dkenv: \[\d+/\d+\] dependencies \(pip, uv pip, cached\)", err)
    output = dependency_output(second)
    assert re.search(r"Installed 2 packages", output), output
    # uv says "Prepared N packages" for what it downloaded or built: nothing here
    assert "Prepared" not in output and "Downloading" not in output, output
    assert (second.root / ".dkenv" / "Dockerfile.buildkit").read_text().count("--mount=type=cache") == 2
    assert "--mount" not in (second.root / ".dkenv" / "Dockerfile").read_text()


@pytest.mark.parametrize("change", ["add", "bump", "remove"])
def test_a_changed_requirement_gives_what_a_clean_classic_build_gives(first, change):
    requirements = first.root / "requirements.txt"
    text = requirements.read_text()
    if change == "add":
        text += "attrs==23.2.0\n"
    elif change == "bump":
        text = text.replace("idna==3.7", "idna==3.6")
    else:
        text = text.replace("six==1.16.0\n", "")
    requirements.write_text(text)
    cached = first.dkenv("build")
    said = cached.stderr.decode()
    if change == "remove":
        assert "dkenv: building from the start: requirements.txt: six removed" in said
        assert re.search(r"^dkenv: building \S+ with BuildKit through ", said, re.M), said
    else:  # the route taken: a step on the previous image, uv's sync in its log
        name = {"add": "attrs", "bump": "idna"}[change]
        assert re.search(rf"^dkenv: building \S+ on dkenv/\S+ \({name} added or changed\) with BuildKit through ",
                         said, re.M), said
        assert re.search(r"dkenv: \[2/2\] dependencies \(pip, uv pip sync of the changes, cached\)", said), said
    tag = built(cached)
    after_change, compiled = freeze(tag), bytecode(tag)
    clean = first.dkenv("build", "--no-cache", env={"DKENV_BUILDER": "classic"})
    said = clean.stderr.decode()
    assert re.search(r"^dkenv: building \S+ with the classic builder \(Dockerfile: \S*\.dkenv/Dockerfile\)", said, re.M)
    assert built(clean) == tag  # the same files: the same tag, built again by the classic route
    assert "Step 1/" in (first.root / ".dkenv" / "build.log").read_text()
    assert after_change == freeze(tag)
    # nothing compiled by either route; the step's image ends with the image's own ENV
    assert compiled == bytecode(tag) and compiled[1] == [] and any("PYTHONPYCACHEPREFIX=" in e for e in compiled[0])
    wanted = {"add": "attrs==23.2.0", "bump": "idna==3.6", "remove": None}[change]
    assert wanted is None and not any(p.startswith("six==") for p in after_change) or wanted in after_change


def test_without_buildkit_an_added_package_is_a_step_on_the_previous_image_too(docker_engine):
    classic = {"DKENV_BUILDER": "classic"}
    project = make_project("cache-c", {".dkenv.toml": PIP_HEAD, "requirements.txt": "# @NAME@\n" + PINS})
    assert "with the classic builder" in project.dkenv("build", env=classic).stderr.decode()
    requirements = project.root / "requirements.txt"
    requirements.write_text(requirements.read_text().replace("idna==3.7", "idna==3.6") + "attrs==23.2.0\n")
    step = project.dkenv("-v", "build", env=classic)
    said = step.stderr.decode()
    assert re.search(r"^dkenv: building \S+ on dkenv/\S+ \(idna, attrs added or changed\) with the classic builder ",
                     said, re.M), said
    # no container runs: the image the last build made is inspected, the engine's images are not listed
    assert "GET /images/dkenv/" in said and "GET /images/json label=" not in said, said
    assert "FROM dkenv/" in (project.root / ".dkenv" / "build.log").read_text()  # the step, at the log's head
    tag = built(step)
    after_change, compiled = freeze(tag), bytecode(tag)
    clean = project.dkenv("build", "--no-cache", env=classic)
    assert built(clean) == tag and "building from the start" not in clean.stderr.decode()
    assert after_change == freeze(tag)
    assert compiled == bytecode(tag) and compiled[1] == []
    assert "attrs==23.2.0" in after_change and "idna==3.6" in after_change


PYPROJECT = """\
[project]
name = "@NAME@"
version = "0.1.0"
dependencies = ["six==1.16.0"]
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"
"""
PYPROJECT_CONFIG = PIP_HEAD.replace('install = "pip"\nrequirements = ["requirements.txt"]\n', 'install = "pyproject"\n')


def test_a_pep621_dependency_added_is_a_step_and_keeps_the_projects_own_package(docker_engine):
    project = make_project("cache-d", {".dkenv.toml": PYPROJECT_CONFIG, "pyproject.toml": PYPROJECT,
                                       "src/cache_d/__init__.py": ""})
    project.dkenv("build")
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('["six==1.16.0"]', '["six==1.16.0", "attrs==23.2.0"]'))
    step = project.dkenv("build")
    said = step.stderr.decode()
    assert re.search(r"^dkenv: building \S+ on dkenv/\S+ \(attrs added or changed\) with BuildKit ", said, re.M), said
    tag = built(step)
    after_change = freeze(tag)
    clean = project.dkenv("build", "--no-cache", env={"DKENV_BUILDER": "classic"})
    assert built(clean) == tag
    assert after_change == freeze(tag)
    assert "attrs==23.2.0" in after_change and any(line.startswith("cache-d") for line in after_change), after_change


UV_APP = REPO / "tests" / "data" / "uv-app"
UV_CONFIG = PIP_HEAD.replace('install = "pip"\nrequirements = ["requirements.txt"]\n', 'install = "uv"\n')


def without_the_dev_group(lock: str) -> str:
    """uv-app's lock as it was before its dev group (iniconfig) was added."""
    blocks = lock.split("\n\n")
    kept = [b for b in blocks if 'name = "iniconfig"' not in b.split("\n")[1:2]
            and not b.startswith(("[package.dev-dependencies]", "[package.metadata.requires-dev]"))]
    return "\n\n".join(kept).rstrip() + "\n"


def test_a_uv_lock_that_gains_a_package_is_a_step_that_runs_uv_sync_again(docker_engine):
    pyproject, lock = (UV_APP / "pyproject.toml").read_text(), (UV_APP / "uv.lock").read_text()
    before = without_the_dev_group(lock)
    assert "iniconfig" not in before and 'name = "six"' in before
    project = make_project("cache-e", {".dkenv.toml": UV_CONFIG, "uv.lock": before,
                                       "pyproject.toml": pyproject.split("[dependency-groups]")[0]})
    assert "iniconfig" not in " ".join(freeze(built(project.dkenv("build"))))
    (project.root / "pyproject.toml").write_text(pyproject)
    (project.root / "uv.lock").write_text(lock)
    step = project.dkenv("build")
    said = step.stderr.decode()
    assert re.search(r"^dkenv: building \S+ on dkenv/\S+ \(iniconfig added or changed\) with BuildKit ", said, re.M), said
    assert "dependencies (uv, uv sync of the changes, cached)" in said
    tag = built(step)
    after_change, compiled = freeze(tag), bytecode(tag)
    clean = project.dkenv("build", "--no-cache", env={"DKENV_BUILDER": "classic"})
    assert built(clean) == tag
    assert after_change == freeze(tag) and "iniconfig==2.0.0" in after_change
    assert compiled == bytecode(tag) and compiled[1] == []
