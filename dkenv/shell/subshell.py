"""`dkenv activate` without the hook: a new interactive shell of the user's kind with the
project active (its startup files first, then the activation code); `exit` leaves it.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from dkenv.errors import FatalError
from dkenv.shell import activation, templates
from dkenv.shell.usershell import UserShell

MARK_VAR = "_DKENV_SUBSHELL"  # set in the subshell: `dkenv deactivate` there says to `exit`


def command(project, shell: UserShell, env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """argv and environment of the subshell (may write a temporary startup folder)."""
    env = {**env, MARK_VAR: "1"}
    if shell.name == "fish":
        return [shell.path, "-i", "-C", activation.for_project("fish", project)], env
    if shell.name in ("bash", "zsh"):
        folder = Path(tempfile.mkdtemp(prefix="dkenv-subshell-"))
        script = folder / "activate.sh"
        script.write_text(activation.for_project(shell.name, project), encoding="utf-8")
        values = {"TMPDIR": str(folder), "ACTIVATE": str(script)}
        if shell.name == "bash":
            rcfile = folder / "bashrc"
            rcfile.write_text(templates.render("subshell.bashrc", values, "sh"), encoding="utf-8")
            return [shell.path, "--rcfile", str(rcfile), "-i"], env
        (folder / ".zshenv").write_text(templates.render("subshell.zshenv", values, "sh"), encoding="utf-8")
        (folder / ".zshrc").write_text(templates.render("subshell.zshrc", values, "sh"), encoding="utf-8")
        if "ZDOTDIR" in env:
            env["_DKENV_USER_ZDOTDIR"] = env["ZDOTDIR"]
        env["ZDOTDIR"] = str(folder)
        return [shell.path, "-i"], env
    # any other shell: the environment only, and PS1 for the shells that read it from there
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
