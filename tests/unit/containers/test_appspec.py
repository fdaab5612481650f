"""dkenv/containers/appspec.py: the project container's spec."""
from __future__ import annotations

import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from dkenv import hostuser
from dkenv.exec import agent
from dkenv.image import bytecode

from dkenv.containers import appspec
from dkenv.engine.spec import APP_ROLE, Mount, Port, published
from dkenv.errors import ConfigError
from dkenv.imagepaths import HISTORY_DIR
from dkenv.project import config
from dkenv.project.project import Project


def project(root: Path, toml: str = "", files: dict[str, str] | None = None, name: str = "demo") -> Project:
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in (files or {}).items():
        (root / rel).write_text(text)
    text = textwrap.dedent(toml)
    (root / ".dkenv.toml").write_text(text)
    return Project(config=config.validate(root / ".dkenv.toml", text), name=name)


def test_source_is_mounted_at_the_same_absolute_path(tmp_path):
    proj = project(tmp_path / "work" / "app")
    s = appspec.app_spec(proj, "dkenv/demo:abc")
    root = str(tmp_path / "work" / "app")
    assert Mount(root, root) in s.mounts
    assert s.mounts[0] == Mount(root, root)
    assert s.working_dir == root
    assert Path(root).is_absolute()


def test_history_folder_is_mounted(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "empty-home"))
    proj = project(tmp_path / "app")
    s = appspec.app_spec(proj, "img")
    history = str(tmp_path / "app" / "data" / "dkenv" / "history")
    assert Mount(history, HISTORY_DIR) in s.mounts
    assert s.data_dirs == ["dkenv/history"]
    work = str(tmp_path / "app" / ".dkenv")
    # the source, .dkenv/ read-only and its socket folder writable (no .git here), the history
    assert s.mounts == [Mount(str(tmp_path / "app"), str(tmp_path / "app")), Mount(work, work, read_only=True),
                        Mount(f"{work}/agent", f"{work}/agent"), Mount(history, HISTORY_DIR)]


def test_identity_and_command(tmp_path):
    proj = project(tmp_path / "app", name="my-app")
    s = appspec.app_spec(proj, "dkenv/my-app:0123456789ab")
    assert s.name == "dkenv-my-app"
    assert s.role == APP_ROLE
    assert s.image == "dkenv/my-app:0123456789ab"
    run = str(tmp_path / "app" / ".dkenv" / "run")
    # the venv compiled in the background first (image/bytecode.py), then the exec agent, else sleep
    assert s.entrypoint == ["/bin/sh", "-c", bytecode.WARM_UP + agent.BOOT, "dkenv-agent"]
    assert s.command == [f"{run}/agent.py", "/opt/venv/bin/python", str(tmp_path / "app" / ".dkenv" / "agent")]
    assert s.host_files == {f"{run}/agent.py": agent.script_text()}
    assert s.init is True


def test_ports_use_run_bind(tmp_path):
    proj = project(tmp_path / "app", '[run]\nports = [8000, "8081:80"]\nbind = "0.0.0.0"\n')
    s = appspec.app_spec(proj, "img")
    assert s.ports == [Port("0.0.0.0", 8000, 8000), Port("0.0.0.0", 8081, 80)]


def test_ports_default_bind_is_loopback(tmp_path):
    proj = project(tmp_path / "app", '[run]\nports = ["3000"]\n')
    assert appspec.app_spec(proj, "img").ports == [Port("127.0.0.1", 3000, 3000)]


def test_published_ports():
    assert published("10.0.0.1", ["1:2", "5"]) == [Port("10.0.0.1", 1, 2), Port("10.0.0.1", 5, 5)]


def test_env_file_then_run_env_then_dkenv(tmp_path):
    root = tmp_path / "app"
    proj = project(root, """\
        [run]
        env_file = ".env"
        env = { SHARED = "from-toml", ONLY_TOML = "t", DKENV_PROJECT = "user-tried" }
        """, {".env": "SHARED=from-file\nONLY_FILE=f\n"})
    env = appspec.app_env(proj)
    assert env["SHARED"] == "from-toml"
    assert env["ONLY_FILE"] == "f"
    assert env["ONLY_TOML"] == "t"
    assert env["DKENV_PROJECT"] == str(root)  # dkenv's own wins
    assert env["DKENV_PROJECT_NAME"] == "demo"
    assert env["HISTFILE"] == "/var/lib/dkenv/history/bash_history"
    assert appspec.app_spec(proj, "img").env == env


