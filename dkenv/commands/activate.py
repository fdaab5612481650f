"""`dkenv activate`: route python, pip, manage.py... of this shell into the project container.

With the hook, the shell function runs `dkenv activate --shell-code SHELL` and evaluates
what it prints, in the current shell. Without it, `dkenv activate` starts a subshell
with the project active. `--auto` (from the hook's auto mode) activates approved
projects only, and so never builds or starts anything for an unknown .dkenv.toml.
"""
from __future__ import annotations

import os
from pathlib import Path

from dkenv.errors import FatalError
from dkenv.project.config import CONFIG_NAME, locate_root
from dkenv.project.project import open_project
from dkenv.shell import activation, allow, hooks, shims, subshell, usershell


def _venv_scripts_if_cheap(project) -> list[str] | None:
    """The venv's scripts on a first activation with the container running, else None (keep)."""
    if not project.config.shims.venv_scripts:
        return []
    if any(o == shims.VENV_SCRIPT for o in shims.present(project.shims_dir).values()):
        return None  # known from an earlier rehash; `dkenv rehash` refreshes them
    from dkenv.exec import pidfile

    if not pidfile.known_running(project):
        return None  # not running (checked without importing the Engine layer)
    from dkenv.shell import venvscripts

    try:
        return venvscripts.listing(project)
    except Exception:  # an unreachable Engine must not stop an activation
        return None


def run(opts, *, shell_code: str | None, auto: bool) -> int:
    out = opts.out
    if shell_code:
        activation.family(shell_code)  # a usage error before anything else
    # the project here (or -C DIR), not $DKENV_PROJECT: activating switches to it
    found = locate_root(opts.directory or os.getcwd())
    root = Path(found).resolve()  # one identity for a project reached through a symlink
    if auto and not allow.is_allowed(root):
        from dkenv.commands.allow import reaches

        out.say(f"dkenv: {found / CONFIG_NAME} is not allowed; run `dkenv allow` to approve it")
        reaches(root, out.say, "if allowed, it reaches beyond the project:")
        return 1
    project = open_project(str(root))
    if not auto:
        from dkenv.shell import reach

        allow.allow(root)  # an explicit activation approves the file
        reach.report(project.config, out.say, f"approved {project.config.path}; it reaches beyond the project:")
    shims.rehash(project, _venv_scripts_if_cheap(project))
    foreign = shims.foreign_files(project)
    if foreign:
        raise FatalError(f"dkenv: {foreign[0]} is in the shims folder but dkenv did not make it; activating "
                         "would run it for every command of that name. Nothing was activated: remove it "
                         "(dkenv rehash remakes the folder's shims)")
    if shell_code:
        out.echo(activation.for_project(shell_code, project, auto=auto).rstrip("\n"))
        return 0
    if os.environ.get("DKENV_PROJECT") == str(project.root):
        out.say(f"dkenv: {project.name} is already active in this shell; `exit` leaves it")
        return 0
    shell = usershell.detect()
    out.say(f"dkenv: a new {shell.name if shell else 'shell'} with {project.name} active; `exit` leaves it")
    out.say(f"dkenv: to activate in the current shell instead, {hooks.install_hint(shell.name if shell else None)}")
    subshell.start(project, shell)
    return 0  # not reached: the subshell replaces this process
