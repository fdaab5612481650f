"""Bringing a project up and down: image, network, services, project container.

`up` computes every ContainerSpec, checks host ports, asks convergence.convergence_plan what
to do, and only then acts: services first in dependency order (each healthy before the
next), then the project container.
"""
from __future__ import annotations


from dkenv.containers import datakinds, desired, mountcheck
from dkenv.containers import (
    convergence,
    dataowner,
    handinstalled,
    health,
    images,
    ownership,
    ports,
    upgrades,
)
from dkenv.engine import endpoint, info as engineinfo, identity
from dkenv.exec import pidfile
from dkenv.engine.engine import Engine
from dkenv.engine.spec import APP_ROLE, LABEL_PROJECT, LABEL_ROOT, ContainerSpec, ContainerState
from dkenv.errors import FatalError
from dkenv.image import context, plan
from dkenv.image.build import ensure_image, prune_old_images
from dkenv.project import lock
from dkenv.project.project import Project


def up(project: Project, engine: Engine, *, out, build: bool = True, pull: str = "missing",
       force: bool = False) -> list[convergence.Action]:
    """Converge the project's containers to its config, under the project's lock."""
    with lock.hold(project, out):
        return _up(project, engine, out=out, build=build, pull=pull, force=force)


def _up(project: Project, engine: Engine, *, out, build: bool, pull: str, force: bool) -> list[convergence.Action]:
    """Everything that can refuse is checked before anything is built, stopped or created:
    whose containers these are, host ports, service images."""
    existing = ownership.claim(project, engine.containers(project.name), out)
    ident = engine_ready(project, engine, out)
    inputs = plan.make(project, ident.image_user)
    image = inputs.tag(project)
    wanted = desired.specs(project, image, ident)
    actions = convergence.convergence_plan(wanted, existing)
    if already_up(actions, existing):
        return _already_up(project, engine, ident, inputs, image, wanted, actions, existing, out)
    ports.check_free(project, wanted, existing, actions, engine)
    images.ensure_present(engine, wanted, image, pull, out)
    upgrades.check(project, engine, actions, existing, force)
    fresh = datakinds.check(project, force, out)  # another service's data, changed credentials
    context.write_project_context(project, inputs)  # `docker build .dkenv` builds the same image
    if build:
        ensure_image(project, engine, out=out, build=inputs)
    elif not engine.image_exists(image):
        raise FatalError(f"dkenv: the image {image} is not built; run `dkenv build` (or `dkenv up`)")
    handinstalled.warn_before_recreate(project, engine, actions, existing, inputs.image.install, out)
    desired.prepare_dirs(project, wanted)
    labels = {LABEL_PROJECT: project.name, LABEL_ROOT: str(project.root)}
    engine.ensure_network(project.network, labels)
    for action in actions:
        apply(project, engine, action, out)
    datakinds.record(project, fresh)
    record_pid(project, engine, ident)
    prune_old_images(project, engine, keep=image)
    return actions


def already_up(actions: list[convergence.Action], existing: dict[str, ContainerState]) -> bool:
    """Every container runs with its spec's config hash (which holds the image tag), and is
    healthy where it has a healthcheck: nothing to build, start, check or prune."""
    return bool(actions) and all(
        a.verb == convergence.NOOP and (not a.spec.healthcheck or existing[a.name].health == "healthy")
        for a in actions)


def _already_up(project: Project, engine: Engine, ident: identity.Identity, inputs, image: str, wanted: list[ContainerSpec],
                actions: list[convergence.Action], existing: dict[str, ContainerState], out) -> list[convergence.Action]:
    """The no-op `up`: the files dkenv keeps in `.dkenv/` (each written only when it differs),
    the same lines as a full run, and no further Engine call but a stale pid file's."""
    context.write_project_context(project, inputs)
    desired.prepare_dirs(project, wanted)
    out(f"dkenv: image {image} is up to date")
    for action in actions:
        out(f"dkenv: {action.name} is running")
    record_pid(project, engine, ident, existing)  # as listed: no call
    return actions


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


def ensure_running(project: Project, engine: Engine, *, out, after_up=None) -> pidfile.Record:
    """The running project container of this root, started, brought up (or, for a moved folder,
    adopted) when needed: its record (pidfile.py). `after_up(actions)` is called when `up` ran."""
    state = engine.state(project.container)
    if state is None or not state.running or state.labels.get(LABEL_ROOT) != str(project.root):
        actions = up(project, engine, out=out)
        if after_up is not None:
            after_up(actions)
        state = engine.state(project.container)
    if state is None or not state.running:
        raise FatalError(f"dkenv: the project container {project.container} did not start")
    # the record `up` wrote; else (missing, stale, another engine selected) a new one
    record = pidfile.known_running(project) or record_pid(project, engine, mountcheck.identity(engine, project))
    if record is None:
        raise FatalError(f"dkenv: the project container {project.container} stopped as it started; "
                         f"`dkenv logs` shows its output")
    return record


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