def test_env_file_values_are_interpolated_with_only_the_host_names_it_refers_to(tmp_path, monkeypatch):
    monkeypatch.setenv("DKENV_TEST_DB_PASSWORD", "from-host")
    monkeypatch.setenv("DKENV_TEST_UNRELATED", "secret")
    proj = project(tmp_path / "app", '[run]\nenv_file = ".env"\nenv = { DATABASE_HOST = "db" }\n', {".env": (
        "DATABASE_USER=shop\nDATABASE_HOST=localhost\n"
        "DATABASE_URL=postgresql://${DATABASE_USER}:${DKENV_TEST_DB_PASSWORD}@${DATABASE_HOST}/shop\n")})
    env = appspec.app_env(proj)
    # earlier lines of the file, then the host for the names it refers to; run.env does not feed it
    assert env["DATABASE_URL"] == "postgresql://shop:from-host@localhost/shop"
    assert env["DATABASE_HOST"] == "db"
    assert "DKENV_TEST_UNRELATED" not in env and "DKENV_TEST_DB_PASSWORD" not in env


def test_env_without_env_file(tmp_path):
    root = tmp_path / "app"
    proj = project(root, '[run]\nenv = { A = "1" }\n')
    assert appspec.app_env(proj) == {
        "A": "1", "DKENV_PROJECT": str(root), "DKENV_PROJECT_NAME": "demo",
        "HISTFILE": "/var/lib/dkenv/history/bash_history"}


def test_bad_env_file_is_a_config_error(tmp_path):
    proj = project(tmp_path / "app", '[run]\nenv_file = ".env"\n', {".env": "garbage\n"})
    with pytest.raises(ConfigError) as info:
        appspec.app_env(proj)
    assert ".env:1" in str(info.value)


def test_spec_hash_changes_with_env_and_ports_but_not_image_tag_alone(tmp_path):
    a = appspec.app_spec(project(tmp_path / "a", '[run]\nenv = { A = "1" }\n'), "img:1")
    b = appspec.app_spec(project(tmp_path / "a", '[run]\nenv = { A = "2" }\n'), "img:1")
    c = appspec.app_spec(project(tmp_path / "a", '[run]\nenv = { A = "1" }\nports = [8000]\n'), "img:1")
    d = appspec.app_spec(project(tmp_path / "a", '[run]\nenv = { A = "1" }\n'), "img:2")
    assert len({a.config_hash(), b.config_hash(), c.config_hash(), d.config_hash()}) == 4


def test_the_ides_folders_are_mounted_read_only_at_the_same_path(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / ".vscode" / "extensions").mkdir(parents=True)
    (home / ".cursor-server").mkdir()
    monkeypatch.setenv("HOME", str(home))
    s = appspec.app_spec(project(tmp_path / "app"), "img")
    extensions, cursor = str(home / ".vscode" / "extensions"), str(home / ".cursor-server")
    assert s.mounts[4:] == [Mount(extensions, extensions, read_only=True), Mount(cursor, cursor, read_only=True)]
    s = appspec.app_spec(project(tmp_path / "app", "[ide]\nmounts = []\n"), "img")
    assert len(s.mounts) == 4  # the source, .dkenv/ and its socket folder, the history: nothing of the home
    assert all(m.source.startswith(str(tmp_path / "app")) for m in s.mounts)


def test_a_linked_ide_folder_is_mounted_from_its_real_folder_at_the_links_path(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "disk" / "vscode-server").mkdir(parents=True)
    (home / ".vscode-server").symlink_to(home / "disk" / "vscode-server")
    monkeypatch.setenv("HOME", str(home))
    s = appspec.app_spec(project(tmp_path / "app"), "img")
    assert s.mounts[4:] == [Mount(str(home / "disk" / "vscode-server"), str(home / ".vscode-server"), read_only=True)]


@pytest.mark.parametrize("root, guarded", [
    ("/home/alice", True), ("/home", True), ("/", True),  # the mount would hide the image's home
    ("/home/alice/src/app", False), ("/home/alicia", False), ("/srv/app", False),
])
def test_a_project_that_is_or_holds_the_images_home_writes_no_bytecode(root, guarded):
    """Its home is then the host's folder: the prefix there would put the bytecode on the host."""
    env = appspec.bytecode_env(SimpleNamespace(root=Path(root)), hostuser.User("alice", 1000, 1000))
    assert env == ({"PYTHONDONTWRITEBYTECODE": "1"} if guarded else {})
    root_user = hostuser.User("root", 0, 0)
    assert appspec.bytecode_env(SimpleNamespace(root=Path("/root")), root_user) == {"PYTHONDONTWRITEBYTECODE": "1"}
