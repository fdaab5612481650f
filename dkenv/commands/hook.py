"""`dkenv hook [bash|zsh|fish] [--auto]`: print the shell hook."""
from __future__ import annotations

from dkenv.errors import UsageError
from dkenv.shell import hooks, shells, usershell


def run(opts, *, shell_name: str | None, auto: bool) -> int:
    if not shell_name:
        detected = usershell.detect()
        if detected is None or detected.name not in shells.SHELLS:
            what = f"your shell looks like {detected.name!r}" if detected else "cannot tell which shell you use"
            raise UsageError(f"dkenv: {what}; name it: dkenv hook {'|'.join(shells.NAMES)}")
        shell_name = detected.name
    opts.out.echo(hooks.render(shell_name, auto=auto).rstrip("\n"))
    return 0
