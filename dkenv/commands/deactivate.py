"""`dkenv deactivate`: undo `dkenv activate` in this shell (through the hook)."""
from __future__ import annotations

import os

from dkenv.errors import UsageError
from dkenv.shell import activation, hooks, subshell, usershell


def run(opts, *, shell_code: str | None) -> int:
    out = opts.out
    active = os.environ.get("DKENV_PROJECT")
    if shell_code:
        activation.family(shell_code)
        if not active:
            out.say("dkenv: no project is active in this shell")
            return 1
        out.echo(activation.deactivate_code(shell_code).rstrip("\n"))
        return 0
    if os.environ.get(subshell.MARK_VAR):
        out.say("dkenv: this is the subshell of `dkenv activate`: `exit` leaves it")
        return 1
    if not active:
        out.say("dkenv: no project is active in this shell")
        return 1
    shell = usershell.detect()
    raise UsageError(f"dkenv: `dkenv deactivate` changes the current shell and needs the hook: "
                     f"{hooks.install_hint(shell.name if shell else None)}")
