"""Each dependency manager builds a working /opt/venv (one image each, built once)."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import REPO, make_project
from tests.docker.conftest import SLIM_PYTHON

pytestmark = pytest.mark.docker
DATA = REPO / "tests" / "data"

CONFIG = SLIM_PYTHON.replace('install = "none"', 'install = "{install}"')


@pytest.mark.parametrize("install, folder, dev", [
    ("poetry", "poetry-app", "iniconfig"),  # from poetry.lock, on an index without PyPI's JSON API
    ("uv", "uv-app", "iniconfig"),  # the dev group, uv's default
    ("pipenv", "pipenv-app", "iniconfig"),  # [dev-packages]
    ("pyproject", "pyproject-app", "pytest"),  # the test extra
    ("pdm", "pdm-app", "iniconfig"),  # the dev group, locked
])
def test_installer_produces_a_working_venv(docker_engine, install, folder, dev):
    project = make_project(f"inst-{install}", {".dkenv.toml": CONFIG.format(install=install)}, base=DATA / folder)
    project.dkenv("up")
    try:
        check = "import sys, six; print(sys.prefix, six.__version__)"
        assert project.dkenv("exec", "python", "-c", check).stdout.split() == [b"/opt/venv", b"1.16.0"]
        if dev:  # development dependencies are part of a dev environment
            assert project.dkenv("exec", "python", "-c", f"import {dev}").returncode == 0
        dockerfile = (project.root / ".dkenv" / "Dockerfile").read_text()
        assert f"# dependencies ({install})" in dockerfile
        if install == "uv":
            assert "--frozen" in dockerfile  # uv.lock is honoured
        if install == "poetry":
            assert "poetry install" not in dockerfile  # it asks PyPI's JSON API, which this index lacks
        # the installer tools stay out of the project's venv
        tools = project.dkenv("exec", "python", "-c",
                              "import importlib.util as u; print(*map(u.find_spec, ['poetry', 'pipenv', 'pdm']))")
        assert tools.stdout.split() == [b"None", b"None", b"None"]
    finally:
        project.dkenv("down", check=False)
        shutil.rmtree(project.root / "data", ignore_errors=True)


def test_pipenv_without_a_lock_locks_as_the_user_and_installs(docker_engine):
    """The build folder belongs to the host user: `pipenv lock` may write Pipfile.lock there."""
    project = make_project("inst-pipenv-nolock", {".dkenv.toml": CONFIG.format(install="pipenv")},
                           base=DATA / "pipenv-app")
    (project.root / "Pipfile.lock").unlink()
    project.dkenv("up")
    try:
        check = "import sys, six; print(sys.prefix, six.__version__)"
        assert project.dkenv("exec", "python", "-c", check).stdout.split() == [b"/opt/venv", b"1.16.0"]
        assert not (project.root / "Pipfile.lock").exists()  # locked in the image, not in the user's folder
    finally:
        project.dkenv("down", check=False)


def test_uv_groups_and_extras_as_configured(docker_engine):
    """groups = [] leaves uv's default dev group out; extras adds an optional dependency."""
    config = CONFIG.format(install="uv").replace("[image]", '[image]\ngroups = []\nextras = ["toml"]')
    project = make_project("inst-uv-chosen", {".dkenv.toml": config}, base=DATA / "uv-app")
    project.dkenv("up")
    try:
        check = "import importlib.util as u; print(*(bool(u.find_spec(m)) for m in ['six', 'tomli', 'iniconfig']))"
        assert project.dkenv("exec", "python", "-c", check).stdout.split() == [b"True", b"True", b"False"]
    finally:
        project.dkenv("down", check=False)
