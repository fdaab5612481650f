"""The containers' steps of `up`, and `down`.

`up` (its sequence is orchestrator/up.py's) asks here, in order: `ready` (whose containers
these are; as whom the engine runs them, once it has shown it sees the folder), `decide`
(the pure convergence plan, then everything that can refuse it before anything is built,
stopped or created: host ports, service images, a data folder of another major version),
and, once the image is there, `converge`: services first in dependency order (each
healthy before the next), then the project container, then the pid file (`record_pid`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dkenv.containers import (
    convergence,
    dataowner,
    datakinds,
    desired,
    handinstalled,
    health,
    images,
    mountcheck,
    ownership,
    ports,
    upgrades,
)
from dkenv.engine import endpoint, info as engineinfo, identity
from dkenv.engine.engine import Engine
from dkenv.engine.spec import APP_ROLE, LABEL_PROJECT, LABEL_ROOT, ContainerSpec, ContainerState
from dkenv.exec import pidfile
from dkenv.project import lock
from dkenv.project.project import Project


@dataclass
class Decision:
    """What `up` does with each container, decided before anything acts."""

    wanted: list[ContainerSpec]  # every container's spec, in start order
    existing: dict[str, ContainerState]  # the project's containers, by name
    actions: list[convergence.Action]
    running: bool  # every container runs as wanted (healthy where it has a healthcheck): nothing to do
    fresh: set[str] = field(default_factory=set)  # services whose data folder is empty: they start fresh
    image_missing: bool = False  # the project image is not on the engine (asked only when `up` may build it)


def ready(project: Project, engine: Engine, out) -> tuple[dict[str, ContainerState], identity.Identity]:
    """The project's containers (another live project's refused, a moved folder's adopted:
    ownership.py) and the engine's identity for the project (engine_ready)."""
    existing = ownership.claim(project, engine.containers(project.name), out)
    return existing, engine_ready(project, engine, out)


def decide(project: Project, engine: Engine, wanted: list[ContainerSpec], existing: dict[str, ContainerState],
           image: str, *, pull: str, force: bool, out, base: str | None = None,
           buildable: Callable[[], None] | None = None) -> Decision:
    """The convergence plan, and what can refuse it before anything is built, stopped or
    created: a host port taken, an image to build that cannot build (`buildable`, called when
    the project image is missing, before any pull: a lock made for another Python), a service
    image that cannot be had (pulled when missing; with `base`, the image `up` would build on,
    when the project image is missing), data of another major version. Nothing is checked
    when everything runs as wanted."""
    actions = convergence.convergence_plan(wanted, existing)
    decision = Decision(wanted, existing, actions, already_up(actions, existing))
    if not decision.running:
        ports.check_free(project, wanted, existing, actions, engine)
        decision.image_missing = bool(base) and not engine.image_exists(image)
        if decision.image_missing and buildable is not None:
            buildable()
        images.ensure_present(engine, wanted, image, pull, out, base=base if decision.image_missing else None)
        upgrades.check(project, engine, actions, existing, force)
        decision.fresh = datakinds.check(project, force, out)  # another service's data, changed credentials
        handinstalled.prefetch(project, engine, actions, existing)  # the diff, while the image is built
    return decision


def already_up(actions: list[convergence.Action], existing: dict[str, ContainerState]) -> bool:
    """Every container runs with its spec's config hash (which holds the image tag), and is
    healthy where it has a healthcheck: nothing to build, start, check or prune."""
    return bool(actions) and all(
        a.verb == convergence.NOOP and (not a.spec.healthcheck or existing[a.name].health == "healthy")
        for a in actions)


