"""The command line, run as `python -m dkenv` in a subprocess."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ["init", "build", "dockerfile", "up", "down", "status", "logs", "run", "exec", "shell",
            "hook", "activate", "deactivate", "allow", "deny", "rehash", "shims", "services", "add", "debug"]


def run(tmp_path: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DKENV_", "XDG_"))}
    env.update({
        "PYTHONPATH": str(REPO), "HOME": str(home),
        "XDG_STATE_HOME": str(home / "state"), "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"), "XDG_DATA_HOME": str(home / "share"),
        "DOCKER_HOST": "unix:///nonexistent/docker.sock",  # never reach a real engine
    })
    return subprocess.run([sys.executable, "-m", "dkenv", *args], cwd=cwd or tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)


def test_help_lists_every_command(tmp_path):
    result = run(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: dkenv")
    commands_section = result.stdout.split("Commands:", 1)[1]
    listed = {line.split()[0] for line in commands_section.splitlines() if line.strip()}
    assert set(COMMANDS) <= listed, set(COMMANDS) - listed


def test_help_lists_what_the_group_has(tmp_path):
    from dkenv.cli import cli

    result = run(tmp_path, "-h")
    assert result.returncode == 0
    for name, command in cli.commands.items():
        if not command.hidden:
            assert f"  {name} " in result.stdout


def test_version(tmp_path):
    from dkenv import __version__

    result = run(tmp_path, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"dkenv, version {__version__}"
    assert run(tmp_path, "-V").stdout == result.stdout


def test_unknown_command_exits_2(tmp_path):
    result = run(tmp_path, "frobnicate")
    assert result.returncode == 2
    assert "No such command 'frobnicate'" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_option_exits_2(tmp_path):
    result = run(tmp_path, "status", "--no-such-option")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_bad_config_makes_status_exit_2_with_one_line(tmp_path):
    project = tmp_path / "proj"
    (project / "src").mkdir(parents=True)
    (project / ".dkenv.toml").write_text('[image]\nbsae = "debian"\n')
    result = run(tmp_path, "status", cwd=project / "src")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0] == (f'dkenv: {project / ".dkenv.toml"}:2: image.bsae: unknown key '
                        '(did you mean "base"?)')
    assert result.stdout == ""


def test_malformed_toml_makes_status_exit_2(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / ".dkenv.toml").write_text("[image\n")
    result = run(tmp_path, "status", cwd=tmp_path / "p")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert f"{tmp_path / 'p' / '.dkenv.toml'}:1:" in result.stderr
    assert "invalid TOML" in result.stderr


def test_no_project_exits_2(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(tmp_path, "status", cwd=empty)
    assert result.returncode == 2
    assert "no .dkenv.toml in" in result.stderr
    assert "Traceback" not in result.stderr


def test_dash_c_names_the_project(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / ".dkenv.toml").write_text('[run]\nports = ["99999"]\n')
    result = run(tmp_path, "-C", str(tmp_path / "p"), "status")
    assert result.returncode == 2
    assert "run.ports: '99999': ports are 1-65535" in result.stderr


def test_dash_c_missing_directory(tmp_path):
    result = run(tmp_path, "-C", str(tmp_path / "nope"), "status")
    assert result.returncode == 2
    assert f"no such directory: {tmp_path / 'nope'}" in result.stderr


def test_duplicate_key_makes_status_exit_2(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / ".dkenv.toml").write_text('[image]\nbase = "a"\nbase = "b"\n')
    result = run(tmp_path, "status", cwd=tmp_path / "p")
    assert result.returncode == 2, result.stderr
    assert "already exists" in result.stderr


def test_debug_without_a_port_says_how_to_turn_it_on(tmp_path):
    (tmp_path / ".dkenv.toml").write_text('[project]\nname = "nodebug"\n')
    result = run(tmp_path, "debug")
    assert result.returncode == 2
    assert "debugging is off: set `[debug]` `port = 5678`" in result.stderr


def test_build_and_up_take_verbose_after_the_verb(tmp_path):
    (tmp_path / ".dkenv.toml").write_text('[project]\nname = "v"\n[image]\ninstall = "none"\n')
    for args in (["build", "-v"], ["up", "--verbose"], ["-v", "build"]):
        result = run(tmp_path, *args)
        assert result.returncode == 1, (args, result.stderr)  # accepted: it goes as far as the Engine
        assert "cannot reach the Docker Engine" in result.stderr


@pytest.mark.parametrize(("args", "env", "expected"), [
    ([], {}, "auto"), (["--progress", "plain"], {}, "plain"), ([], {"DKENV_PROGRESS": "tty"}, "tty"),
    (["--progress", "plain"], {"DKENV_PROGRESS": "tty"}, "plain"),
])
def test_progress_travels_as_a_value_of_the_output(monkeypatch, args, env, expected):
    from dkenv.cli import cli

    monkeypatch.delenv("DKENV_PROGRESS", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    ctx = cli.make_context("dkenv", [*args, "tag"])
    with ctx:
        ctx.invoke(cli.callback, **ctx.params)
    assert ctx.obj.out.progress == expected
    assert os.environ.get("DKENV_PROGRESS") == env.get("DKENV_PROGRESS")  # nothing written to the environment
