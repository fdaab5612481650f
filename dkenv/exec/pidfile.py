"""The pid-file fast path: `.dkenv/run/container.pid` says where the project container
runs, which folder it mounts and as whom commands run there, so `dkenv exec` and the shims
(in sh, shell/shim.sh reads the same lines) need no Engine call. Its lines:

    PID CONTAINER-ID   the host PID of the container's init ("-": not visible from here)
    ROOT               the project root the container mounts, as is
    USER               "UID:GID" for docker exec (engine/identity.py)
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
file only sends the caller down the slow path. Light on purpose: no SDK, no click, and
not even dataclasses or pathlib (the lean `dkenv exec` reads it through `running_at`).
"""
from __future__ import annotations

import os
import time

from dkenv.engine.cli import pinned_environ

TYPE_CHECKING = False  # typing itself costs the lean `dkenv exec` 2-4 ms
if TYPE_CHECKING:
    from pathlib import Path

INITS = ("docker-init", "podman-init", "catatonit")
PINNED = ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH")
# the variables that choose the docker CLI's engine: a pinned CLI gets exactly the recorded ones
_HEAD = 5  # the fixed lines before the pinned variables
_RUNTIME_STAGES = ("runc:", "crun")  # an OCI runtime's process before it execs the container's init
NAME = "container.pid"


class Record:
    """One pid file's record (a plain class: dataclasses costs the lean `dkenv exec` ~5 ms)."""

    __slots__ = ("pid", "container_id", "root", "user", "selected", "cli_env")

    def __init__(self, pid: int, container_id: str, root: str, user: str,
                 selected: tuple[str, str] = ("", ""), cli_env: dict[str, str] | None = None):
        self.pid = pid  # 0: not visible from this machine
        self.container_id = container_id
        self.root = root  # the project root the container mounts
        self.user = user  # "UID:GID"
        self.selected = tuple(selected)  # (DOCKER_HOST, DOCKER_CONTEXT) at `up`
        self.cli_env = dict(cli_env or {})

    def _fields(self):
        return (self.pid, self.container_id, self.root, self.user, self.selected, self.cli_env)

    def __eq__(self, other):
        return isinstance(other, Record) and self._fields() == other._fields()

    def __repr__(self):
        return "Record(%s)" % ", ".join(repr(f) for f in self._fields())

    def text(self) -> str:
        lines = [f"{self.pid or '-'} {self.container_id}", self.root, self.user, *self.selected]
        lines += [f"{k}={v}" for k, v in self.cli_env.items() if k in PINNED]
        return "\n".join(lines) + "\n"

    def cli_environ(self) -> dict[str, str] | None:
        """The docker CLI's environment pinned to this record's engine (None: ours, as is)."""
        return pinned_environ(self.cli_env) if self.cli_env else None

    def applies(self, env=None) -> bool:
        """The environment selects this engine, or none in particular."""
        env = os.environ if env is None else env
        now = (env.get("DOCKER_HOST", ""), env.get("DOCKER_CONTEXT", ""))
        return all(not current or current == then for current, then in zip(now, self.selected))


def path(project) -> Path:
    return project.work_dir / "run" / NAME


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
    return read_at(str(project.root))


def read_at(root: str) -> Record | None:
    """The record in the pid file of the project at `root` (no Project, no pathlib)."""
    try:
        with open(os.path.join(root, ".dkenv", "run", NAME), encoding="utf-8") as f:
            return parse(f.read())
    except (OSError, UnicodeDecodeError):
        return None


def write(project, record: Record | None) -> None:
    """Record where and how the project container runs (None: remove the file)."""
    from dkenv import fileio

    from dkenv.errors import FatalError

    target = path(project)
    try:
        if record is None:
            fileio.remove(target)
            return
        fileio.make_dirs(target.parent)
        fileio.write_atomic(target, record.text())
    except fileio.LinkRefused:
        raise
    except (OSError, FatalError) as e:
        why = str(e) if isinstance(e, FatalError) else f"dkenv: cannot write {target}: {e.strerror or e}"
        raise FatalError(f"{why}; it is dkenv's record of the running container: remove it (or make "
                         f"{target.parent} writable) and run the command again") from None


def remove(project) -> None:
    """The record gone (`down`); a record that cannot be removed is only stale: every reader
    checks it against the live container."""
    from dkenv import fileio
    from dkenv.errors import FatalError

    try:
        fileio.remove(path(project))
    except FatalError:
        pass


def _read(name: str) -> str:
    with open(name) as f:
        return f.read()


def verified(pid: int, container_id: str) -> bool:
    """PID is a live init of that container, seen from this machine."""
    if not pid or not container_id:
        return False
    try:
        if _read(f"/proc/{pid}/comm").strip() not in INITS:
            return False
        with open(f"/proc/{pid}/cgroup") as f:
            if container_id in f.readline():
                return True
    except OSError:
        return False
    if len(container_id) < 12:
        return False
    try:  # no cgroup per container (rootless): its host name, the short id, through its root
        return _read(f"/proc/{pid}/root/etc/hostname").strip() == container_id[:12]
    except OSError:
        return False


def paused(pid: int) -> bool:
    """Is the container of this init frozen (`docker pause`, `podman pause`: the cgroup
    freezer's state, v1's `freezer.state` or v2's `cgroup.freeze`)? True also when that cannot
    be read: the caller asks the Engine. Its cgroup as /proc shows it to this machine; the root
    cgroup, which cannot be frozen, has no such file."""
    try:
        lines = _read(f"/proc/{pid}/cgroup").splitlines()
        for line in lines:
            _, controllers, where = line.split(":", 2)
            if "freezer" in controllers.split(","):  # cgroup v1 (or hybrid): the freezer's own hierarchy
                return where != "/" and _read(f"/sys/fs/cgroup/freezer{where}/freezer.state").strip() != "THAWED"
        for line in lines:
            if line.startswith("0::"):  # cgroup v2
                where = line[3:]
                return where != "/" and _read(f"/sys/fs/cgroup{where}/cgroup.freeze").strip() != "0"
    except (OSError, ValueError):
        pass
    return True


def settled(pid: int, container_id: str, seconds: float = 2.0) -> bool:
    """`verified`, for a container just started: the engine answers `start` before the OCI
    runtime's init has exec'd the container's init (its comm still "runc:[2:INIT]"), so
    that stage is waited out (a few ms, longer under load)."""
    deadline = time.monotonic() + seconds
    while not verified(pid, container_id):
        try:
            comm = _read(f"/proc/{pid}/comm").strip() if pid else ""
        except OSError:
            return False
        if not comm.startswith(_RUNTIME_STAGES) or time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def known_running(project, env=None) -> Record | None:
    """The record, when it says the container of this root runs and applies here: no
    Engine call (the shims check the same in sh)."""
    return running_at(str(project.root), env)


def running_at(root: str, env=None) -> Record | None:
    """`known_running` for the project at `root` (the lean `dkenv exec` asks with a root only).
    A PID not visible from here ("-") is not known running: the caller asks the engine."""
    record = read_at(root)
    if record is None or record.root != root or not record.applies(env):
        return None
    return record if verified(record.pid, record.container_id) else None
