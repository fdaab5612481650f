"""The catalogue of bad input, continued: faults of the machine and of dkenv's own state
(docs/reliability.md). Each ends in one line and exit 1 or 2, or is a documented correct
behaviour (a cache that cannot be read is a miss); never a traceback."""
from __future__ import annotations

import sys

import pytest

from dkenv.cli import main
from dkenv.exec import pidfile
from dkenv.output import Output
from dkenv.errors import FatalError
from tests.unit.test_bad_input import assert_one_line, project, run_cli  # noqa: F401 - the fixture

PIP = '[project]\nname = "shop"\n[image]\nbase = "python:3.11-slim-bookworm"\ninstall = "none"\n'


def test_an_env_file_that_is_not_utf8(project, capsys):
    (project / ".dkenv.toml").write_text(PIP + '[run]\nenv_file = ".env"\n')
    (project / ".env").write_bytes(b"A=\xff\xfe\n")
    code, err = run_cli(project, ["export", "compose", "-o", "-"], capsys)
    assert code == 2
    assert_one_line(err, [".env: not UTF-8 text", "env files are UTF-8"])


def test_a_full_stdout_is_one_line_and_exit_1(tmp_path, monkeypatch):
    full = open("/dev/full", "w")
    monkeypatch.setattr(sys, "stdout", full)
    with pytest.raises(FatalError, match="cannot write the output: No space left on device"):
        Output().echo("x" * 10)


def test_a_folder_where_the_pid_file_goes(tmp_path):
    class Project:
        work_dir = tmp_path / ".dkenv"
    (tmp_path / ".dkenv" / "run" / "container.pid").mkdir(parents=True)
    record = pidfile.Record(1, "abc", str(tmp_path), "1000:1000")
    with pytest.raises(FatalError, match="cannot write .*container.pid"):
        pidfile.write(Project, record)
    pidfile.remove(Project)  # `down`: a record that cannot be removed is only stale


def test_junk_in_the_containers_record_is_a_miss(tmp_path):
    from dkenv.containers import noop

    class Project:
        root = tmp_path
        work_dir = tmp_path / ".dkenv"
    (tmp_path / ".dkenv" / "run").mkdir(parents=True)
    noop.path(Project).write_bytes(b"\xff\xfe\x00junk\n")
    assert noop.recorded(Project) == {}
    noop.record(Project, {})  # rewritten or left; never a traceback


def test_the_approvals_folder_is_a_file(project, capsys, tmp_path):
    (project / ".dkenv.toml").write_text(PIP)
    (tmp_path / "state" / "dkenv").mkdir(parents=True)
    (tmp_path / "state" / "dkenv" / "allow").write_text("")
    code = main(["-C", str(project), "allow"])
    assert code == 1
    assert_one_line(capsys.readouterr().err, ["cannot record the approval", "must be a folder"])
