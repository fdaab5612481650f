"""`dkenv activate` without the hook: a new interactive shell of the user's kind with the
project active (its startup files first, then the activation code); `exit` leaves it.
How each shell is started is its record's `subshell` (shell/shells.py); a shell without a
record gets the environment only.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from dkenv.errors import FatalError
from dkenv.shell import activation, shells, templates
from dkenv.shell.usershell import UserShell

MARK_VAR = "_DKENV_SUBSHELL"  # set in the subshell: `dkenv deactivate` there says to `exit`
_WORD = re.compile(r"\{(folder|code)\}")  # in a record's subshell.args


def command(project, shell: UserShell, env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """argv and environment of the subshell (may write a temporary startup folder)."""
    env = {**env, MARK_VAR: "1"}
    record = shells.SHELLS.get(shell.name)
    if record is None:
        return _any_shell(project, shell, env)
    start = record.subshell
    words = {"code": activation.for_project(record.name, project)}
    if start.script:
        folder = Path(tempfile.mkdtemp(prefix="dkenv-subshell-"))
        script = folder / start.script
        script.write_text(words["code"], encoding="utf-8")
        values = {"TMPDIR": str(folder), "ACTIVATE": str(script)}
        for name, template in start.files:
            (folder / name).write_text(templates.render(template, values, record.name), encoding="utf-8")
        words["folder"] = str(folder)
        if start.folder_var:
            if start.folder_var in env:
                env[f"_DKENV_USER_{start.folder_var}"] = env[start.folder_var]
            env[start.folder_var] = str(folder)
    return [shell.path, *(_WORD.sub(lambda m: words[m.group(1)], arg) for arg in start.args)], env


def _any_shell(project, shell: UserShell, env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """A shell without a record: the environment only, and PS1 for the shells that read it from there."""
    entries = env["PATH"].split(os.pathsep) if env.get("PATH") else []
    previous = env.get("DKENV_PROJECT")
    if previous and str(Path(previous) / ".dkenv" / "shims") in entries:
        entries.remove(str(Path(previous) / ".dkenv" / "shims"))  # switching projects
    env["PATH"] = os.pathsep.join([str(project.shims_dir), *entries])
    env["DKENV_PROJECT"] = str(project.root)
    env["DKENV_ACTIVE_NAME"] = project.name
    if not env.get("DKENV_DISABLE_PROMPT"):
        env["PS1"] = activation.prompt_prefix(project.name) + env.get("PS1", "$ ")
    return [shell.path, "-i"], env


def start(project, shell: UserShell | None) -> None:
    """Replace this process by the subshell (never returns)."""
    if shell is None:
        raise FatalError("dkenv: cannot tell which shell you use (and $SHELL is not set); "
                         "set SHELL or install the hook (see `dkenv hook --help`)")
    argv, env = command(project, shell, dict(os.environ))
    try:
        os.execve(argv[0], argv, env)
    except OSError as e:
        raise FatalError(f"dkenv: cannot start {argv[0]}: {e.strerror}") from None
