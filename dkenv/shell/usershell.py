"""Which shell the user runs dkenv from (the only module importing shellingham)."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from dkenv.shell import shells


@dataclass(frozen=True)
class UserShell:
    name: str  # a record's name (shells.NAMES) or any other shell's: "sh", "tcsh"...
    path: str  # the executable to start a subshell with


def detect() -> UserShell | None:
    """The shell that started dkenv (shellingham), else $SHELL, else None."""
    try:
        import shellingham

        name, path = shellingham.detect_shell()
    except Exception:  # ShellDetectionFailure, or an unreadable process table
        name = path = ""
    if name:
        found = _executable(path) or _executable(name)
        if found:
            return UserShell(_normal_name(name), found)
    login = os.environ.get("SHELL", "")
    found = _executable(login) if login else None
    if found:
        return UserShell(_normal_name(Path(login).name), found)
    return None


def _normal_name(name: str) -> str:
    name = Path(name.lstrip("-")).name.lower()
    for known in shells.NAMES:
        if name == known or name.startswith(known + "-"):
            return known
    return name


def _executable(path: str) -> str | None:
    path = path.lstrip("-")
    if not path:
        return None
    if os.sep in path:
        return path if os.path.isfile(path) and os.access(path, os.X_OK) else None
    return shutil.which(path)
