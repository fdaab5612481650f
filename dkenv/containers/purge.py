"""`down --purge`: deleting a service's persisted data in data/NAME.

Services run as the host user (dataowner.py), so their folders are theirs and are removed
on the host, like any folder of theirs. A folder holding another UID's files (a template
whose image runs as its own user, or data of an earlier dkenv not yet taken over) is
removed by a throwaway root container of the service's image instead.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from dkenv.containers import dataowner
from dkenv.engine.engine import Engine
from dkenv.engine.spec import Mount
from dkenv.errors import FatalError, UsageError
from dkenv.project.project import Project


@dataclass
class Target:
    service: str
    path: Path  # data/NAME (or data/dkenv for dkenv's own: the shell history)
    image: str  # an image that is local already, used to run the removal


def targets(project: Project, names: list[str]) -> list[Target]:
    """What --purge deletes: the named services' data (all of dkenv's data when none is named)."""
    from dkenv.services import resolve

    configured = project.config.services
    unknown = [n for n in names if n not in configured]
    if unknown:
        raise UsageError(f"dkenv: no service named {', '.join(unknown)} in {project.config.path}")
    found = []
    for name in names or list(configured):
        service = configured[name]
        if not service.data:
            continue
        path = project.data_dir / name
        if path.exists():
            found.append(Target(name, path, resolve.image_of(service)))
    if not names and (project.data_dir / "dkenv").exists():
        found.append(Target("dkenv", project.data_dir / "dkenv", ""))
    return found


def delete(project: Project, engine: Engine, found: list[Target], *, out) -> None:
    data = str(project.data_dir)
    for target in found:
        if target.path.is_symlink() or project.data_dir.is_symlink():
            link = project.data_dir if project.data_dir.is_symlink() else target.path
            raise FatalError(f"dkenv: {link} is a symbolic link; --purge deletes only real folders under "
                             "data/: remove the link (and what it points to) yourself")
        out(f"dkenv: deleting {target.path}")
        if not target.image or os.getuid() == 0 or dataowner.foreign_owner(target.path, os.getuid()) is None:
            _remove_tree(target.path)
            continue
        code, log = engine.run_once(target.image, ["rm", "-rf", f"/purge/{target.path.name}"],
                                    [Mount(data, "/purge")])
        if code != 0:
            raise FatalError(f"dkenv: could not delete {target.path}: {log.decode(errors='replace')[-300:]}")


def _remove_tree(path: Path) -> None:
    """rmtree, never following links; folders of theirs without full permissions (a
    database may leave one) are opened up first."""
    import shutil

    try:
        _open_up(str(path))
        for folder, names, _files in os.walk(path):  # top-down: each folder opened before it is listed
            for name in names:
                _open_up(os.path.join(folder, name))
        shutil.rmtree(path)
    except OSError as e:
        raise FatalError(f"dkenv: could not delete {path}: {e.strerror or e}") from None


def _open_up(folder: str) -> None:
    info = os.lstat(folder)
    if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and info.st_mode & stat.S_IRWXU != stat.S_IRWXU:
        os.chmod(folder, info.st_mode | stat.S_IRWXU)
