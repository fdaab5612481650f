"""dkenv/project/registry.py: projects.json, rebuilt from Docker's labels when lost."""
from __future__ import annotations

import json
import os

import pytest

from dkenv.project import project, registry


@pytest.fixture(autouse=True)
def state_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state"


def make_root(path):
    path.mkdir(parents=True, exist_ok=True)
    (path / ".dkenv.toml").write_text("")
    return path


def test_wanted_of_undoes_the_hash_suffix(tmp_path):
    root = str(tmp_path / "b" / "app")
    assert registry.wanted_of(f"app-{registry.root_hash(root)}", root) == "app"
    assert registry.wanted_of("app", root) == "app"
    assert registry.wanted_of("app-123456", root) == "app-123456"  # another root's hash: a name of its own


def test_from_labels_keeps_one_root_per_name_preferring_containers_and_live_folders(tmp_path):
    live = str(make_root(tmp_path / "live" / "app"))
    gone = str(tmp_path / "gone" / "app")
    imaged = str(make_root(tmp_path / "imaged" / "app"))
    table = registry.from_labels([(imaged, "app", False), (gone, "app", True), (live, "app", True),
                                  (live, "app", True), ("", "x", True), (gone, "", True)])
    assert table == {f"{live}\0app": "app"}
    other = f"tool-{registry.root_hash(gone)}"
    assert registry.from_labels([(gone, other, True)]) == {f"{gone}\0tool": other}


def test_a_deleted_registry_is_rebuilt_so_a_second_folder_gets_another_name(tmp_path, state_home, monkeypatch,
                                                                             capsys):
    first = make_root(tmp_path / "a" / "app")
    second = make_root(tmp_path / "b" / "app")
    assert project.unique_name("app", first) == "app"
    (state_home / "dkenv" / "projects.json").unlink()
    monkeypatch.setattr(registry, "labelled", lambda: [(str(first), "app", True)])
    assert project.unique_name("app", second) == f"app-{registry.root_hash(second)}"
    assert "rebuilt from Docker's labels" in capsys.readouterr().err
    assert project.unique_name("app", first) == "app"
    assert json.loads((state_home / "dkenv" / "projects.json").read_text())[f"{first}\0app"] == "app"


def test_a_corrupt_registry_is_kept_aside_and_rebuilt(tmp_path, state_home, monkeypatch, capsys):
    first = make_root(tmp_path / "a" / "app")
    (state_home / "dkenv").mkdir(parents=True)
    (state_home / "dkenv" / "projects.json").write_text("{not json")
    monkeypatch.setattr(registry, "labelled", lambda: [(str(first), "app", True)])
    second = make_root(tmp_path / "b" / "app")
    assert project.unique_name("app", second) != "app"
    assert (state_home / "dkenv" / "projects.json.corrupt").read_text() == "{not json"
    assert "kept as" in capsys.readouterr().err


def test_without_the_engine_the_names_are_not_written(tmp_path, state_home, monkeypatch):
    monkeypatch.setattr(registry, "labelled", lambda: None)
    root = make_root(tmp_path / "a" / "app")
    assert project.unique_name("app", root) == "app"
    assert not (state_home / "dkenv" / "projects.json").exists()  # the next command asks again


@pytest.mark.skipif(os.geteuid() == 0, reason="root may look into any folder")
def test_a_folder_we_may_not_look_into_holds_a_project(tmp_path):
    """Another user's project: its name stays taken, its containers are never adopted (and no traceback)."""
    closed = make_root(tmp_path / "closed" / "app").parent
    closed.chmod(0)
    try:
        assert registry.holds_project(closed / "app")
        assert registry.from_labels([(str(closed / "app"), "app", True)]) == {f"{closed / 'app'}\0app": "app"}
    finally:
        closed.chmod(0o755)
    assert not registry.holds_project(tmp_path / "nowhere")
