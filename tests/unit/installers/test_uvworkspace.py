"""dkenv/installers/uvworkspace.py (and uv.py's use of it): a uv project or workspace
without its source: the context files, the `uv sync` arguments, the editable wheels."""
from __future__ import annotations

import io
import shutil
import zipfile

import pytest

from dkenv import hostuser
from dkenv.detect.detection import inspect
from dkenv.errors import ConfigError
from dkenv.image import dockerfile
from dkenv.installers import Folder, get
from dkenv.installers.uvworkspace import uv_inputs
from tests.conftest import REPO
from tests.unit.conftest import tree

FIXTURE = REPO / "tests" / "data" / "uv-workspace"


@pytest.fixture
def ws(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(FIXTURE, root)
    return root


def test_a_member_gets_the_whole_workspace_manifests(ws):
    inputs = uv_inputs(ws / "backend")
    assert sorted(inputs.files) == [
        "manifests/.dkenv-editable/greeting-1.2.0-py3-none-any.whl",
        "manifests/.dkenv-editable/ws_backend-0.1.0-py3-none-any.whl",
        "manifests/.python-version", "manifests/backend/pyproject.toml",
        "manifests/libs/greeting/pyproject.toml", "manifests/pyproject.toml", "manifests/uv.lock",
    ]  # libs/scratch is excluded: not copied
    assert inputs.files["manifests/uv.lock"] == (ws / "uv.lock").read_bytes()
    assert inputs.args == ["--no-install-workspace", "--package", "ws-backend"]
    assert inputs.editables == [".dkenv-editable/ws_backend-0.1.0-py3-none-any.whl",
                                ".dkenv-editable/greeting-1.2.0-py3-none-any.whl"]
    with zipfile.ZipFile(io.BytesIO(inputs.files["manifests/" + inputs.editables[1]])) as wheel:
        assert wheel.read("__editable__.greeting.pth").decode() == f"{ws / 'libs/greeting/src'}\n"


def test_a_virtual_root_installs_every_member(ws):
    inputs = uv_inputs(ws)
    assert inputs.args == ["--no-install-workspace"]
    assert [e.split("/")[1].split("-")[0] for e in inputs.editables] == ["ws_backend", "greeting"]


def test_a_root_project_syncs_itself(ws):
    text = (ws / "pyproject.toml").read_text()
    (ws / "pyproject.toml").write_text('[project]\nname = "top"\nversion = "1"\ndependencies = ["greeting"]\n' + text)
    (ws / "uv.lock").write_text(
        'version = 1\n[[package]]\nname = "top"\nversion = "1"\nsource = { editable = "." }\n'
        'dependencies = [{ name = "greeting" }]\n'
        '[[package]]\nname = "greeting"\nversion = "1.2.0"\nsource = { editable = "libs/greeting" }\n'
        '[[package]]\nname = "ws-backend"\nversion = "0.1.0"\nsource = { editable = "backend" }\n')
    inputs = uv_inputs(ws)
    assert inputs.args == ["--no-install-workspace"]  # `uv sync` at the root: the root project and its needs
    assert inputs.editables == [".dkenv-editable/top-1-py3-none-any.whl",
                                ".dkenv-editable/greeting-1.2.0-py3-none-any.whl"]


def test_a_plain_project(tmp_path):
    root = tree(tmp_path / "p", {
        "pyproject.toml": '[project]\nname = "p"\nversion = "1.0"\n[build-system]\nrequires = ["hatchling"]\n',
        "uv.lock": 'version = 1\n[[package]]\nname = "p"\nversion = "1.0"\nsource = { editable = "." }\n',
    })
    inputs = uv_inputs(root)
    assert inputs.args == ["--no-install-project"]
    assert sorted(inputs.files) == ["manifests/.dkenv-editable/p-1.0-py3-none-any.whl",
                                    "manifests/pyproject.toml", "manifests/uv.lock"]
    # a virtual project (no build system) is not installed by uv: no wheel
    (root / "uv.lock").write_text('version = 1\n[[package]]\nname = "p"\nsource = { virtual = "." }\n')
    assert uv_inputs(root).editables == []
    # without a lock, a project with a build system is installed
    (root / "uv.lock").unlink()
    assert uv_inputs(root).editables == [".dkenv-editable/p-1.0-py3-none-any.whl"]


def test_a_plain_project_needs_its_pyproject(tmp_path):
    with pytest.raises(ConfigError, match="pyproject.toml is missing"):
        uv_inputs(tmp_path)


def test_uv_claims_the_members_of_a_workspace(ws):
    uv = get("uv")
    assert uv.claims(Folder(ws / "backend"))
    assert inspect(ws / "backend").manager == "uv"
    (ws / "uv.lock").unlink()
    assert uv.claims(Folder(ws / "backend"))  # unlocked: still uv (it locks in the image)
    inputs = uv_inputs(ws / "backend")
    assert "manifests/uv.lock" not in inputs.files and "manifests/backend/pyproject.toml" in inputs.files
    assert inputs.editables == [".dkenv-editable/ws_backend-0.1.0-py3-none-any.whl"]  # no lock: itself only
    assert not uv.claims(Folder(ws / "libs" / "scratch"))  # excluded: a project of its own
    assert inspect(ws / "libs" / "scratch").manager == "pyproject"


def test_a_member_takes_the_workspace_python_version(ws):
    found = inspect(ws / "backend")
    constraint = found.python_constraint
    assert (constraint.text, constraint.source) == ("3.11", "the workspace's ../.python-version")
    assert constraint.allows("3.11") and not constraint.allows("3.12")


def render(**kw) -> str:
    plan = dockerfile.ImagePlan(base="python:3.11-slim-bookworm", python="3.11", python_from="image",
                                install="uv", user=hostuser.User("dev", 1000, 1000), locked=True, **kw)
    return dockerfile.render(plan)


def test_steps_sync_the_member_then_install_the_editables():
    text = render(install_args=["--no-install-workspace", "--package", "ws-backend"],
                  editables=[".dkenv-editable/a-1-py3-none-any.whl"])
    assert ("uv sync --no-install-workspace --package ws-backend --frozen --python /opt/venv/bin/python \\\n"
            " && /opt/dkenv-tools/bin/uv pip install --offline --no-deps --python /opt/venv/bin/python "
            ".dkenv-editable/a-1-py3-none-any.whl\n") in text


def test_steps_of_a_plain_project_are_unchanged():
    text = render()
    assert "uv sync --no-install-project --frozen --python /opt/venv/bin/python\n" in text
    assert "uv pip install" not in text
