"""The folders dkenv owns in a project are real folders: `.dkenv/` and what is in it, `data/`
and the folders of it dkenv mounts (`data/dkenv`, `data/SERVICE`). A cloned repository
that ships one of them as a symbolic link (`.dkenv -> ..`, `data -> /elsewhere`,
`.dkenv/run -> /elsewhere`) would have dkenv write, mount and remove wherever it points:
`open_project` refuses it with one line before anything is written (FatalError, exit 1),
and registers the root with fileio, whose writes below it never follow a link.

A link elsewhere in `data/` (a dataset of yours) is none of dkenv's business: dkenv
neither writes nor mounts it.
"""
from __future__ import annotations

import os
from pathlib import Path

from dkenv import declared, fileio
from dkenv.errors import FatalError

WORK_DIR = ".dkenv"
DATA_DIR = "data"
DKENV_DATA = "dkenv"  # data/dkenv: the shell history, mounted in the project container


def links(root: Path, services: list[str]) -> list[Path]:
    """The symbolic links among the folders dkenv owns (nothing is followed to find them)."""
    work, data = root / WORK_DIR, root / DATA_DIR
    candidates = [work, data]
    if _real_dir(work):
        try:
            candidates += [work / name for name in sorted(os.listdir(declared.listing(work)))]
        except OSError:
            pass
    if _real_dir(data):
        candidates += [data / name for name in (DKENV_DATA, *services)]
    return [path for path in candidates if fileio.is_link(declared.path(path))]


def _real_dir(path: Path) -> bool:
    return not fileio.is_link(path) and path.is_dir()


def check(root: Path, services: list[str]) -> None:
    """Refuse a project whose own folders hold a symbolic link; then confine dkenv's writes."""
    found = links(root, services)
    if found:
        link = found[0]
        try:
            target = os.readlink(link)
        except OSError:
            target = "?"
        raise FatalError(f"dkenv: {link} is a symbolic link (to {target}); dkenv writes and mounts "
                         f"{link.relative_to(root)} as its own folder, and never through a link (a cloned "
                         f"repository could point it anywhere): remove it (rm {link}), then run the command again")
    fileio.confine(root)
