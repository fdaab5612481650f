"""The pid-file fast path: `.dkenv/run/container.pid` says where the project container
runs, which folder it mounts and as whom commands run there, so `dkenv exec` and the shims
(in sh, shell/shim.sh reads the same lines) need no Engine call. Its lines:

    PID CONTAINER-ID   the host PID of the container's init ("-": not visible from here)
    ROOT               the project root the container mounts, as is
    USER               "UID:GID" for docker exec (containers/identity.py)
    DOCKER_HOST        as the environment set it at `up` (may be empty)
    DOCKER_CONTEXT     as the environment set it at `up` (may be empty)
    VAR=VALUE...       the variables that pin the docker CLI to that engine (endpoint.cli_env)

The container is known running when PID is a live init (docker-init, or Podman's
podman-init/catatonit) that is that container's: /proc/PID/cgroup names it, or, where
the engine makes no cgroup per container (rootless engines), the container's
/etc/hostname (its short id) read through /proc/PID/root. Another container's init, or a
recycled PID, does not count. ROOT must be this project's root: a moved folder carries
the file of its old container, which mounts the old path. The record applies when the
environment selects no other engine: DOCKER_HOST and DOCKER_CONTEXT unset, or as at `up`.
A file of an older dkenv (one line "PID ID [ROOT]", or no ROOT line) is no record: the
caller takes the slow path, which writes a new one. A cache, never the truth: a stale
file only sends the caller down the slow path. Light on purpose: no SDK, no click.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from dkenv import fileio

INITS = ("docker-init", "podman-init", "catatonit")
PINNED = ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH")
_HEAD = 5  # the fixed lines before the pinned variables
_RUNTIME_STAGES = ("runc:", "crun")  # an OCI runtime's process before it execs the container's init


@dataclass
class Record:
    pid: int  # 0: not visible from this machine
    container_id: str
    root: str  # the project root the container mounts
    user: str  # "UID:GID"
    selected: tuple[str, str] = ("", "")  # (DOCKER_HOST, DOCKER_CONTEXT) at `up`
    cli_env: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        lines = [f"{self.pid or '-'} {self.container_id}", self.root, self.user, *self.selected]
        lines += [f"{k}={v}" for k, v in self.cli_env.items() if k in PINNED]
        return "\n".join(lines) + "\n"

    def applies(self, env=None) -> bool:
        """The environment selects this engine, or none in particular."""
        env = os.environ if env is None else env
        now = (env.get("DOCKER_HOST", ""), env.get("DOCKER_CONTEXT", ""))
        return all(not current or current == then for current, then in zip(now, self.selected))


def path(project) -> Path:
    return project.work_dir / "run" / "container.pid"


def parse(text: str) -> Record | None:
    """The record, or None for anything else (an older dkenv's file, a torn one)."""
    lines = text.split("\n")
    if len(lines) < _HEAD + 1:  # the fixed lines, each ended by a newline
        return None
    pid, _, container_id = lines[0].partition(" ")
    root, user = lines[1], lines[2]
    if not container_id or " " in container_id or not (pid.isdigit() or pid == "-"):
        return None
    if not root.startswith("/") or ":" not in user:
        return None
    env = {}
    for line in lines[_HEAD:]:
        key, sep, value = line.partition("=")
        if sep and key in PINNED:
            env[key] = value
    return Record(int(pid) if pid.isdigit() else 0, container_id, root, user, (lines[3], lines[4]), env)


def read(project) -> Record | None:
    try:
        return parse(path(project).read_text())
    except (OSError, UnicodeDecodeError):
        return None


def write(project, record: Record | None) -> None:
    """Record where and how the project container runs (None: remove the file)."""
    target = path(project)
    if record is None:
        target.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fileio.write_atomic(target, record.text())


def remove(project) -> None:
    path(project).unlink(missing_ok=True)


def verified(pid: int, container_id: str) -> bool:
    """PID is a live init of that container, seen from this machine."""
    if not pid or not container_id:
        return False
    try:
        if Path(f"/proc/{pid}/comm").read_text().strip() not in INITS:
            return False
        with open(f"/proc/{pid}/cgroup") as f:
            if container_id in f.readline():
                return True
    except OSError:
        return False
    if len(container_id) < 12:
        return False
    try:  # no cgroup per container (rootless): its host name, the short id, through its root
        return Path(f"/proc/{pid}/root/etc/hostname").read_text().strip() == container_id[:12]
    except OSError:
        return False


def settled(pid: int, container_id: str, seconds: float = 2.0) -> bool:
    """`verified`, for a container just started: the engine answers `start` before the OCI
    runtime's init has exec'd the container's init (its comm still "runc:[2:INIT]"), so
    that stage is waited out (a few ms, longer under load)."""
    deadline = time.monotonic() + seconds
    while not verified(pid, container_id):
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip() if pid else ""
        except OSError:
            return False
        if not comm.startswith(_RUNTIME_STAGES) or time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def known_running(project, env=None) -> Record | None:
    """The record, when it says the container of this root runs and applies here: no
    Engine call (the shims check the same in sh)."""
    record = read(project)
    if record is None or record.root != str(project.root) or not record.applies(env):
        return None
    return record if verified(record.pid, record.container_id) else None
