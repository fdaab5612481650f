"""dkenv/exec/execution.py: the pure parts (cwd mapping, the docker exec argv)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from dkenv.engine import cli
from dkenv.exec import execution
from dkenv.errors import FatalError, UsageError
from dkenv.project import config
from dkenv.project.project import Project

DOCKER = "/usr/local/bin/docker-test"


@pytest.fixture
def proj(tmp_path) -> Project:
    root = tmp_path / "a" / "app"
    root.mkdir(parents=True)
    (root / ".dkenv.toml").write_text("")
    return Project(config=config.load(root), name="app")


@pytest.fixture
def docker(monkeypatch):
    monkeypatch.setattr(cli, "which", lambda name: DOCKER if name == "docker" else None)
    return DOCKER


# --- container_cwd ---

def test_cwd_inside_the_project(proj):
    sub = proj.root / "src" / "pkg"
    assert execution.container_cwd(proj, str(sub)) == str(sub)


def test_cwd_is_the_root(proj):
    assert execution.container_cwd(proj, str(proj.root)) == str(proj.root)


def test_cwd_outside_the_project(proj, tmp_path):
    with pytest.raises(UsageError) as info:
        execution.container_cwd(proj, str(tmp_path))
    assert info.value.exit_code == 2
    assert f"the current directory {tmp_path} is outside the project {proj.root}" in str(info.value)
    assert f"dkenv -C {proj.root} exec" in str(info.value)


def test_cwd_sibling_with_the_root_as_prefix(proj):
    sibling = Path(str(proj.root) + "2")  # /a/app2 is not inside /a/app
    with pytest.raises(UsageError):
        execution.container_cwd(proj, str(sibling))
    with pytest.raises(UsageError):
        execution.container_cwd(proj, str(proj.root) + "-old/src")


def test_cwd_parent_is_outside(proj):
    with pytest.raises(UsageError):
        execution.container_cwd(proj, str(proj.root.parent))


def test_cwd_defaults_to_the_process_cwd(proj, monkeypatch):
    (proj.root / "src").mkdir()
    monkeypatch.chdir(proj.root / "src")
    assert execution.container_cwd(proj) == str(proj.root / "src")


def test_cwd_relative(proj, monkeypatch):
    monkeypatch.chdir(proj.root)
    assert execution.container_cwd(proj, "sub") == str(proj.root / "sub")


# --- exec_args ---

def tail(args: list[str], proj: Project) -> list[str]:
    return args[args.index(proj.container):]


def test_exec_args_without_tty(proj, docker):
    argv = ["python", "-c", "print('a b')", "--flag", "$HOME", "*", ""]
    args = execution.exec_args(proj, argv, workdir=str(proj.root), tty=False, token="tok123")
    assert args[:3] == [DOCKER, "exec", "-i"]
    assert "-t" not in args
    assert tail(args, proj) == ["dkenv-app", "sh", "-c", execution.LAUNCHER, "dkenv", *argv]
    assert args[args.index("-u") + 1] == f"{os.getuid()}:{os.getgid()}"
    assert args[args.index("-w") + 1] == str(proj.root)
    assert f"{execution.TOKEN_VAR}=tok123" in args
    assert args[args.index(f"{execution.TOKEN_VAR}=tok123") - 1] == "-e"
    assert not any(a.startswith("TERM=") for a in args)


def test_exec_args_with_tty(proj, docker, monkeypatch):
    monkeypatch.setenv("TERM", "screen-256color")
    args = execution.exec_args(proj, ["bash"], workdir="/w", tty=True, token="t")
    head = args[:args.index(proj.container)]
    assert "-t" in head
    assert head[head.index("-t") + 1:head.index("-t") + 3] == ["-e", "TERM=screen-256color"]


def test_exec_args_tty_default_term(proj, docker, monkeypatch):
    monkeypatch.delenv("TERM", raising=False)
    args = execution.exec_args(proj, ["bash"], workdir="/w", tty=True, token="t")
    assert "TERM=xterm" in args


def test_exec_args_user_and_env(proj, docker):
    args = execution.exec_args(proj, ["env"], workdir="/w", env={"A": "1", "B": "x=y z"},
                               user="root", tty=False, token="t")
    assert args[args.index("-u") + 1] == "root"
    head = args[:args.index(proj.container)]
    pairs = [head[i + 1] for i, a in enumerate(head) if a == "-e"]
    assert pairs == [f"{execution.TOKEN_VAR}=t", "A=1", "B=x=y z"]


def test_exec_args_options_come_before_the_container(proj, docker):
    args = execution.exec_args(proj, ["-u", "-e", "x"], workdir="/w", tty=False, token="t")
    # the command's own "-u"/"-e" are after the container name, untouched
    assert args.index("-u") < args.index(proj.container)
    assert args[-3:] == ["-u", "-e", "x"]


def test_docker_cli_missing(monkeypatch, proj):
    monkeypatch.setattr(cli, "which", lambda name: None)
    with pytest.raises(FatalError) as info:
        execution.exec_args(proj, ["true"], workdir="/w", tty=False, token="t")
    assert info.value.exit_code == 1
    assert "the `docker` command-line client is needed" in str(info.value)


@pytest.mark.parametrize("code, expected", [(0, 0), (1, 1), (127, 127), (-2, 130), (-15, 143), (-9, 137)])
def test_status(code, expected):
    assert execution._status(code) == expected


# --- the launcher, run by the host's sh (the same POSIX sh as in the container) ---

@pytest.mark.parametrize("command, code, message", [
    ("/etc/hostname-dkenv-test", 126, "not executable in the container (permission denied)"),
    ("/", 126, "not executable in the container (a directory)"),
    ("./no-such-script.sh", 127, "no such file in the container"),
    ("no-such-command-dkenv", 127, "command not found in the container"),
])
def test_a_command_that_cannot_run_is_one_line_and_a_shells_status(tmp_path, command, code, message):
    import subprocess

    if command.startswith("/etc/"):
        command = str(tmp_path / "data.txt")  # a file without the x bit
        (tmp_path / "data.txt").write_text("x")
    result = subprocess.run(["sh", "-c", execution.LAUNCHER, "dkenv", command], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == code
    assert result.stderr == f"dkenv: {command}: {message}\n"


def test_the_launcher_runs_the_command_itself(tmp_path):
    import subprocess

    result = subprocess.run(["sh", "-c", execution.LAUNCHER, "dkenv", "sh", "-c", "echo $0 $1", "a b", "c"],
                            capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "a b c\n")
