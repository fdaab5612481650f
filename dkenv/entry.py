"""The `dkenv` command's entry point: `dkenv exec` in a project whose container is known
running goes straight to it (commands/_lean.py), and a `dkenv up` with nothing to do says so
(commands/_leanup.py), with neither click nor the Docker SDK, inside the same error boundary
as the CLI (dkenv/boundary.py); everything else, and anything unusual, is the click CLI (cli/)."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    code = None
    if "exec" in args[:3]:
        from dkenv import boundary
        from dkenv.commands import _lean

        code = boundary.run(lambda: _lean.try_exec(args))
    elif "up" in args[:3]:
        from dkenv import boundary
        from dkenv.commands import _leanup

        code = boundary.run(lambda: _leanup.try_up(args))
    if code is not None:
        return code
    from dkenv.cli import main as cli_main

    return cli_main(argv)
