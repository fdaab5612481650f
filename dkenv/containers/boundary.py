"""The container is a boundary: nothing the host runs or trusts by itself can be written
from inside the project container (docs/reliability.md, "The boundary").

The project is bind-mounted read-write, and over it, read-only:

- `.dkenv/`, dkenv's own folder: the shims and the IDE interpreter the host runs, the fast
  paths' records in `run/` (the pid file, the container records, the no-op `up`'s cache),
  the agent's file, the Dockerfile, the copy of site-packages. Its `agent/` folder, mounted
  writable on top, holds the exec agent's socket and nothing else;
- what the host's tools run by themselves, when present at `up`: `.git` whole (hooks,
  config, commondir), `.vscode/`, `.idea/`, `.devcontainer/`, `.envrc`
  (schema.READ_ONLY_DEFAULTS), minus `[run] writable`, plus `[run] read_only`.

Nested bind mounts: the engine mounts a path's parent first. A path that does not exist at
`up` is not mounted (made later, it is writable until the next `up`, which mounts it and so
recreates the container); a link is followed when its target is in the project (the target
is mounted; the link itself, in the writable project, is not protected), and skipped when it
leads out (the container does not see its target: it is not mounted there).
"""
from __future__ import annotations

import os
import stat

from dkenv.engine.spec import Mount
from dkenv.errors import FatalError
from dkenv.exec import agent
from dkenv.project.schema import READ_ONLY_DEFAULTS


def protected(config) -> list[str]:
    """The project's paths (relative, normalised at load) read-only in the container when present."""
    wanted = [p for p in READ_ONLY_DEFAULTS if p not in config.run.writable]
    return wanted + [p for p in config.run.read_only if p not in wanted]


def mounts(project) -> list[Mount]:
    """`.dkenv/` read-only, its socket folder writable, then each protected path that exists
    (by its resolved place in the project, at the same path in the container)."""
    root = str(project.root)
    work, sockets = os.path.join(root, ".dkenv"), agent.socket_dir(project)
    found = [Mount(work, work, read_only=True), Mount(sockets, sockets)]
    real_root = os.path.realpath(root)
    real_work = os.path.join(real_root, ".dkenv")
    for rel in protected(project.config):
        real = os.path.realpath(os.path.join(root, rel))
        if not os.path.exists(real) or not _below(real, real_root):
            continue  # missing (a link to nothing too), or out of the project: out of the container's sight
        if real == real_work or _below(real, real_work):
            continue  # a link into .dkenv/: read-only already
        path = os.path.join(root, os.path.relpath(real, real_root))
        mount = Mount(path, path, read_only=True)
        if mount not in found:
            found.append(mount)
    return found


def _below(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip("/") + "/")


def inside(project, mount: Mount) -> bool:
    """A mount of this module: at a path inside the project (not the project itself)."""
    return _below(mount.target, str(project.root))


def prepare(project) -> None:
    """Before the project container is created (`.dkenv/` exists): `.dkenv/` must be a folder
    of the project (a link out of it would be mounted, so shown to the container: a cloned
    repository could point it at the home), and `.dkenv/agent/` a folder of its own, made
    here (private), never a link (it is mounted writable)."""
    work = project.work_dir
    real_root, real_work = os.path.realpath(project.root), os.path.realpath(work)
    if not _below(real_work, real_root):
        raise FatalError(f"dkenv: {work} leads to {real_work}, outside the project; dkenv mounts it into the "
                         "project container: make .dkenv a folder of the project (remove the link)")
    sockets = agent.socket_dir(project)
    try:
        st = os.lstat(sockets)
    except FileNotFoundError:
        try:
            os.mkdir(sockets, 0o700)
        except OSError as e:
            raise FatalError(f"dkenv: cannot create {sockets}: {e.strerror}") from None
        return
    except OSError as e:
        raise FatalError(f"dkenv: cannot read {sockets}: {e.strerror}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise FatalError(f"dkenv: {sockets} is not a folder (a link?); dkenv mounts it writable into the project "
                         "container, for the exec agent's socket: remove it, `dkenv up` makes the folder")
