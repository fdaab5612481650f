"""`[services.NAME] init`: the project's files and folders a database image runs on its first
initialisation (the catalog entry's `init_dir`, /docker-entrypoint-initdb.d), checked at load
and turned into read-only mounts by services/specs.py.

A path is judged after resolving it, never as a string: once its links, `..` and `//` are
followed it must be inside the project, and neither in `data/` (the services' data) nor in
`.dkenv/` (dkenv's own). A file is mounted at init_dir/<its name>; a folder's files (not
its subfolders, nor its hidden files) each at init_dir/<their name>, each judged the same
way. The image runs them in the order of their names, and only when its data folder is
empty (docs/services.md).
"""
from __future__ import annotations

import os
from pathlib import Path

from dkenv import declared

REFUSED = {"data": "the services' data folder", ".dkenv": "dkenv's own folder"}


def files(root: Path | str, paths: list[str]) -> list[tuple[str, str]]:
    """(the real host path, the name it gets in init_dir) of every script `paths` names, in
    order; ValueError with the reason (the path quoted first) for one that may not be mounted."""
    real_root = os.path.realpath(root)
    found: dict[str, tuple[str, str]] = {}  # name -> (real path, the `init` item it came from)
    for path in paths:
        real = _judged(real_root, path, path)
        if os.path.isdir(declared.path(real)):
            for name in sorted(os.listdir(declared.listing(real))):
                if name.startswith("."):
                    continue
                inner = _judged(real_root, os.path.join(path, name), path)
                if os.path.isfile(declared.path(inner)):
                    _add(found, name, inner, path)
        elif os.path.isfile(real):
            _add(found, os.path.basename(os.path.normpath(path)), real, path)
        else:
            raise ValueError(f"{path!r} is neither a file nor a folder")
    return [(real, name) for name, (real, _) in found.items()]


def _judged(real_root: str, path: str, item: str) -> str:
    """The real path of `path` (relative to the root), once it is known to be inside the
    project, present, and in none of the REFUSED folders."""
    quoted = repr(item) if path == item else f"{item!r} ({path} in it)"
    if not path or "\0" in path:
        raise ValueError(f"{path!r} is not a path; name a file or folder of the project, relative to its root")
    if os.path.isabs(path):
        raise ValueError(f"{path!r} is absolute; name a file or folder of the project, relative to its root")
    real = os.path.realpath(os.path.join(real_root, path))
    if real == real_root:
        raise ValueError(f"{quoted} is the project itself; name a file or folder inside it")
    if not real.startswith(real_root.rstrip("/") + "/"):
        raise ValueError(f"{quoted} is outside the project (it resolves to {real}); name a file or folder inside it")
    top = os.path.relpath(real, real_root).split(os.sep)[0]
    if top in REFUSED:
        raise ValueError(f"{quoted} is in {top}/, {REFUSED[top]} (it resolves to {real}); "
                         "name a file or folder of the project's own")
    if not os.path.exists(declared.path(real)):
        raise ValueError(f"{quoted} not found in {real_root}")
    return real


def _add(found: dict, name: str, real: str, item: str) -> None:
    if name in found:
        raise ValueError(f"{item!r}: two scripts named {name!r} (also from {found[name][1]!r}); "
                         "each one is mounted by its name in the same folder")
    found[name] = (real, item)


def check(r, service, entry, root: Path) -> None:
    """At load: `init` applies to a catalog entry with an init_dir, and every script it names
    may be mounted (config.Reader `r` locates the message at file:line)."""
    if not service.init:
        return
    table = f"services.{service.name}"
    if entry is None or not entry.init_dir:
        from dkenv.catalog.entries import catalog

        takers = [name for name, e in catalog().items() if e.init_dir]
        what = f"the catalog's {entry.name} runs none" if entry else "it is not a catalog service"
        raise r.fail(table, "init", f"applies to the services whose image runs init scripts on its first start "
                                    f"({', '.join(takers)}); {what}")
    try:
        files(root, service.init)
    except ValueError as e:
        raise r.fail(table, "init", str(e)) from None
