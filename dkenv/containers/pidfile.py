"""The pid-file fast path: `.dkenv/run/container.pid` holds the host PID of the project
container's `docker-init`, so `dkenv exec` and the shims (in sh) know the container
runs without asking the Engine. A cache, never the truth: a stale file only sends the
caller down the slow path. Light on purpose: no SDK, no click.
"""
from __future__ import annotations

from pathlib import Path

from dkenv import fileio


def path(project) -> Path:
    return project.work_dir / "run" / "container.pid"


def write(project, pid: int) -> None:
    """Record the init's host PID (0 or a stopped container: remove the file)."""
    target = path(project)
    if not pid:
        target.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fileio.write_atomic(target, f"{pid}\n")


def remove(project) -> None:
    path(project).unlink(missing_ok=True)


def known_running(project) -> bool:
    """True when the pid file names a live docker-init: no Engine call (the shims check the same)."""
    try:
        pid = path(project).read_text().strip()
        return pid.isdigit() and Path(f"/proc/{pid}/comm").read_text().strip() == "docker-init"
    except OSError:
        return False
