"""Waiting for a container's healthcheck; on failure, its state and last log lines."""
from __future__ import annotations

import time

from dkenv.engine.engine import Engine
from dkenv.engine.spec import ContainerSpec, ContainerState
from dkenv.errors import FatalError


def wait_healthy(engine: Engine, spec: ContainerSpec, out) -> None:
    """Wait for the healthcheck; on timeout, the state and the last 20 log lines."""
    deadline = time.monotonic() + spec.health_timeout
    said = False
    while True:
        engine.run_healthcheck(spec.name)  # Podman without systemd runs none on its own
        state = engine.state(spec.name)
        if state is None or not state.running and state.status != "restarting":
            raise FatalError(failure(engine, spec, state, "it stopped"))
        if state.health == "healthy":
            return
        if time.monotonic() > deadline:
            raise FatalError(failure(engine, spec, state, f"not healthy after {spec.health_timeout} s"))
        if not said:
            out(f"dkenv: waiting for {spec.role} to be healthy")
            said = True
        time.sleep(0.5)


def failure(engine: Engine, spec: ContainerSpec, state: ContainerState | None, why: str) -> str:
    """The message for a service that failed: why, its state, its last log lines."""
    status = f"{state.status}, health {state.health}" if state else "gone"
    lines = "\n".join(f"  | {line}" for line in engine.log_tail(spec.name, 20).splitlines()) or "  | (no output)"
    return f"dkenv: service {spec.role} failed: {why} (state: {status}); its last log lines:\n{lines}"
