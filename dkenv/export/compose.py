"""`compose.yaml` for Docker Compose: the project container and its services as `dkenv
up` makes them (the same ContainerSpecs): the image tag, built from `.dkenv/` when
missing; the root bind-mounted at the same absolute path; data/ mounts; ports on
run.bind; env and env_file; healthchecks, and depends_on with `service_healthy`.

Pure: the document is a dict, written as text by yamltext. Absolute paths on purpose (the
same-path mount, as the image's host user, are per machine): export again after a move."""
from __future__ import annotations

from dkenv import fileio, yamltext
from dkenv.containers import appspec, boundary
from dkenv.engine.spec import ContainerSpec, Healthcheck, Port
from dkenv.project import envfile
from dkenv.project.project import Project

HEADER = f"""\
# {fileio.MARK} (`dkenv export compose`) from .dkenv.toml: export again after changing it.
# The project container is `app`; the image is built from .dkenv/ when missing.
#   docker compose up -d   (or docker-compose)    docker compose exec app python ...
"""


def document(project: Project, image: str, specs: list[ContainerSpec], *, tag: bool = True) -> dict:
    """The compose document for the project's containers (`specs`, as wanted.specs makes them).

    `tag`: the containers of the project image use dkenv's tag (built when missing); without,
    the tool names its own build (the Dev Containers CLI rebuilds with a label of its own,
    which must not land under dkenv's tag)."""
    built = {spec.role for spec in specs if spec.image == image}
    health = {spec.role for spec in specs if spec.healthcheck}
    services = {}
    for spec in specs:
        service = _service(project, spec, spec.role in built, health)
        if spec.role in built and not tag:
            del service["image"]
        services[spec.role] = _escape(service)
    return {"services": services}


def render(doc: dict) -> str:
    return HEADER + yamltext.dump(doc)


def _service(project: Project, spec: ContainerSpec, built: bool, healthy: set[str]) -> dict:
    service: dict = {}
    if built:
        service["build"] = {"context": str(project.work_dir)}
    service["image"] = spec.image
    entrypoint, command = spec.entrypoint, spec.command
    if entrypoint == appspec.app_entrypoint(project)[0]:  # dkenv's exec agent serves dkenv's own container only
        entrypoint, command = ["sleep"], ["infinity"]
    if entrypoint is not None:
        service["entrypoint"] = list(entrypoint)
    if command is not None:
        service["command"] = list(command)
    if spec.user:
        service["user"] = spec.user
    if spec.group_add:
        service["group_add"] = list(spec.group_add)
    if spec.working_dir:
        service["working_dir"] = spec.working_dir
    if spec.init:
        service["init"] = True
    env_file, env = _environment(project, spec, built)
    if env_file:
        service["env_file"] = [env_file]
    if env:
        service["environment"] = env
    volumes = [m for m in spec.mounts if not boundary.inside(project, m)]  # dkenv's boundary is its own container's
    if volumes:
        service["volumes"] = [{"type": "bind", "source": m.source, "target": m.target,
                               **({"read_only": True} if m.read_only else {})} for m in volumes]
    if spec.ports:
        service["ports"] = [_port(p) for p in spec.ports]
    if spec.healthcheck:
        service["healthcheck"] = _healthcheck(spec.healthcheck)
    if spec.depends_on:
        service["depends_on"] = {
            dep: {"condition": "service_healthy" if dep in healthy else "service_started"}
            for dep in spec.depends_on}
    if spec.stop_signal:
        service["stop_signal"] = spec.stop_signal
    service["stop_grace_period"] = f"{spec.stop_timeout}s"
    return service


def _environment(project: Project, spec: ContainerSpec, built: bool) -> tuple[str, dict[str, str]]:
    """run.env_file by reference (its values stay out of compose.yaml) for the containers of
    the project's image, and the variables it does not already give."""
    run = project.config.run
    if not built or not run.env_file:
        return "", dict(spec.env)
    path = project.root / run.env_file
    from_file = envfile.load(path)
    env = {k: v for k, v in spec.env.items() if k in run.env or from_file.get(k) != v}
    return str(path), env


def _port(port: Port) -> str:
    bind = f"[{port.bind}]" if ":" in port.bind else port.bind
    return f"{bind}:{port.host}:{port.container}"


def _duration(seconds: float) -> str:
    return f"{int(seconds)}s" if float(seconds).is_integer() else f"{int(seconds * 1000)}ms"


def _healthcheck(h: Healthcheck) -> dict:
    return {"test": ["CMD-SHELL", h.test], "interval": _duration(h.interval), "timeout": _duration(h.timeout),
            "retries": h.retries, "start_period": _duration(h.start_period)}


def _escape(value):
    """Compose substitutes `$VAR` in every string: `$` is written `$$` so values stay literal."""
    if isinstance(value, str):
        return value.replace("$", "$$")
    if isinstance(value, list):
        return [_escape(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    return value

