"""Bringing a project up and down: image, network, services, project container.

`up` computes every ContainerSpec, checks host ports, asks plan.convergence_plan what
to do, and only then acts: services first in dependency order (each healthy before the
next), then the project container.
"""
from __future__ import annotations

import time
from pathlib import Path

from dkenv import appspec, builder, marker, plan, ports
from dkenv.engine import ContainerState, Engine
from dkenv.errors import FatalError
from dkenv.project import Project
from dkenv.spec import APP_ROLE, LABEL_PROJECT, LABEL_ROOT, ContainerSpec


def specs(project: Project, image: str) -> list[ContainerSpec]:
    """Every container of the project, in start order (services first, the app last)."""
    app = appspec.app_spec(project, image)
    if not project.config.services:
        return [app]
    from dkenv import services, servicespecs

    app.env.update(services.connection_env(project))
    ordered = servicespecs.service_specs(project, app)  # in start order
    app.depends_on = [s.role for s in ordered]
    return [*ordered, app]


def up(project: Project, engine: Engine, *, out, build: bool = True) -> list[plan.Action]:
    if build:
        image = builder.ensure_image(project, engine, out=out)
    else:
        from dkenv import buildplan

        image = buildplan.make(project).tag(project)
        if not engine.image_exists(image):
            raise FatalError(f"dkenv: the image {image} is not built; run `dkenv build` (or `dkenv up`)")
    wanted = specs(project, image)
    existing = engine.containers(project.name)
    actions = plan.convergence_plan(wanted, existing)
    ports.check_free(project, wanted, existing, actions, engine)
    prepare_dirs(project, wanted)
    labels = {LABEL_PROJECT: project.name, LABEL_ROOT: str(project.root)}
    engine.ensure_network(project.network, labels)
    for action in actions:
        apply(project, engine, action, out)
    write_pid(project, engine)
    builder.prune_old_images(project, engine, keep=image)
    return actions


def apply(project: Project, engine: Engine, action: plan.Action, out) -> None:
    spec = action.spec
    if action.verb == plan.REMOVE:
        out(f"dkenv: removing {action.name} ({action.reason})")
        engine.remove(action.name)
        return
    if action.verb == plan.NOOP:
        out(f"dkenv: {action.name} is running")
    elif action.verb in (plan.CREATE, plan.RECREATE):
        out(f"dkenv: {'creating' if action.verb == plan.CREATE else 'recreating'} {action.name} ({action.reason})")
        if action.verb == plan.RECREATE:
            engine.remove(action.name)
        engine.create(spec, spec.all_labels(project.name, str(project.root)), project.network)
        engine.start(action.name)
    elif action.verb == plan.START:
        out(f"dkenv: starting {action.name}")
        engine.start(action.name)
    if spec.healthcheck:
        wait_healthy(engine, spec, out)


def wait_healthy(engine: Engine, spec: ContainerSpec, out) -> None:
    """Wait for the healthcheck; on timeout, the state and the last 20 log lines."""
    deadline = time.monotonic() + spec.health_timeout
    said = False
    while True:
        state = engine.state(spec.name)
        if state is None or not state.running and state.status != "restarting":
            raise FatalError(_unhealthy(engine, spec, state, "it stopped"))
        if state.health == "healthy":
            return
        if time.monotonic() > deadline:
            raise FatalError(_unhealthy(engine, spec, state, f"not healthy after {spec.health_timeout} s"))
        if not said:
            out(f"dkenv: waiting for {spec.role} to be healthy")
            said = True
        time.sleep(0.5)


def _unhealthy(engine: Engine, spec: ContainerSpec, state: ContainerState | None, why: str) -> str:
    status = f"{state.status}, health {state.health}" if state else "gone"
    try:
        tail = b"".join(engine.logs(spec.name, tail=20)).decode(errors="replace").rstrip()
    except Exception:
        tail = "(no logs)"
    lines = "\n".join(f"  | {line}" for line in tail.splitlines()) or "  | (no output)"
    return f"dkenv: service {spec.role} failed: {why} (state: {status}); its last log lines:\n{lines}"


def prepare_dirs(project: Project, wanted: list[ContainerSpec]) -> None:
    """data/ folders the containers mount, created by dkenv as the host user."""
    project.work_dir.mkdir(exist_ok=True)
    ignore = project.work_dir / ".gitignore"
    if not ignore.exists():
        marker.write(ignore, f"# {marker.MARK}: everything here is generated\n*\n")
    for spec in wanted:
        for rel in spec.data_dirs:
            (project.data_dir / rel).mkdir(parents=True, exist_ok=True)


def pid_file(project: Project) -> Path:
    return project.work_dir / "run" / "container.pid"


def write_pid(project: Project, engine: Engine, state: ContainerState | None = None) -> None:
    """The host PID of the project container's init, which the shims check (no Python)."""
    state = state or engine.state(project.container)
    path = pid_file(project)
    if state and state.running and state.pid:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(".container.pid.tmp")
        tmp.write_text(f"{state.pid}\n")
        tmp.replace(path)
    else:
        path.unlink(missing_ok=True)


def known_running(project: Project) -> bool:
    """True when the pid file names a live docker-init: no Engine call (the shims check the same)."""
    try:
        pid = pid_file(project).read_text().strip()
        return pid.isdigit() and Path(f"/proc/{pid}/comm").read_text().strip() == "docker-init"
    except OSError:
        return False


def ensure_running(project: Project, engine: Engine, *, out) -> ContainerState:
    """The running project container: started, or brought up, when needed."""
    state = engine.state(project.container)
    if state is None or not state.running:
        up(project, engine, out=out)
        state = engine.state(project.container)
    if state is None or not state.running:
        raise FatalError(f"dkenv: the project container {project.container} did not start")
    return state


def down(project: Project, engine: Engine, *, out) -> None:
    """Remove the project's containers and network; data/ is never touched."""
    existing = engine.containers(project.name)
    for name, state in sorted(existing.items(), key=lambda kv: kv[1].role != APP_ROLE):
        out(f"dkenv: removing {name}")
        engine.remove(name)
    engine.remove_network(project.network)
    pid_file(project).unlink(missing_ok=True)


def venv_scripts(project: Project) -> list[str] | None:
    """The console scripts in the running container's /opt/venv/bin, or None if it is not running."""
    from dkenv import engine as engine_mod

    eng = engine_mod.connect()
    state = eng.state(project.container)
    if state is None or not state.running:
        return None
    code, output = eng.exec_capture(project.container, ["ls", "-1", "/opt/venv/bin"])
    if code != 0:
        return None
    return [n for n in output.decode(errors="replace").split() if n and not n.startswith(("activate", "Activate"))]
