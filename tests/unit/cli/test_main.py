"""dkenv/cli/: the group (its options into the Options every verb gets, each verb a call into
dkenv.commands.<verb>.run) and the one error boundary (`main`): an error's message and exit
code, Ctrl-C 130, a closed stdout 1, anything unexpected 3 with its traceback in dkenv.log.
In-process, a command stood in for; the real command line is tests/unit/test_cli.py's."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from dkenv.cli import boundary, cli
from dkenv.errors import ConfigError, FatalError, UsageError

pytestmark = pytest.mark.usefixtures("state")


@pytest.fixture
def status(monkeypatch):
    """`dkenv status` runs this instead: `status.action` (what it raises or returns), its calls in `status.calls`."""
    module = importlib.import_module("dkenv.commands.status")

    class Stand:
        calls: list = []
        action = staticmethod(lambda opts, **kwargs: 0)

    def run(opts, **kwargs):
        Stand.calls.append((opts, kwargs))
        return Stand.action(opts, **kwargs)

    monkeypatch.setattr(module, "run", run)
    Stand.calls = []
    return Stand


def raising(error: BaseException):
    def action(opts, **kwargs):
        raise error
    return action


def test_the_group_gives_the_verb_the_directory_and_one_output(status, monkeypatch):
    monkeypatch.delenv("DKENV_PROGRESS", raising=False)
    assert boundary.main(["-C", "/some/where", "-v", "--progress", "plain", "status"]) == 0
    [(opts, kwargs)] = status.calls
    assert opts.directory == "/some/where" and opts.out.verbose is True and opts.out.progress == "plain"
    assert kwargs == {"as_json": False}  # its own option, as a keyword
    assert boundary.main(["status"]) == 0
    opts = status.calls[-1][0]
    assert opts.directory is None and opts.out.verbose is False and opts.out.progress == "auto"


def test_the_verbs_exit_status_is_dkenvs(status):
    status.action = lambda opts, **kwargs: 4
    assert boundary.main(["status"]) == 4


@pytest.mark.parametrize("error, code", [
    (FatalError("dkenv: the image build failed: no space left"), 1),
    (ConfigError("dkenv: /p/.dkenv.toml:3: image.base: not an image"), 2),
    (UsageError("dkenv: no .dkenv.toml in /p or above"), 2),
])
def test_an_error_is_its_message_alone_and_its_exit_code(status, capsys, error, code):
    status.action = raising(error)
    assert boundary.main(["status"]) == code
    captured = capsys.readouterr()
    assert captured.err == f"{error}\n" and captured.out == ""
    assert "Traceback" not in captured.err


def test_ctrl_c_is_130_with_the_line_ended_and_nothing_said(status, capsys):
    status.action = raising(KeyboardInterrupt())
    assert boundary.main(["status"]) == 130
    err = capsys.readouterr().err
    assert err.startswith("\n") and err.strip() == ""  # the ^C line ended (click ends it once more)


def test_a_closed_stdout_is_1_and_says_nothing(status, capsys):
    status.action = raising(BrokenPipeError())
    assert boundary.main(["status"]) == 1
    assert capsys.readouterr().err == ""


def test_anything_unexpected_is_3_with_its_traceback_in_the_log(status, capsys):
    status.action = raising(ZeroDivisionError("the bug"))
    assert boundary.main(["status"]) == 3
    err = capsys.readouterr().err
    match = re.fullmatch(r"dkenv: unexpected error, please report it; details in (\S+)\n", err)
    assert match, err
    log = Path(match.group(1)).read_text()
    assert "Traceback (most recent call last):" in log and "ZeroDivisionError: the bug" in log
    assert "in action" in log  # the frame that raised it


def test_a_usage_error_of_click_is_2_with_clicks_message(capsys):
    assert boundary.main(["status", "--no-such-option"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Usage: dkenv status") and "--no-such-option" in err and "Traceback" not in err
    assert boundary.main(["frobnicate"]) == 2


def test_help_and_version_exit_0(capsys):
    assert boundary.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("dkenv, version ")
    assert boundary.main(["up", "--help"]) == 0
    assert "Usage: dkenv up" in capsys.readouterr().out


def test_every_verb_is_a_commands_module_with_run():
    """Each verb's callback calls dkenv.commands.<verb>.run (run_verb, imported on use)."""
    for name, command in cli.commands.items():
        module = importlib.import_module(f"dkenv.commands.{name}")
        assert callable(getattr(module, "run", None)), name
