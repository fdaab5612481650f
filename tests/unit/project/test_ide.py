"""dkenv/project/ide.py and `[ide]` in .dkenv.toml: the mounts (detected or configured,
validated) and the variables the interpreter passes."""
from __future__ import annotations

import pytest

from dkenv.errors import ConfigError, FatalError
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
                                  "/snap/pycharm-community", "/home/me/src/app2", "/opt/PyCharm-2024.1/plugins",
                                  "/home/me/apps/pycharm-community-2024.1"])
def test_the_ides_folders_are_accepted(path):
    assert ide.problem(path, "/home/me/src/app", "/home/me") is None


@pytest.mark.parametrize("path, reason", [
    ("//home", "holds your home folder"),  # os.path.normpath keeps a leading //
    ("//home/me/.ssh", "your credentials in /home/me/.ssh"),
    ("///home/me/.ssh/", "your credentials in /home/me/.ssh"),
    ("/home/me/.vscode/../.ssh", "your credentials in /home/me/.ssh"),
    ("/home/me/.vscode/../../me", "holds your home folder"),
    ("/opt/pycharm-2024.1/../../etc", "hide the image's /etc"),
    ("/home/other", "neither a folder in your home"),
    ("/home/me/.netrc", "your credentials"),
    ("/home/me/.config/containers", "your credentials"),
    ("/home/me/.local/share/containers/storage", "container engine's socket or data"),
    ("/home/me/.colima", "container engine's socket or data"),
    ("/var/run", "system's /var/run"),  # a link to /run: refused as written and as it is
    ("/var/run/docker", "is, holds or is in the system's /var/run"),
    ("/var/lib/docker", "is, holds or is in the system's /var/lib/docker"),
    ("/var/lib/containers/storage", "system's /var/lib/containers"),
    ("/run/user/1000", "system's /run"),
    ("/proc/self/root", "hide part of the image's /proc"),
    ("/srv/tools", "neither a folder in your home nor an IDE's installation"),
    ("/mnt", "neither a folder in your home"),
    ("/opt", "hide the image's /opt/venv"),
    ("/snap", "neither a folder in your home"),
])
def test_hostile_paths_are_refused(path, reason):
    assert reason in (ide.problem(path, "/home/me/src/app", "/home/me") or ""), path


def test_a_link_is_judged_on_what_it_really_is(home, tmp_path):
    (home / "to-home").symlink_to(home)
    (home / "keys").symlink_to(home / ".ssh")
    (home / ".ssh").mkdir()
    (home / "up").symlink_to("..")
    outside = tmp_path / "outside"
    outside.mkdir()
    (home / "out").symlink_to(outside)
    root = str(home / "src" / "app")
    assert "holds your home folder" in ide.problem(str(home / "to-home"), root, str(home))
    assert f"is {home} once its links are followed" in ide.problem(str(home / "to-home"), root, str(home))
    assert "your credentials" in ide.problem(str(home / "keys"), root, str(home))
    assert "holds your home folder" in ide.problem(str(home / "up"), root, str(home))
    assert "neither a folder in your home" in ide.problem(str(home / "out"), root, str(home))
    # a folder of credentials kept elsewhere in the home, through a link: the folder holding it is refused
    (home / ".ssh").rmdir()
    (home / "dotfiles" / "ssh").mkdir(parents=True)
    (home / ".ssh").symlink_to(home / "dotfiles" / "ssh")
    assert "your credentials in" in ide.problem(str(home / "dotfiles"), root, str(home))
    # the project reached through a link
    (home / "src" / "app").mkdir(parents=True)
    (home / "code").symlink_to(home / "src")
    assert "holds the project" in ide.problem(str(home / "code"), root, str(home))


def test_a_folder_holding_the_engines_socket_is_refused(home, monkeypatch):
    (home / "engine").mkdir()
    monkeypatch.setenv("DOCKER_HOST", f"unix://{home}/engine/docker.sock")
    assert "holds the container engine's socket" in ide.problem(str(home / "engine"), "/elsewhere/app", str(home))
    assert ide.problem(str(home / ".vscode"), "/elsewhere/app", str(home)) is None


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
    assert ide.mounts(cfg) == [(str(home / ".vscode" / "extensions"),) * 2]


def test_configured_mounts_are_expanded_and_only_existing_folders_kept(home, tmp_path):
    (home / "pycharm" / "helpers").mkdir(parents=True)
    (home / ".vscode" / "extensions").mkdir(parents=True)  # detected, but the list replaces the defaults
    cfg = load(tmp_path / "app", '[ide]\nmounts = ["~/pycharm/", "~/pycharm/helpers", "~/not-here"]\n')
    assert cfg.ide.mounts == ["~/pycharm/", "~/pycharm/helpers", "~/not-here"]
    assert ide.mounts(cfg) == [(str(home / "pycharm"),) * 2]  # the inner one is inside the outer
    cfg = load(tmp_path / "app", "[ide]\nmounts = []\n")
    assert ide.mounts(cfg) == []


