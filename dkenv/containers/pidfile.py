"""The pid-file fast path: `.dkenv/run/container.pid` holds "PID CONTAINER-ID ROOT", the
host PID of the project container's `docker-init`, the container's id and the project
root it mounts, so `dkenv exec` and the shims (in sh) know the container runs without
asking the Engine: the PID must be a live docker-init whose /proc/PID/cgroup names that
container (another container's init, or a recycled PID after a reboot, does not count),
and the root must be this one (a moved folder carries the file of its old container,
which mounts the old path). A cache, never the truth: a stale file only sends the caller
down the slow path. Light on purpose: no SDK, no click.
"""
from __future__ import annotations

import os

TYPE_CHECKING = False  # typing itself costs the lean `dkenv exec` 2-4 ms
if TYPE_CHECKING:
    from pathlib import Path


def path(project) -> Path:
    return project.work_dir / "run" / "container.pid"


def write(project, pid: int, container_id: str = "") -> None:
    """Record the init's host PID and the container's id (pid 0: remove the file)."""
    from dkenv import fileio

    target = path(project)
    if not pid:
        target.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fileio.write_atomic(target, f"{pid} {container_id} {project.root}\n")


def remove(project) -> None:
    path(project).unlink(missing_ok=True)


def known_running(project) -> bool:
    """True when the pid file names a live docker-init: no Engine call (the shims check the same)."""
    return running_at(str(project.root)) is not None


def running_at(root: str) -> str | None:
    """The id of the running container the pid file of the project at `root` names, or None
    (the lean `dkenv exec` asks with a root only: no Project, no pathlib)."""
    try:
        with open(os.path.join(root, ".dkenv", "run", "container.pid")) as f:
            pid, _, rest = f.read().rstrip("\n").partition(" ")
    except (OSError, UnicodeDecodeError):
        return None
    container_id, _, recorded = rest.partition(" ")
    if not pid.isdigit() or not container_id or recorded != root:
        return None
    return container_id if is_container_init(int(pid), container_id) else None


def is_container_init(pid: int, container_id: str) -> bool:
    """Is host PID `pid` the docker-init of that container (as seen from this host)?"""
    try:
        with open(f"/proc/{pid}/comm") as f:
            if f.read().strip() != "docker-init":
                return False
        with open(f"/proc/{pid}/cgroup") as f:
            return container_id in f.readline()
    except OSError:
        return False
