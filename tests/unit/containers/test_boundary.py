"""dkenv/containers/boundary.py: what of the project the project container may not write
(`.dkenv/` but its socket folder, `.git`, the editors' folders, `.envrc`, `[run] read_only`),
as read-only mounts over the project's; and the folders `up` prepares for them. The hostile
test, from inside a real container, is tests/docker/test_boundary.py."""
from __future__ import annotations

import os
import stat
import textwrap
from pathlib import Path

import pytest

from dkenv.containers import appspec, boundary, desired
from dkenv.engine.spec import Mount
from dkenv.errors import FatalError
from dkenv.export import compose
from dkenv.project import config
from dkenv.project.project import Project


def project(root: Path, toml: str = "", files: dict[str, str] | None = None) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in (files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    text = textwrap.dedent(toml)
    (root / ".dkenv.toml").write_text(text)
    return Project(config=config.validate(root / ".dkenv.toml", text), name="demo")


def ro(path: Path) -> Mount:
    return Mount(str(path), str(path), read_only=True)


def test_dkenv_is_read_only_but_its_socket_folder(tmp_path):
    root = tmp_path / "app"
    found = boundary.mounts(project(root))
    assert found == [ro(root / ".dkenv"), Mount(str(root / ".dkenv" / "agent"), str(root / ".dkenv" / "agent"))]


def test_the_defaults_present_are_read_only_the_missing_ones_not_mounted(tmp_path):
    root = tmp_path / "app"
    proj = project(root, files={".git/config": "", ".vscode/settings.json": "{}", ".envrc": "", "src/x.py": ""})
    assert boundary.mounts(proj)[2:] == [ro(root / ".git"), ro(root / ".vscode"), ro(root / ".envrc")]
    (root / ".idea").mkdir()
    (root / ".devcontainer").mkdir()
    assert boundary.mounts(proj)[2:] == [ro(root / p) for p in (".git", ".vscode", ".idea", ".devcontainer", ".envrc")]


def test_writable_takes_a_default_out_and_read_only_adds(tmp_path):
    root = tmp_path / "app"
    files = {".git/HEAD": "", ".vscode/tasks.json": "", "tools/hook.sh": "", ".pre-commit-config.yaml": ""}
    proj = project(root, '[run]\nwritable = [".git/"]\nread_only = ["./tools", ".pre-commit-config.yaml", "gone"]\n',
                   files)
    assert proj.config.run.writable == [".git"] and proj.config.run.read_only[0] == "tools"
    assert boundary.mounts(proj)[2:] == [ro(root / ".vscode"), ro(root / "tools"), ro(root / ".pre-commit-config.yaml")]


def test_a_link_is_followed_inside_the_project_and_skipped_out_of_it(tmp_path):
    root, outside = tmp_path / "app", tmp_path / "elsewhere"
    proj = project(root, files={"shared/vscode/settings.json": "{}", "shared/envrc": ""})
    outside.mkdir()
    (root / ".vscode").symlink_to("shared/vscode")
    (root / ".idea").symlink_to(outside)  # the container does not see it: nothing to protect there
    (root / ".envrc").symlink_to("missing")  # a link to nothing: not mounted (documented)
    (root / ".git").symlink_to(".dkenv")  # into .dkenv/: read-only already
    (root / ".dkenv").mkdir()
    assert boundary.mounts(proj)[2:] == [ro(root / "shared" / "vscode")]


def test_a_root_reached_through_a_link_keeps_its_path(tmp_path):
    real = tmp_path / "real"
    project(real, files={".git/HEAD": ""})
    (tmp_path / "link").symlink_to(real)
    proj = Project(config=config.load(tmp_path / "link"), name="demo")
    assert proj.root == tmp_path / "link"
    assert boundary.mounts(proj)[2] == ro(tmp_path / "link" / ".git")  # the container has the project at this path


def test_the_project_container_spec_carries_them_and_a_new_one_recreates_it(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    root = tmp_path / "app"
    proj = project(root)
    before = appspec.app_spec(proj, "img")
    assert before.mounts[0] == Mount(str(root), str(root)) and before.mounts[1:3] == boundary.mounts(proj)
    (root / ".vscode").mkdir()
    after = appspec.app_spec(proj, "img")
    assert ro(root / ".vscode") in after.mounts
    assert after.config_hash() != before.config_hash()  # the next `up` recreates the container with it


def test_a_worker_of_the_project_image_gets_none_of_dkenv_writable(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    root = tmp_path / "app"
    proj = project(root, '[services.worker]\ncommand = "celery worker"\n', {".git/HEAD": ""})
    by_role = {s.role: s for s in desired.specs(proj, "img")}
    app, worker = by_role["app"], by_role["worker"]
    sockets = str(root / ".dkenv" / "agent")
    assert Mount(sockets, sockets) in app.mounts and all(m.target != sockets for m in worker.mounts)
    assert ro(root / ".dkenv") in worker.mounts and ro(root / ".git") in worker.mounts


def test_the_compose_export_leaves_them_out(tmp_path, monkeypatch):
    """Compose and Dev Containers run the editor's git inside: dkenv's boundary is its own container's."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    root = tmp_path / "app"
    proj = project(root, files={".git/HEAD": ""})
    doc = compose.document(proj, "img", desired.specs(proj, "img"))
    assert doc["services"]["app"]["volumes"] == [
        {"type": "bind", "source": str(root), "target": str(root)},
        {"type": "bind", "source": str(proj.history_dir), "target": "/var/lib/dkenv/history"}]


def test_prepare_makes_the_socket_folder_private(tmp_path):
    proj = project(tmp_path / "app")
    desired.prepare_dirs(proj, [])
    sockets = tmp_path / "app" / ".dkenv" / "agent"
    st = os.lstat(sockets)
    assert stat.S_ISDIR(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o700
    desired.prepare_dirs(proj, [])  # again: as it is


def test_prepare_refuses_a_link_in_place_of_the_socket_folder(tmp_path):
    """A cloned repository's `.dkenv/agent` -> ~/.ssh would be mounted writable."""
    proj = project(tmp_path / "app")
    (tmp_path / "app" / ".dkenv").mkdir()
    (tmp_path / "secrets").mkdir()
    (tmp_path / "app" / ".dkenv" / "agent").symlink_to(tmp_path / "secrets")
    with pytest.raises(FatalError, match=r"agent is not a folder \(a link\?\)"):
        desired.prepare_dirs(proj, [])


def test_prepare_refuses_a_dkenv_folder_out_of_the_project(tmp_path):
    """`.dkenv` -> the home would show the home to the container (read-only, but all of it)."""
    proj = project(tmp_path / "app")
    (tmp_path / "home").mkdir()
    (tmp_path / "app" / ".dkenv").symlink_to(tmp_path / "home")
    with pytest.raises(FatalError, match="outside the project"):
        desired.prepare_dirs(proj, [])
    assert not (tmp_path / "home" / "agent").exists()


def test_prepare_accepts_a_dkenv_folder_elsewhere_in_the_project(tmp_path):
    proj = project(tmp_path / "app", files={"build/dkenv/.keep": ""})
    (tmp_path / "app" / ".dkenv").symlink_to("build/dkenv")
    desired.prepare_dirs(proj, [])
    assert (tmp_path / "app" / "build" / "dkenv" / "agent").is_dir()


def test_a_path_leading_out_of_the_project_is_a_config_error(tmp_path):
    root = tmp_path / "app"
    root.mkdir()
    (root / "out").symlink_to(tmp_path)
    with pytest.raises(config.ConfigError, match=r"run.read_only: 'out' is outside the project"):
        project(root, '[run]\nread_only = ["out"]\n')
