"""`up`, in one place: decide, then the image, then the containers, then what follows a
new container. Each package is asked for its part and hands back data; nothing below
calls back up here.

1. Decide (everything that can refuse, before anything is built, stopped or created):
   the project's containers and the engine's identity (containers/lifecycle.ready), the
   image plan and its tag (image/plan), the project container's spec (containers/appspec)
   and every service's (services/specs, once), then the convergence plan and its checks:
   host ports, service images, data of another major version (containers/lifecycle.decide).
2. The image (image/build.ready): `.dkenv/Dockerfile` and its context, built when missing.
3. The containers (containers/lifecycle.converge): data folders, network, each action in
   order, the pid file; then the project's old images are pruned, by a process that takes
   the project's lock over from `up` (image/prunelater).
4. After `up` (outside the project's lock): the IDE's copy of site-packages, the shims
   rehashed for a new project container, the IDE interpreter (for `dkenv up` itself), and
   the workers that died at once (fatal for `dkenv up`, reported for a command that only
   needed the project running).

The no-op `up` without the Engine is not here: commands/up.py asks containers/noop.py
first, before the SDK is even loaded.
"""
from __future__ import annotations

from dataclasses import dataclass

from dkenv.containers import appspec, convergence, lifecycle, mountcheck, workers
from dkenv.engine.engine import Engine
from dkenv.engine.spec import LABEL_ROOT
from dkenv.errors import FatalError
from dkenv.exec import pidfile
from dkenv.ide import sitepackages
from dkenv.image import build as image_build
from dkenv.image import plan, prunelater
from dkenv.project import lock
from dkenv.project.project import Project
from dkenv.services import specs as service_specs
from dkenv.shell import refresh


@dataclass(frozen=True)
class Outcome:
    """What an `up` did, and the image plan it did it with (for what its caller says after)."""

    actions: list[convergence.Action]
    inputs: plan.BuildInputs
    prune: bool = False  # the project container runs the plan's image: the project's others can go


def up(project: Project, engine: Engine, out, *, build: bool = True, pull: str = "missing", force: bool = False,
       command: bool = False) -> Outcome:
    """Bring the project up, under its lock, then what follows (after_up). `command`: this is
    `dkenv up` itself (the IDE interpreter written, a dead worker fatal), not a command
    that only needs the project running."""
    with lock.hold(project, out) as held:
        outcome = bring_up(project, engine, out, build=build, pull=pull, force=force)
        if outcome.prune:  # after `up` returns, the lock handed over until it is done
            prunelater.after(engine, project.name, outcome.inputs.tag(project), held)
    after_up(project, engine, outcome.actions, out, command=command)
    return outcome


def bring_up(project: Project, engine: Engine, out, *, build: bool = True, pull: str = "missing",
             force: bool = False) -> Outcome:
    """Decide, then the image, then the containers (the caller holds the project's lock);
    the actions taken, the image plan, and whether the project's other images can go."""
    # decide: everything that can refuse, before anything is built, stopped or created
    existing, ident = lifecycle.ready(project, engine, out)
    inputs = plan.make(project, ident.image_user)
    image = inputs.tag(project)
    wanted = service_specs.all_specs(project, appspec.app_spec(project, image, ident), ident)
    decision = lifecycle.decide(project, engine, wanted, existing, image, pull=pull, force=force, out=out,
                                base=inputs.image.base if build else None,
                                buildable=lambda: _buildable(project, inputs))
    # the image, then the containers
    current = existing.get(project.container)
    image_build.ready(project, engine, inputs, out=out, build=build, present=decision.running,
                      running=current.image if current is not None else "")
    lifecycle.converge(project, engine, decision, ident, image=image, install=inputs.image.install, out=out)
    return Outcome(decision.actions, inputs, prune=not decision.running)


def after_up(project: Project, engine: Engine, actions: list[convergence.Action], out, *,
             command: bool = False) -> None:
    """What follows `up`: the IDE's copy of site-packages (when the venv changed), the shims
    (when the project container is new), the IDE interpreter (for `dkenv up`), the workers."""
    sitepackages.after_up(project, engine, actions, out)
    refresh.after_up(project, engine, actions, out, ide_interpreter=command)  # the shims, the IDE interpreter
    workers.after_up(engine, actions, out, fail=command)  # a dead worker: after everything is written


def ensure_running(project: Project, engine: Engine, out) -> pidfile.Record:
    """The running project container of this root, started, brought up (or, for a moved folder,
    adopted) when needed: its record (exec/pidfile.py)."""
    state = engine.state(project.container)
    if state is None or not state.running or state.labels.get(LABEL_ROOT) != str(project.root):
        up(project, engine, out)
        state = engine.state(project.container)
    if state is None or not state.running:
        raise FatalError(f"dkenv: the project container {project.container} did not start")
    # the record `up` wrote; else (missing, stale, another engine selected) a new one
    record = pidfile.known_running(project) or lifecycle.record_pid(project, engine,
                                                                    mountcheck.identity(engine, project))
    if record is None:
        raise FatalError(f"dkenv: the project container {project.container} stopped as it started; "
                         f"`dkenv logs` shows its output")
    return record


def _buildable(project: Project, inputs) -> None:
    """An image to build from a lock pinning packages with no wheel for its Python, and no
    compiler to build them: said before anything is built (detect/lockcheck.py), not as a
    compiler's error."""
    from dkenv.detect import lockcheck

    plan_ = inputs.image
    lock = lockcheck.lock_of(project.app_dir, plan_.install)
    if lock is None:
        return
    message = lockcheck.before_build(lock, plan_.python, plan_.apt)
    if message:
        raise FatalError(message)
