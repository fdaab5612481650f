"""Unexpected errors: the traceback goes to a log file, the user gets its path."""
from __future__ import annotations

import sys
import tempfile
import traceback
from pathlib import Path

from dkenv import __version__, paths


def write() -> Path:
    """Write the current exception's traceback to dkenv.log and return its path."""
    text = f"dkenv {__version__}, Python {sys.version.split()[0]}\nargv: {sys.argv!r}\n\n{traceback.format_exc()}"
    for folder in (paths.state_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            log = folder / "dkenv.log"
            log.write_text(text)
            return log
        except OSError:
            continue
    return Path("(nowhere: no writable folder)")
