"""The pid-file fast path: `.dkenv/run/container.pid` holds "PID CONTAINER-ID", the host
PID of the project container's `docker-init` and the container's id, so `dkenv exec` and
the shims (in sh) know the container runs without asking the Engine: the PID must be a
live docker-init whose /proc/PID/cgroup names that container (another container's init,
or a recycled PID after a move, does not count). A cache, never the truth: a stale file
only sends the caller down the slow path. Light on purpose: no SDK, no click.
"""
from __future__ import annotations

from pathlib import Path

from dkenv import fileio


def path(project) -> Path:
    return project.work_dir / "run" / "container.pid"


def write(project, pid: int, container_id: str = "") -> None:
    """Record the init's host PID and the container's id (pid 0: remove the file)."""
    target = path(project)
    if not pid:
        target.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fileio.write_atomic(target, f"{pid} {container_id}\n")


def remove(project) -> None:
    path(project).unlink(missing_ok=True)


def known_running(project) -> bool:
    """True when the pid file names a live docker-init: no Engine call (the shims check the same)."""
    try:
        pid, _, container_id = path(project).read_text().strip().partition(" ")
    except OSError:
        return False
    return pid.isdigit() and bool(container_id) and is_container_init(int(pid), container_id)


def is_container_init(pid: int, container_id: str) -> bool:
    """Is host PID `pid` the docker-init of that container (as seen from this host)?"""
    try:
        if Path(f"/proc/{pid}/comm").read_text().strip() != "docker-init":
            return False
        with open(f"/proc/{pid}/cgroup") as f:
            return container_id in f.readline()
    except OSError:
        return False
