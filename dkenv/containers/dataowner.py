"""Whose files data/NAME holds: the host user's, for every service that runs as them.

Services that persist data run as the host user's UID:GID (services.toml, specs.py), so
pytest, `docker build .`, an IDE or a backup can read data/ and `down --purge` is a plain
removal. Data written by an earlier dkenv, which ran the services as their images' own
users (UID 999, or root), is taken over once, just before the service's new container
starts: a short-lived root container of the service's image runs `chown -R -h` on the
mounted folder, never following a symbolic link.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from dkenv.engine.engine import Engine
from dkenv.engine.spec import ContainerSpec, Mount
from dkenv.errors import FatalError

_IDS = re.compile(r"^(\d+):(\d+)$")


def foreign_owner(path: Path, uid: int) -> int | None:
    """The owner of the first entry under `path` (itself included) that `uid` does not own;
    None when all are theirs. Symbolic links are looked at, never followed; a folder that
    cannot be listed counts as its owner's."""
    stack = [path]
    while stack:
        current = stack.pop()
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            continue  # removed meanwhile
        if info.st_uid != uid:
            return info.st_uid
        if stat.S_ISDIR(info.st_mode):
            try:
                with os.scandir(current) as entries:
                    stack.extend(Path(entry.path) for entry in entries)
            except PermissionError:
                continue  # theirs, so they can open it up; nothing of another user's seen
    return None


def host_owner(spec: ContainerSpec) -> tuple[int, int] | None:
    """(UID, GID) the service's data must belong to: set when it runs as the host user."""
    found = _IDS.match(spec.user or "")
    if not found or int(found.group(1)) != os.getuid() or os.getuid() == 0:
        return None
    return int(found.group(1)), int(found.group(2))


def take_over(project, engine: Engine, spec: ContainerSpec, out) -> None:
    """Before `spec`'s container is created or started (the old one stopped): give the host
    user every file of its data folders that another UID owns. Once: afterwards they are theirs."""
    owner = host_owner(spec)
    if owner is None:
        return
    for rel in spec.data_dirs:
        folder = project.data_dir / rel
        if not folder.exists() and not folder.is_symlink():
            continue
        refuse_links(project.data_dir, folder)
        other = foreign_owner(folder, owner[0])
        if other is None:
            continue
        shown = folder.relative_to(project.root)
        out(f"dkenv: {shown}: taking ownership from UID {other} (made by an earlier dkenv, which ran "
            f"{spec.role} as its image's user) for UID {owner[0]}")
        code, log = engine.run_once(spec.image, ["chown", "-R", "-h", f"{owner[0]}:{owner[1]}", "/dkenv-data"],
                                    [Mount(str(folder), "/dkenv-data")], userns=spec.userns)
        left = foreign_owner(folder, owner[0])
        if code != 0 or left is not None:
            detail = log.decode(errors="replace").strip()[-300:] or f"UID {left} still owns files there"
            raise FatalError(f"dkenv: could not take ownership of {folder}: {detail}; "
                             f"make it yours: sudo chown -R -h {owner[0]}:{owner[1]} {folder}")


def refuse_links(data_dir: Path, folder: Path) -> None:
    """data/ and data/NAME must be real folders: a root container acting on them would act
    on whatever a link points to."""
    for path in (data_dir, folder):
        if path.is_symlink():
            raise FatalError(f"dkenv: {path} is a symbolic link; dkenv changes and deletes service data only "
                             "in real folders under data/: replace the link with a folder")
