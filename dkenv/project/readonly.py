"""`[run] read_only` and `[run] writable`, checked at load: which of the project's paths the
project container may not write besides the defaults (schema.READ_ONLY_DEFAULTS), and which
of those it may. containers/boundary.py turns them into read-only mounts at `up`."""
from __future__ import annotations

import os
from pathlib import Path

from dkenv.errors import did_you_mean
from dkenv.project.reader import Reader
from dkenv.project.schema import READ_ONLY_DEFAULTS, RunConfig


def check(r: Reader, run: RunConfig, root: Path) -> tuple[list[str], list[str]]:
    """run.read_only and run.writable, normalised (`./.git/` is `.git`): paths inside the
    project once resolved, neither the root nor dkenv's own `.dkenv/` (read-only in the
    container whatever they say); `writable` names read-only defaults only, and not one
    `read_only` names too. Existence is `up`'s business (containers/boundary.py)."""
    lists = {}
    for key in ("read_only", "writable"):
        lists[key] = []
        for path in getattr(run, key):
            norm = _project_path(r, key, path, root)
            if norm == ".dkenv" or norm.startswith(".dkenv/"):
                raise r.fail("run", key, f"{path!r}: .dkenv/ is dkenv's own folder, read-only in the container "
                                         "(the host runs what it holds); leave it out")
            if key == "writable" and norm not in READ_ONLY_DEFAULTS:
                raise r.fail("run", key, f"{path!r} is not read-only by default; writable takes "
                                         f"{', '.join(READ_ONLY_DEFAULTS)}{did_you_mean(norm, READ_ONLY_DEFAULTS)}")
            if key == "writable" and norm in lists["read_only"]:
                raise r.fail("run", key, f"{path!r} is in run.read_only too; keep it in one of them")
            if norm not in lists[key]:
                lists[key].append(norm)
    return lists["read_only"], lists["writable"]


def _project_path(r: Reader, key: str, path: str, root: Path) -> str:
    """`path` normalised, once checked to name something inside the project, not the root."""
    if not path or "\0" in path:
        raise r.fail("run", key, f"{path!r} is not a path; name a file or folder of the project, relative to its root")
    if os.path.isabs(path):
        raise r.fail("run", key, f"{path!r} is absolute; name a file or folder of the project, relative to its root")
    try:
        real_root, resolved = root.resolve(), (root / path).resolve()
    except (OSError, RuntimeError) as e:  # a loop of links
        raise r.fail("run", key, f"{path!r} cannot be resolved: {getattr(e, 'strerror', None) or e}") from None
    if not resolved.is_relative_to(real_root):
        raise r.fail("run", key, f"{path!r} is outside the project (it resolves to {resolved}); name a path inside it")
    norm = os.path.normpath(path)
    if resolved == real_root or norm == ".":
        raise r.fail("run", key, f"{path!r} is the project itself, whose files stay writable in the container; "
                                 "name a file or folder inside it")
    return norm
