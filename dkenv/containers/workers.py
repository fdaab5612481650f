"""Workers that die at once: a service running the project image without a healthcheck
(a celery worker, a queue consumer) has nothing `up` could wait for, so a crash on
import would pass unseen until `status`. After starting, `up` watches the ones it
started for a short grace period and fails, with their log tails, for any that exited
with a failure status (one that ends with 0, a one-shot task, is only mentioned).
"""
from __future__ import annotations

import time

from dkenv.containers import convergence
from dkenv.engine.engine import Engine
from dkenv.engine.spec import APP_ROLE, ContainerSpec
from dkenv.errors import FatalError

GRACE = 2.0  # seconds the started workers must keep running after everything has started
STARTED = (convergence.CREATE, convergence.RECREATE, convergence.START, convergence.UNPAUSE)


def started_workers(actions: list[convergence.Action]) -> list[ContainerSpec]:
    """The project-image services without a healthcheck that this `up` (re)started."""
    image = next((a.spec.image for a in actions if a.spec is not None and a.spec.role == APP_ROLE), None)
    return [a.spec for a in actions
            if a.verb in STARTED and a.spec is not None and a.spec.role != APP_ROLE
            and a.spec.image == image and a.spec.healthcheck is None]


def after_up(engine: Engine, actions: list[convergence.Action], out, *, fail: bool = True) -> None:
    """`dkenv up` fails for a worker that died (after watching them for GRACE seconds); a command
    that only needed the project started (`exec`, a shim) looks once and says so, and goes on."""
    try:
        check(engine, started_workers(actions), out, GRACE if fail else 0.0)
    except FatalError as e:
        if fail:
            raise
        out(str(e))


def check(engine: Engine, workers: list[ContainerSpec], out, grace: float = GRACE) -> None:
    """Watch the workers for `grace` seconds: FatalError naming every one that exited with a
    failure status, with its last log lines."""
    if not workers:
        return
    deadline = time.monotonic() + grace
    said = False
    watching = list(workers)
    while watching:
        states = {w.name: engine.state(w.name) for w in watching}
        ended = [w for w in watching if states[w.name] is None or states[w.name].status in ("exited", "dead")]
        failed = [w for w in ended if states[w.name] is None or states[w.name].exit_code != 0]
        for w in ended:
            if w not in failed:
                out(f"dkenv: service {w.role} ended with status 0 right after it started (a one-shot task?)")
            watching.remove(w)
        if failed:
            raise FatalError("\n".join(report(engine, w, states[w.name]) for w in failed))
        if time.monotonic() >= deadline:
            return
        if not said and watching:
            names = ", ".join(w.role for w in watching)
            out(f"dkenv: checking that {names} keep{'s' if len(watching) == 1 else ''} running")
            said = True
        time.sleep(0.25)


def report(engine: Engine, spec: ContainerSpec, state) -> str:
    """One worker's failure: its exit status and last log lines."""
    status = f"exited with status {state.exit_code}" if state is not None else "is gone"
    lines = "\n".join(f"  | {line}" for line in engine.log_tail(spec.name, 20).splitlines()) or "  | (no output)"
    return (f"dkenv: service {spec.role} {status} right after it started (`dkenv logs {spec.role}` shows "
            f"all); its last log lines:\n{lines}")
