"""Completion in real interactive shells, as delivered by `dkenv hook SHELL`: commands,
options, service names, and `dkenv exec`'s commands from the shims folder. A shell
starts no dkenv process for it; a TAB press runs one."""
from __future__ import annotations

import re
import time

import pytest

from tests.shell.conftest import SHELLS

pytestmark = pytest.mark.shell

CONFIG = """\
[project]
name = "comp"
[services.db]
template = "postgres"
[services.worker]
command = "celery worker"
"""
# zsh: compinit after the hook line, as many ~/.zshrc have it (the hook registers at the first prompt)
INIT = {"zsh": "autoload -Uz compinit && compinit -u -D"}


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "work" / "comp"
    (root / ".dkenv" / "shims").mkdir(parents=True)
    (root / ".dkenv.toml").write_text(CONFIG)
    for name in ("python", "pip", "manage.py", "pytest"):  # pytest: a venv script's shim
        (root / ".dkenv" / "shims" / name).write_text("#!/bin/sh\n")
    return root


def completed(term, partial: str, want: str) -> str:
    """Type `partial`, press TAB, wait for the last word of `want` to show, then make the
    shell print the line it holds (Ctrl-A, `echo` in front, Enter); returns that line."""
    import pexpect

    child = term.child
    child.send(partial)
    time.sleep(0.2)
    child.send("\t")
    try:
        child.expect_exact(want.split()[-1], timeout=15)  # the completion ran dkenv and inserted it
    except pexpect.TIMEOUT:
        pass  # the line is printed as it is, and compared
    time.sleep(0.3)
    child.send("\x01")
    time.sleep(0.2)
    child.send("echo __''X ")
    time.sleep(0.2)
    child.send("\r")
    child.expect(re.compile(r"__X (dkenv[^\r\n]*)\r?\n"))
    line = child.match.group(1)
    term.expect_prompt()
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line).strip()


CASES = [
    ("dkenv log", "dkenv logs"),  # a command (lo: lock or logs)
    ("dkenv down --pu", "dkenv down --purge"),  # an option
    ("dkenv logs wor", "dkenv logs worker"),  # a service name
    ("dkenv exec man", "dkenv exec manage.py"),  # a configured shim
    ("dkenv exec pyte", "dkenv exec pytest"),  # a venv script's shim
    ("dkenv add redi", "dkenv add redis"),  # a catalog template
    ("dkenv export dev", "dkenv export devcontainer"),  # a subcommand
]


@pytest.mark.parametrize("shell", SHELLS)
def test_tab_completes(shell, interactive, project, tmp_path):
    calls = tmp_path / "calls.log"
    term = interactive(shell, cwd=project, init=INIT.get(shell, ""), env={"DKENV_TEST_CALLS": str(calls)})
    assert calls.read_text().splitlines() == [f"hook {shell}"]  # the hook's own run, nothing more
    got = [completed(term, partial, want) for partial, want in CASES]
    assert got == [want for _, want in CASES]
    assert len(calls.read_text().splitlines()) > 1  # TAB ran dkenv


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_outside_a_project_still_offers_commands(shell, interactive, tmp_path):
    term = interactive(shell, cwd=tmp_path, init=INIT.get(shell, ""))
    assert completed(term, "dkenv doct", "dkenv doctor") == "dkenv doctor"
    assert completed(term, "dkenv logs x", "dkenv logs x") == "dkenv logs x"  # no project: nothing offered
