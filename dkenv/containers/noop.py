"""The no-op `dkenv up` without the Engine: when every container of the project runs with the
configuration `up` would give it, there is nothing to do, and `up` says so without loading
the Docker SDK or making a call.

After `up` (and after `exec` started the project), `record` writes `.dkenv/run/containers`:
one line per running container of the project, `NAME PID ID HASH`, the host PID of its
docker-init, its id and its `dkenv.config-hash` label (as immutable as the container).
`check` computes the wanted specs (the image tag, a hash of the build inputs, is in
each hash) and checks that each is recorded with its hash and its docker-init alive in that
container's cgroup (the pid file's check) and not frozen (`docker pause`: the full `up`
unpauses it), and that no other recorded container still runs (`up` would remove it). A container with a healthcheck leaves it to the full `up`, which
asks the Engine for its health. Only on a rootful local engine: the pid file must say the
project container runs here, for the engine the environment selects, as the host user
(the identity `up` would take without asking: rootless Docker, Podman's keep-id and remote
engines take the full `up`). A cache, verified as the pid file is: a stale line only
sends `up` the usual way. `running_as_wanted` is that live check alone, for specs known by
name and hash: containers/upcache.py caches those, and the no-op `up` is then this check,
without computing the specs again. Light on purpose (no spec machinery at import).
"""
from __future__ import annotations

import os

from dkenv.exec import pidfile

NAME = "containers"


def path(project):
    return project.work_dir / "run" / NAME


def record(project, states: dict) -> None:
    """The running containers of this root, as `up` left them."""
    from dkenv import fileio
    from dkenv.engine.spec import LABEL_ROOT
    from dkenv.errors import FatalError

    lines = [f"{s.name} {s.pid} {s.id} {s.config_hash}\n" for _, s in sorted(states.items())
             if s.running and s.pid and s.labels.get(LABEL_ROOT) == str(project.root)]
    target = path(project)
    try:
        if not lines:
            if target.exists():
                fileio.remove(target)
        elif not target.exists() or target.read_text() != "".join(lines):
            fileio.make_dirs(target.parent)
            fileio.write_atomic(target, "".join(lines))
    except (OSError, UnicodeDecodeError, FatalError):
        pass  # a cache: the next full `up` writes it


def recorded(project) -> dict[str, tuple[int, str, str]]:
    """name -> (pid, container id, config hash)."""
    return recorded_at(str(project.root))


def recorded_at(root: str) -> dict[str, tuple[int, str, str]]:
    found = {}
    try:
        with open(os.path.join(root, ".dkenv", "run", NAME), encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return found
    for line in text.splitlines():
        parts = line.split(" ")
        if len(parts) == 4 and parts[1].isdigit():
            found[parts[0]] = (int(parts[1]), parts[2], parts[3])
    return found


def running_as_wanted(root: str, wanted: list[tuple[str, str, bool]]) -> bool:
    """Every wanted container (name, config hash, has a healthcheck) runs with that hash, as
    recorded and checked in /proc, not paused (its cgroup's freezer), and no other recorded one
    still runs; on the engine the environment selects, as the host user. A healthcheck leaves
    it to the full `up`."""
    records = recorded_at(root)
    if not records:
        return False
    running = pidfile.running_at(root)
    if running is None or running.user != f"{os.getuid()}:{os.getgid()}":
        return False  # another engine selected, or one with another identity (rootless...): the full `up` asks it
    for name, config_hash, healthcheck in wanted:
        pid, container_id, recorded_hash = records.pop(name, (0, "", ""))
        if healthcheck or recorded_hash != config_hash or not pidfile.verified(pid, container_id):
            return False
        if pidfile.paused(pid):
            return False  # `docker pause`d: the full `up` unpauses it
    return not any(pidfile.verified(pid, container_id) for pid, container_id, _ in records.values())


class Found:
    """A no-op `up`'s finding: the wanted containers (name, config hash, has a healthcheck),
    running as wanted, and the image plan they were computed from (the lock note reads it)."""

    __slots__ = ("wanted", "inputs")

    def __init__(self, wanted: list[tuple[str, str, bool]], inputs) -> None:
        self.wanted, self.inputs = wanted, inputs


def check(project, out) -> Found | None:
    """Nothing for `up` to do (said as a full `up` says it, and the files `up` writes
    written): what was found; None: the full `up`."""
    root = str(project.root)
    if not recorded_at(root) or pidfile.running_at(root) is None:
        return None  # nothing recorded, or the project container is not known running
    from dkenv.engine import identity
    from dkenv.containers import desired
    from dkenv.image import context, plan

    ident = identity.default()  # a rootful engine's, as the record's user says (Podman's keep-id: its hash differs)
    inputs = plan.make(project, ident.image_user)
    image = inputs.tag(project)
    specs = desired.specs(project, image, ident)
    wanted = [(spec.name, spec.config_hash(), bool(spec.healthcheck)) for spec in specs]
    if not running_as_wanted(root, wanted):
        return None
    context.write_project_context(project, inputs)
    desired.prepare_dirs(project, specs)
    out(f"dkenv: image {image} is up to date")
    for spec in specs:
        out(f"dkenv: {spec.name} is running")
    return Found(wanted, inputs)
