"""The command that runs this same dkenv again, baked into hooks and shims."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from dkenv import declared


def dkenv_command() -> list[str]:
    """`[/abs/bin/dkenv]` when started as the `dkenv` script, else `[python, -m, dkenv]`.

    Baked into the shell hook and the shims, so they reach the dkenv that wrote them
    even when it is not on PATH (a venv that is not activated, `python -m dkenv`).
    """
    argv0 = sys.argv[0] if sys.argv else ""
    if Path(argv0).name == "dkenv" and os.path.isfile(declared.path(argv0)) and os.access(argv0, os.X_OK):
        return [os.path.abspath(argv0)]
    if Path(argv0).name == "__main__.py" and Path(argv0).parent.name == "dkenv":
        return [sys.executable, "-m", "dkenv"]
    declared.command("dkenv")
    found = shutil.which("dkenv")
    if found:
        return [os.path.abspath(found)]
    return [sys.executable, "-m", "dkenv"]
