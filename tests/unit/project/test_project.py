"""dkenv/project/project.py: unique project names and derived names."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dkenv import paths
from dkenv.project import config, project


@pytest.fixture(autouse=True)
def state_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state"


def make_root(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / ".dkenv.toml").write_text("")
    return path


def test_state_dir_is_under_xdg_state_home(state_home):
    assert paths.state_dir() == state_home / "dkenv"


def test_first_root_gets_the_plain_name(tmp_path):
    a = make_root(tmp_path / "a" / "app")
    assert project.unique_name("app", a) == "app"


def test_two_roots_with_the_same_folder_name_get_distinct_names(tmp_path):
    a = make_root(tmp_path / "a" / "app")
    b = make_root(tmp_path / "b" / "app")
    first = project.unique_name("app", a)
    second = project.unique_name("app", b)
    assert first == "app"
    assert second != first
    assert second == f"app-{project.root_hash(b)}"
    assert len(project.root_hash(b)) == 6


def test_the_same_root_keeps_its_name(tmp_path):
    a = make_root(tmp_path / "a" / "app")
    b = make_root(tmp_path / "b" / "app")
    project.unique_name("app", a)
    second = project.unique_name("app", b)
    assert project.unique_name("app", b) == second
    assert project.unique_name("app", a) == "app"


def test_name_is_remembered_in_the_registry(tmp_path, state_home):
    a = make_root(tmp_path / "a" / "app")
    project.unique_name("app", a)
    registry = json.loads((state_home / "dkenv" / "projects.json").read_text())
    assert registry == {f"{a}\0app": "app"}


def name_freed_and_taken_again(tmp_path) -> tuple[Path, Path]:
    """Root a gets "app", its config is deleted, and root c (another folder "app") gets "app"."""
    a = make_root(tmp_path / "a" / "app")
    assert project.unique_name("app", a) == "app"
    (a / ".dkenv.toml").unlink()
    c = make_root(tmp_path / "c" / "app")
    assert project.unique_name("app", c) == "app"
    return a, c


def test_deleted_config_frees_the_name(tmp_path):
    name_freed_and_taken_again(tmp_path)


def test_different_names_do_not_clash(tmp_path):
    a = make_root(tmp_path / "a")
    b = make_root(tmp_path / "b")
    assert project.unique_name("web", a) == "web"
    assert project.unique_name("api", b) == "api"


def test_corrupt_registry_is_ignored(tmp_path, state_home):
    (state_home / "dkenv").mkdir(parents=True)
    (state_home / "dkenv" / "projects.json").write_text("{not json")
    a = make_root(tmp_path / "a")
    assert project.unique_name("app", a) == "app"


def test_a_returning_root_does_not_share_a_name(tmp_path):
    a, c = name_freed_and_taken_again(tmp_path)
    make_root(a)  # the first project comes back
    assert project.unique_name("app", a) != project.unique_name("app", c)


def test_derived_names(tmp_path):
    root = make_root(tmp_path / "app")
    cfg = config.load(root)
    p = project.Project(config=cfg, name="app-1a2b3c")
    assert p.root == root
    assert p.container == "dkenv-app-1a2b3c"
    assert p.network == "dkenv-app-1a2b3c"
    assert p.image_repo == "dkenv/app-1a2b3c"
    assert p.service_container("db") == "dkenv-app-1a2b3c-db"
    assert p.data_dir == root / "data"
    assert p.work_dir == root / ".dkenv"
    assert p.shims_dir == root / ".dkenv" / "shims"
    assert p.history_dir == root / "data" / "dkenv" / "history"


def test_open_project(tmp_path, monkeypatch):
    root = make_root(tmp_path / "Some App")
    (root / "src").mkdir()
    monkeypatch.delenv("DKENV_PROJECT", raising=False)
    monkeypatch.chdir(root / "src")
    p = project.open_project()
    assert p.root == root
    assert p.name == "some-app"
    assert project.open_project(str(root)).name == "some-app"
