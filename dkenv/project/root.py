"""Where a project is: the folder holding `.dkenv.toml`, searched from `-C DIR`, else
`$DKENV_PROJECT`, else the cwd, walking up as git finds `.git`. The one search of the full CLI
(project/config.py's `locate_root`) and the lean paths (commands/_lean.py, _leanup.py):
strings and `os` only, no pathlib, so that those start fast."""
from __future__ import annotations

import os

CONFIG_NAME = ".dkenv.toml"


def start(directory: str | None = None) -> str | None:
    """Where the search starts: `-C DIR`, else `$DKENV_PROJECT`; None: the cwd."""
    return directory or os.environ.get("DKENV_PROJECT") or None


def absolute(path: str) -> str:
    """`path` made absolute as pathlib's `Path(path).absolute()` makes it: joined to the cwd,
    empty and `.` parts dropped, `..` kept (a symbolic link's parent is not the text's)."""
    parts = [part for part in os.path.join(os.getcwd(), path).split("/") if part and part != "."]
    return "/" + "/".join(parts)


def find(start: str | None = None) -> str | None:
    """The nearest folder holding `.dkenv.toml`, from `start` (default: the cwd) up; None."""
    here = absolute(start) if start else os.getcwd()
    while True:
        if os.path.isfile(os.path.join(here, CONFIG_NAME)):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
