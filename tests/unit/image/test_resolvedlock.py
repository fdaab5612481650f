"""dkenv/image/resolvedlock.py: which lock the image resolved, where it belongs, the refusal, the copy out."""
from __future__ import annotations

import io
import os
import tarfile
from dataclasses import replace

import pytest

from dkenv.errors import FatalError
from dkenv.image import resolvedlock
from tests.unit import fakeengine
from tests.unit.installers.helpers import files, plan


@pytest.mark.parametrize("install, name", [
    ("poetry", "poetry.lock"), ("uv", "uv.lock"), ("pipenv", "Pipfile.lock"), ("pdm", "pdm.lock")])
def test_each_locking_installer_s_lock_is_in_the_build_folder_and_belongs_beside_the_manifests(tmp_path, install, name):
    found = resolvedlock.lock_of(plan(install, locked=False), tmp_path)
    assert found == resolvedlock.ResolvedLock(name, f"/tmp/dkenv-build/{name}", tmp_path / name, True)
    assert resolvedlock.lock_of(plan(install, locked=True), tmp_path).resolved is False


@pytest.mark.parametrize("install", ["pip", "pyproject", "none"])
def test_installers_without_a_lock_file_have_nothing_to_write(tmp_path, install):
    assert resolvedlock.lock_of(plan(install), tmp_path) is None
    assert resolvedlock.note(plan(install), tmp_path) is None
    assert resolvedlock.no_lock_file(plan(install)) == (
        f'dkenv: install = "{install}" keeps no lock file: nothing to write '
        "(the image installs what the project's files name)")


def test_a_uv_workspace_member_s_lock_belongs_at_the_workspace_root(tmp_path):
    files(tmp_path, {
        "pyproject.toml": '[project]\nname = "root"\nversion = "0"\n[tool.uv.workspace]\nmembers = ["apps/*"]\n',
        "apps/web/pyproject.toml": '[project]\nname = "web"\nversion = "0"\n',
    })
    found = resolvedlock.lock_of(plan("uv", locked=False), tmp_path / "apps" / "web")
    assert found.target == tmp_path / "uv.lock"


def test_the_note_at_up_only_when_the_image_resolved_without_a_lock(tmp_path):
    assert resolvedlock.note(plan("poetry", locked=True), tmp_path) is None
    assert resolvedlock.note(plan("poetry", locked=False), tmp_path) == (
        "dkenv: note: there is no poetry.lock: the image resolved the versions itself; "
        "`dkenv lock` writes its poetry.lock into the project, and the next `dkenv up` installs from it")


def test_a_lock_file_the_project_has_is_refused_unless_forced(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = resolvedlock.lock_of(plan("pdm", locked=False), tmp_path)
    assert resolvedlock.refusal(found, force=False) is None
    (tmp_path / "pdm.lock").write_text("mine")
    assert resolvedlock.refusal(found, force=False) == (
        "dkenv: pdm.lock exists and dkenv did not write it; it was left as it is "
        "(`dkenv lock --force` replaces it with a lock resolved anew in the image)")
    assert resolvedlock.refusal(found, force=True) is None
    (tmp_path / "pdm.lock").unlink()
    os.symlink(tmp_path / "elsewhere", tmp_path / "pdm.lock")  # a dangling link counts too
    assert resolvedlock.refusal(found, force=False) is not None


def _tar(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo(name)
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def test_copy_out_reads_the_file_from_a_container_never_started_and_removed(tmp_path):
    docker = fakeengine.FakeDocker(images=["dkenv/app:abc"])
    asked = []

    def archive(container, path):
        asked.append(path)
        data = _tar("uv.lock", b"version = 1\n")
        return iter([data[:100], data[100:]])

    docker.on_archive = archive
    found = resolvedlock.lock_of(plan("uv", locked=False), tmp_path)
    content = resolvedlock.copy_out(fakeengine.engine(docker), "dkenv/app:abc", found)
    assert content == b"version = 1\n" and asked == ["/tmp/dkenv-build/uv.lock"]
    assert not any(c.get("Throwaway") for c in docker.containers_by_name.values())  # removed
    assert docker.acts() == []  # nothing started

    resolvedlock.write(found, content)
    assert (tmp_path / "uv.lock").read_bytes() == b"version = 1\n"


def test_an_image_without_the_file_is_one_line(tmp_path):
    docker = fakeengine.FakeDocker(images=["dkenv/app:abc"])
    found = resolvedlock.lock_of(plan("poetry", locked=False), tmp_path)
    with pytest.raises(FatalError, match=r"^dkenv: the image dkenv/app:abc has no /tmp/dkenv-build/poetry.lock: "
                                         r"its build made no poetry.lock$"):
        resolvedlock.copy_out(fakeengine.engine(docker), "dkenv/app:abc", found)
    assert docker.containers_by_name == {}


def test_the_lock_is_written_whole_and_never_through_a_link(tmp_path):
    found = replace(resolvedlock.lock_of(plan("poetry", locked=False), tmp_path))
    (tmp_path / "poetry.lock").write_text("old")
    resolvedlock.write(found, b"new")
    assert (tmp_path / "poetry.lock").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["poetry.lock"]  # no temporary file left
