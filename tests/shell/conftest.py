"""Driving real bash, zsh and fish for the shell-integration tests.

A missing shell skips its tests, unless DKENV_REQUIRE_DOCKER is set (CI, where .ci/run
installs zsh, fish and tmux): then it fails. Every test gets its own HOME and XDG
folders, and a `dkenv` command on PATH that runs this source tree.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from dkenv.shell import shells
from tests.conftest import REPO

SHELLS = shells.NAMES  # every shell record; Interactive knows how to drive each


def require(tool: str) -> str:
    """The tool's path; skip without it, fail without it under DKENV_REQUIRE_DOCKER."""
    found = shutil.which(tool)
    if found:
        return found
    if os.environ.get("DKENV_REQUIRE_DOCKER"):
        pytest.fail(f"{tool} is not installed (.ci/run installs it); DKENV_REQUIRE_DOCKER is set")
    pytest.skip(f"{tool} is not installed")


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """HOME and the XDG folders in tmp (inherited by every shell the test starts)."""
    base = tmp_path / "user"
    for var, sub in (("HOME", "home"), ("XDG_STATE_HOME", "state"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_DATA_HOME", "share"), ("XDG_CACHE_HOME", "cache")):
        (base / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(base / sub))
    # an (empty) name registry: a missing one would be rebuilt from other projects on the Engine
    (base / "state" / "dkenv").mkdir()
    (base / "state" / "dkenv" / "projects.json").write_text("{}")
    # a fish that has made its completions from the man pages once, as a user's has: a first
    # interactive fish runs `python3 create_manpage_completions.py` in the background, which in
    # the subshell of `dkenv activate` (the shims already first on PATH) is the project's python3
    # shim: it started the project's container after the test had ended, and nothing took it down
    (base / "share" / "fish" / "generated_completions").mkdir(parents=True)
    for var in ("DKENV_PROJECT", "DKENV_ACTIVE_NAME", "DKENV_DISABLE", "DKENV_DISABLE_PROMPT",
                "_DKENV_SUBSHELL", "PROMPT_COMMAND", "ZDOTDIR"):
        monkeypatch.delenv(var, raising=False)
    return base / "home"


LAUNCHER = """\
#!{python}
# like the console script pip installs; logs each call when DKENV_TEST_CALLS names a file
import os, sys
sys.path.insert(0, {repo!r})
if os.environ.get("DKENV_TEST_CALLS"):
    with open(os.environ["DKENV_TEST_CALLS"], "a") as log:
        log.write(" ".join(sys.argv[1:]) + "\\n")
from dkenv.cli import main
sys.exit(main())
"""


@pytest.fixture
def dkenv_bin(tmp_path) -> Path:
    """A folder with a `dkenv` command running this source tree (as an installed one would)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "dkenv"
    script.write_text(LAUNCHER.format(python=sys.executable, repo=str(REPO)))
    script.chmod(0o755)
    return folder


@pytest.fixture
def shell_env(home, dkenv_bin) -> dict[str, str]:
    """The environment for a user's shell: the `dkenv` command first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{dkenv_bin}:{env.get('PATH', '/usr/bin:/bin')}"
    env["PYTHONPATH"] = str(REPO)
    env["TERM"] = "dumb"
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    for var in [v for v in env if v.startswith("PYTEST_")]:
        env.pop(var)
    return env


def write_project(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".dkenv.toml").write_text(f'[project]\nname = "{name}"\n')
    return folder


class Interactive:
    """An interactive shell on a pseudo-terminal (pexpect), as a user would type in it."""

    PROMPTS = {"bash": "[bash]$ ", "zsh": "[zsh]> ", "fish": "[fish]> "}

    def __init__(self, shell: str, env: dict[str, str], cwd: Path, tmp: Path, hook: str | None = "",
                 init: str = ""):
        import pexpect

        self.shell = shell
        self.tmp = tmp
        self.prompt = self.PROMPTS[shell]
        self.count = 0
        exe = require(shell)
        hook_line = "" if hook is None else self.install_line(hook)
        if shell == "bash":
            rc = tmp / "bashrc"
            rc.write_text(f"PS1='{self.prompt}'\n{hook_line}\n{init}\n")
            argv = [exe, "--noprofile", "--rcfile", str(rc), "-i"]
        elif shell == "zsh":
            zdot = tmp / "zdot"
            zdot.mkdir(exist_ok=True)
            (zdot / ".zshrc").write_text(f"unsetopt prompt_sp prompt_cr\nPS1='{self.prompt}'\n{hook_line}\n{init}\n")
            env = {**env, "ZDOTDIR": str(zdot)}
            argv = [exe, "-i"]
        else:
            conf = tmp / "config.fish"
            conf.write_text("set -g fish_greeting\n"
                            "function fish_prompt; printf '[fish]> '; end\n"
                            f"{hook_line}\n{init}\n")
            argv = [exe, "--no-config", "-i", "-C", f"source {conf}"]
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=str(cwd), encoding="utf-8",
                                   timeout=60, dimensions=(40, 200))
        self.log = tmp / "terminal.log"  # everything the terminal showed, for post-mortems
        self.child.logfile_read = open(self.log, "w", encoding="utf-8")
        self.expect_prompt()

    def install_line(self, flags: str) -> str:
        flags = f" {flags}" if flags else ""
        if self.shell == "fish":
            return f"dkenv hook fish{flags} | source"
        return f'eval "$(dkenv hook {self.shell}{flags})"'

    def expect_prompt(self) -> str:
        """Wait for the prompt; returns what the terminal showed before it."""
        self.child.expect_exact(self.prompt)
        return _strip(self.child.before)

    def send(self, line: str) -> None:
        """Type a line, again if the shell dropped it (fish may discard what is typed in the
        instant it takes the terminal back after a command)."""
        import pexpect

        for _ in range(3):
            if self.shell == "fish":
                time.sleep(0.1)
            self.child.sendline(line)
            try:
                self.child.expect_exact(line[:6], timeout=10)  # its echo
                return
            except pexpect.TIMEOUT:
                continue
        raise AssertionError(f"{self.shell} does not take input; see {self.log}")

    def type(self, command: str) -> str:
        """Type a command line without a sentinel (e.g. one that starts a subshell) and wait
        for the next prompt; returns what the terminal shows after the typed line."""
        self.send(command)
        self.child.expect_exact("\n")  # the end of the echoed line (fish redraws the prompt while typing)
        return self.expect_prompt()

    def run(self, command: str) -> str:
        """Type a command, wait until it has finished (it then prints a sentinel) and for the
        next prompt; returns what the terminal shows between the two (e.g. a prompt prefix)."""
        self.count += 1
        tag = f"SYNC{self.count}"
        self.send(f"{command}; printf '__%s__\\n' {tag}")
        self.child.expect_exact(f"__{tag}__")
        self.child.expect_exact(self.prompt)
        return _strip(self.child.before)

    def capture(self, command: str) -> str:
        """Type a command (run in this shell, not a subshell) and return its stdout and stderr."""
        self.count += 1
        out = self.tmp / f"out{self.count}"
        if self.shell == "fish":
            self.run(f"begin; {command}; end > {out} 2>&1")
        else:
            self.run(f"{{ {command}; }} > {out} 2>&1")
        return out.read_text(encoding="utf-8", errors="replace")

    def status(self, command: str) -> int:
        """Type a command and return its exit status."""
        var = "$status" if self.shell == "fish" else "$?"
        return int(self.capture(f"{command}; echo __status=" + var).rsplit("__status=", 1)[1].strip())

    def state(self) -> dict[str, str]:
        """PATH, the prompt (PS1 and its rendering; fish: the rendering) and the dkenv variables."""
        self.count += 1
        out = self.tmp / f"state{self.count}"
        out.mkdir()
        if self.shell == "fish":
            self.run(f"string join : $PATH > {out}/PATH; fish_prompt > {out}/PROMPT; "
                     f"printf '%s' \"$DKENV_PROJECT\" > {out}/DKENV_PROJECT; "
                     f"printf '%s' \"$DKENV_ACTIVE_NAME\" > {out}/DKENV_ACTIVE_NAME")
        else:
            render = '"${PS1@P}"' if self.shell == "bash" else '"${(%)PS1}"'
            self.run(f"printf '%s' \"$PATH\" > {out}/PATH; printf '%s' {render} > {out}/PROMPT; "
                     f"printf '%s' \"$PS1\" > {out}/PS1; "
                     f"printf '%s' \"${{DKENV_PROJECT-}}\" > {out}/DKENV_PROJECT; "
                     f"printf '%s' \"${{DKENV_ACTIVE_NAME-}}\" > {out}/DKENV_ACTIVE_NAME")
        return {p.name: p.read_bytes().decode("utf-8", "surrogateescape") for p in out.iterdir()}

    def cd(self, folder: Path | str) -> str:
        """cd at a prompt of its own (auto-activation looks at $PWD before each prompt);
        returns what the terminal shows up to the next prompt (messages, a prompt prefix)."""
        return self.run(f"cd {quote(self.shell, str(folder))}")

    def close(self) -> None:
        """Type `exit` and wait a moment for the terminal to close (EOF); a shell still
        running then (e.g. the outer one when `exit` left a subshell) is killed."""
        import pexpect

        child = self.child
        try:
            if child.isalive():
                child.sendline("exit")
                if child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=1) == 0:
                    child.wait()  # it closed the terminal: it is exiting
            if child.isalive():
                child.terminate(force=True)
            child.ptyproc.delayafterclose = 0  # reaped already: no need to sleep in close()
            child.close(force=True)
        finally:
            child.logfile_read.close()


_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


def _strip(text: str) -> str:
    return _ESCAPES.sub("", text)


def quote(shell: str, value: str) -> str:
    return shells.family(shell).quote(value)


@pytest.fixture
def interactive(tmp_path, shell_env):
    """Start interactive shells: interactive(shell, cwd=..., hook="--auto"); closed at the end."""
    started = []

    def start(shell: str, cwd: Path | None = None, hook: str | None = "", init: str = "",
              env: dict | None = None) -> Interactive:
        folder = tmp_path / f"{shell}-{len(started)}"
        folder.mkdir()
        term = Interactive(shell, {**shell_env, **(env or {})}, cwd or tmp_path, folder, hook=hook, init=init)
        started.append(term)
        return term

    yield start
    with contextlib.ExitStack() as closing:  # closes every shell; an error in one still fails the test
        for term in started:
            closing.callback(term.close)