def converge(project: Project, engine: Engine, decision: Decision, ident: identity.Identity, *, image: str,
             install: str, out) -> None:
    """Act on the decision (the image is there): name the packages installed by hand that a
    recreate loses, make the data folders and the network, apply each action in order
    (services first), and write the pid file. When everything already runs: the same lines
    as a full run, and no Engine call but a stale pid file's."""
    if decision.running:
        desired.prepare_dirs(project, decision.wanted)
        out(f"dkenv: image {image} is up to date")
        for action in decision.actions:
            out(f"dkenv: {action.name} is running")
        record_pid(project, engine, ident, decision.existing)  # as listed: no call
        return
    handinstalled.warn_before_recreate(project, engine, decision.actions, decision.existing, install, out)
    desired.prepare_dirs(project, decision.wanted)
    engine.ensure_network(project.network, {LABEL_PROJECT: project.name, LABEL_ROOT: str(project.root)})
    for action in decision.actions:
        apply(project, engine, action, out)
    datakinds.record(project, decision.fresh)
    record_pid(project, engine, ident)


def apply(project: Project, engine: Engine, action: convergence.Action, out) -> None:
    spec = action.spec
    if action.verb == convergence.REMOVE:
        out(f"dkenv: removing {action.name} ({action.reason})")
        engine.stop_and_remove(action.name)
        return
    if action.verb == convergence.NOOP:
        out(f"dkenv: {action.name} is running")
    elif action.verb in (convergence.CREATE, convergence.RECREATE):
        out(f"dkenv: {'creating' if action.verb == convergence.CREATE else 'recreating'} {action.name} ({action.reason})")
        if action.verb == convergence.RECREATE:
            engine.stop_and_remove(action.name)
        dataowner.take_over(project, engine, spec, out)  # with the old container stopped
        engine.create(spec, spec.all_labels(project.name, str(project.root)), project.network)
        engine.start(action.name)
    elif action.verb == convergence.START:
        out(f"dkenv: starting {action.name}")
        dataowner.take_over(project, engine, spec, out)
        engine.start(action.name)
    elif action.verb == convergence.UNPAUSE:
        out(f"dkenv: unpausing {action.name}")
        engine.unpause(action.name)
    if spec.healthcheck:
        health.wait_healthy(engine, spec, out)


def down(project: Project, engine: Engine, *, out) -> None:
    """Stop and remove the project's containers and network; data/ is never touched."""
    with lock.hold(project, out):
        _down(project, engine, out=out)


def _down(project: Project, engine: Engine, *, out) -> None:
    existing = ownership.claim(project, engine.containers(project.name), out, adopt="removing {they} as this project's")
    handinstalled.warn_before_removal(project, engine, existing, out)
    for name, state in sorted(existing.items(), key=lambda kv: kv[1].role != APP_ROLE):
        out(f"dkenv: stopping and removing {name}")
        engine.stop_and_remove(name)
    engine.remove_network(project.network)
    pidfile.remove(project)
    from dkenv import fileio
    from dkenv.containers import noop
    from dkenv.errors import FatalError

    try:
        fileio.remove(noop.path(project))
    except FatalError:
        pass  # a record of containers that no longer run: the next `up` checks it against /proc


def engine_ready(project: Project, engine: Engine, out) -> identity.Identity:
    """The engine's identity for this project, once the engine has shown it sees the
    project folder (containers/mountcheck.py: remote, VM and rootless engines)."""
    facts = engineinfo.facts(engine)
    mountcheck.check(project, engine, facts["kind"], facts["info"], project.config.image.base, out)
    return mountcheck.identity(engine, project)


def record_pid(project: Project, engine: Engine, ident: identity.Identity,
               states: dict[str, ContainerState] | None = None) -> pidfile.Record | None:
    """The pid file the shims and `dkenv exec` check (see pidfile.py): the init's PID when
    this machine sees it, the root the container mounts, the exec user, the engine; and the
    containers the no-op `up` checks (noop.py). `states`: the project's containers, when just
    listed (no call)."""
    from dkenv.containers import noop

    states = engine.containers(project.name) if states is None else states
    state = states.get(project.container)
    noop.record(project, states)
    if state is None or not state.running:
        pidfile.write(project, None)
        return None
    ep = engine.endpoint or endpoint.resolve()
    record = pidfile.Record(state.pid if pidfile.settled(state.pid, state.id) else 0, state.id,
                            str(project.root), ident.user, endpoint.selection(), endpoint.cli_env(ep))
    pidfile.write(project, record)
    return record