def test_mounts_are_the_real_folders_at_the_named_path_and_judged_again_before_use(home, tmp_path):
    (home / "dotfiles" / "vscode").mkdir(parents=True)
    (home / ".vscode").symlink_to(home / "dotfiles" / "vscode")
    (home / ".vscode" / "extensions").mkdir()
    cfg = load(tmp_path / "app", "")
    assert ide.mounts(cfg) == [(str(home / "dotfiles" / "vscode" / "extensions"), str(home / ".vscode" / "extensions"))]
    (home / "tools").mkdir()
    cfg = load(tmp_path / "app", '[ide]\nmounts = ["~/tools"]\n')
    (home / "tools").rmdir()
    (home / "tools").symlink_to(home)  # swapped after the load
    with pytest.raises(FatalError) as info:
        ide.mounts(cfg)
    assert info.value.exit_code == 1
    assert "ide.mounts: '" in str(info.value) and "holds your home folder" in str(info.value)
    (home / ".vscode").unlink()
    (home / ".vscode").symlink_to(home)  # a detected folder that became a link to the home: skipped
    assert ide.mounts(load(tmp_path / "app", "")) == []


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
    # the image's bytecode cache stays in the container: a host folder could be the mounted source
    assert "describes the host" in error(tmp_path / "app", '[ide]\nenv = ["PYTHONPYCACHEPREFIX"]\n')
    assert "PYTHONPYCACHEPREFIX" not in ide.PASSED_ENV
    assert "not a variable name" in error(tmp_path / "app", '[ide]\nenv = ["A-B"]\n')


def test_ide_defaults(tmp_path):
    cfg = load(tmp_path / "app", "")
    assert cfg.ide == config.IdeConfig(mounts=None, env=[], site_packages=True)


def test_a_linked_folder_is_mounted_from_its_real_folder_at_the_links_path(home, tmp_path):
    real = home / "disk" / "vscode-server"
    real.mkdir(parents=True)
    (home / ".vscode-server").symlink_to(real)
    folders = ide.mounts(load(tmp_path / "app", ""))
    assert folders == [(str(real), str(home / ".vscode-server"))]
    assert (folders[0].source, folders[0].target) == (str(real), str(home / ".vscode-server"))
    assert ide.targets(folders) == [str(home / ".vscode-server")]  # the interpreter's cwds


def test_a_link_to_a_refused_folder_is_still_refused(home, tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "tools").mkdir()
    (home / ".vscode-server").symlink_to(tmp_path / "app" / "tools")  # into the project: detected, skipped
    (home / ".cursor-server").symlink_to("/")
    assert ide.mounts(load(tmp_path / "app", "")) == []
    for name, why in (("~/.vscode-server", "inside the project"), ("~/.cursor-server", "whole image")):
        cfg = load(tmp_path / "app", "")
        cfg.ide.mounts = [name]  # as if swapped after the load
        with pytest.raises(FatalError) as info:
            ide.mounts(cfg)
        assert why in str(info.value) and "once its links are followed" in str(info.value)


def test_a_link_into_another_mount_is_pruned_only_when_that_mount_shows_it_at_its_name(home, tmp_path):
    (home / "pycharm" / "helpers").mkdir(parents=True)
    (home / "helpers-link").symlink_to(home / "pycharm" / "helpers")
    (home / "outer").symlink_to(home / "pycharm")
    cfg = load(tmp_path / "app", '[ide]\nmounts = ["~/outer/helpers", "~/outer", "~/helpers-link"]\n')
    # ~/outer/helpers is inside ~/outer in the container too: pruned; ~/helpers-link is not: kept
    assert ide.mounts(cfg) == [(str(home / "pycharm"), str(home / "outer")),
                               (str(home / "pycharm" / "helpers"), str(home / "helpers-link"))]


def test_a_name_inside_another_mount_through_a_link_there_is_mounted_at_its_real_path(home, tmp_path):
    (home / "pycharm").mkdir()
    (home / "disk" / "helpers").mkdir(parents=True)
    (home / "pycharm" / "helpers").symlink_to(home / "disk" / "helpers")
    cfg = load(tmp_path / "app", '[ide]\nmounts = ["~/pycharm", "~/pycharm/helpers"]\n')
    # the link inside the mounted ~/pycharm leads to the real folder, mounted where it points
    assert ide.mounts(cfg) == [(str(home / "pycharm"),) * 2, (str(home / "disk" / "helpers"),) * 2]
