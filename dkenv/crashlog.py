"""Unexpected errors: the traceback goes to a log file, the user gets its path."""
from __future__ import annotations

import sys
import tempfile
import time
import traceback
from pathlib import Path

from dkenv import __version__, paths

KEEP = 10  # tracebacks kept in dkenv.log, the newest last
SEPARATOR = "\n" + "=" * 72 + "\n"


def write() -> Path:
    """Append the current exception's traceback to dkenv.log (the last KEEP kept); its path."""
    when = time.strftime("%Y-%m-%d %H:%M:%S")
    text = (f"{when} dkenv {__version__}, Python {sys.version.split()[0]}\nargv: {sys.argv!r}\n\n"
            f"{traceback.format_exc()}")
    for folder in (paths.state_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            log = folder / "dkenv.log"
            try:
                old = log.read_text(errors="replace").split(SEPARATOR)
            except FileNotFoundError:
                old = []
            entries = [e for e in old if e.strip()][-(KEEP - 1):] + [text]
            log.write_text(SEPARATOR.join(entries))
            return log
        except OSError:
            continue
    return Path("(nowhere: no writable folder)")
