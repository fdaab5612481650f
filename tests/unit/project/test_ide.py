"""dkenv/project/ide.py and `[ide]` in .dkenv.toml: the mounts (detected or configured,
validated) and the variables the interpreter passes."""
from __future__ import annotations

import pytest

from dkenv.errors import ConfigError
from dkenv.project import config, ide


@pytest.fixture
def home(tmp_path, monkeypatch):
    folder = tmp_path / "home" / "me"
    folder.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folder))
    return folder


def load(root, text):
    root.mkdir(exist_ok=True)
    (root / config.CONFIG_NAME).write_text(text)
    return config.load(root)


def error(root, text) -> str:
    with pytest.raises(ConfigError) as info:
        load(root, text)
    assert info.value.exit_code == 2
    return str(info.value)


@pytest.mark.parametrize("path, reason", [
    ("relative/dir", "must be an absolute path"),
    ("/", "hide the whole image"),
    ("/home", "holds your home folder"),
    ("/home/me", "holds your home folder"),
    ("/home/me/src", "holds the project"),
    ("/home/me/src/app/.venv", "inside the project"),
    ("/usr", "hide the image's /usr"),
    ("/opt", "hide the image's /opt/venv"),
    ("/opt/venv/lib", "hide part of the image's /opt/venv"),
    ("/usr/local/lib/python3.11", "hide part of the image's /usr/local/lib"),
    ("/etc/ssl", "hide part of the image's /etc"),
    ("/var", "hide the image's /var"),
    ("/home/me/.ssh", "your credentials in /home/me/.ssh"),
    ("/home/me/.config", "your credentials in /home/me/.config/gcloud"),
    ("/home/me/.local/share", "your credentials in /home/me/.local/share/keyrings"),
    ("/home/me/.aws/sso", "your credentials in /home/me/.aws"),
])
def test_a_mount_that_would_hide_something_is_refused(path, reason):
    assert reason in ide.problem(path, "/home/me/src/app", "/home/me")


@pytest.mark.parametrize("path", ["/home/me/.vscode/extensions", "/home/me/.cache/JetBrains",
                                  "/home/me/.local/share/JetBrains", "/home/me/.config/Code", "/opt/pycharm-2024.1",
                                  "/snap/pycharm-community", "/srv/tools", "/home/me/src/app2"])
def test_the_ides_folders_are_accepted(path):
    assert ide.problem(path, "/home/me/src/app", "/home/me") is None


def test_detected_are_the_existing_candidates(home):
    for rel in (".vscode/extensions", ".cursor-server", ".local/share/JetBrains"):
        (home / rel).mkdir(parents=True)
    (home / ".vscode-server").write_text("a file, not a folder")
    assert ide.detected(str(home)) == [str(home / ".vscode/extensions"), str(home / ".cursor-server"),
                                       str(home / ".local/share/JetBrains")]


def test_mounts_default_to_the_detected_ones(home, tmp_path):
    (home / ".vscode" / "extensions").mkdir(parents=True)
    cfg = load(tmp_path / "app", "")
    assert cfg.ide.mounts is None
    assert ide.mounts(cfg) == [str(home / ".vscode" / "extensions")]


def test_configured_mounts_are_expanded_and_only_existing_folders_kept(home, tmp_path):
    (home / "pycharm" / "helpers").mkdir(parents=True)
    (home / ".vscode" / "extensions").mkdir(parents=True)  # detected, but the list replaces the defaults
    cfg = load(tmp_path / "app", '[ide]\nmounts = ["~/pycharm/", "~/pycharm/helpers", "~/not-here"]\n')
    assert cfg.ide.mounts == ["~/pycharm/", "~/pycharm/helpers", "~/not-here"]
    assert ide.mounts(cfg) == [str(home / "pycharm")]  # the inner one is inside the outer
    cfg = load(tmp_path / "app", "[ide]\nmounts = []\n")
    assert ide.mounts(cfg) == []


def test_a_bad_mount_fails_at_load_with_the_line(home, tmp_path):
    message = error(tmp_path / "app", '[project]\nname = "app"\n[ide]\nmounts = ["~"]\n')
    assert message.startswith(f"dkenv: {tmp_path / 'app' / config.CONFIG_NAME}:4: ide.mounts: '~': ")
    assert "holds your home folder" in message
    (tmp_path / "src" / "app").mkdir(parents=True)
    assert "holds the project" in error(tmp_path / "src" / "app", f'[ide]\nmounts = ["{tmp_path / "src"}"]\n')
    assert "must be a list of strings" in error(tmp_path / "app", '[ide]\nmounts = "~/.vscode"\n')


def test_env_names_are_checked(home, tmp_path):
    cfg = load(tmp_path / "app", '[ide]\nenv = ["DJANGO_SETTINGS_MODULE", "PYTHONPATH"]\nsite_packages = false\n')
    assert cfg.ide.env == ["DJANGO_SETTINGS_MODULE", "PYTHONPATH"]
    assert cfg.ide.site_packages is False
    passed = ide.passed_env(cfg)
    assert passed[:len(ide.PASSED_ENV)] == list(ide.PASSED_ENV)
    assert passed.count("PYTHONPATH") == 1 and passed[-1] == "DJANGO_SETTINGS_MODULE"
    assert "describes the host" in error(tmp_path / "app", '[ide]\nenv = ["PATH"]\n')
    assert "not a variable name" in error(tmp_path / "app", '[ide]\nenv = ["A-B"]\n')


def test_ide_defaults(tmp_path):
    cfg = load(tmp_path / "app", "")
    assert cfg.ide == config.IdeConfig(mounts=None, env=[], site_packages=True)
