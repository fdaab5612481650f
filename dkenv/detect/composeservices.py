"""The services a project's compose file already runs beside its app, for `dkenv init` to
propose: a service of a catalog image (`rabbitmq: {image: rabbitmq:alpine}`, or built
`FROM` one) as that catalog service, whatever the dependencies say; and a worker (a
service built from the app's folder, or mounting it, other than the app's own: `celery -A
proj worker`, `celery beat`, `celery flower`) as a project-image service with its command,
the ports it publishes and what it depends on. The app's own service is the first whose
command starts a web server, else the first publishing ports (none: all are workers).

"The project's compose file" is the first of the app's folder's, then the root's, that
builds or mounts the app (detect/runsources.py: development files first). Pure: reads
files, never runs anything.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from dkenv.catalog.entries import catalog
from dkenv.detect import launch as launches
from dkenv.detect import composefiles, runsources, serviceversions


@dataclass(frozen=True)
class ComposeService:
    name: str  # its name in the compose file
    source: str  # "docker-compose.yml (services.celery)"
    template: str = ""  # the catalog entry, for a service of a catalog image
    command: str = ""  # a worker's command (the project image)
    depends_on: tuple[str, ...] = ()  # compose names
    ports: tuple[int, ...] = ()  # a worker's container ports it publishes (flower's 5555)


def read(root: Path, workdir: str) -> list[ComposeService]:
    """The catalog services and the workers of the project's compose file, in its order."""
    apps = composefiles.project_app_services(root, workdir)
    if not apps:
        return []
    path = apps[0][0]
    return _services(path, {name for p, name, _ in apps if p == path})


def _services(path: Path, app_names: set[str]) -> list[ComposeService]:
    services = composefiles.compose_services(path)
    images = {entry.image: name for name, entry in catalog().items()}
    own = _the_app(services, app_names)
    found = []
    for name, service in services.items():
        if name == own:
            continue
        source = f"{path.name} (services.{name})"
        if name in app_names:
            command = _without_activate(runsources.command_words(service.get("command")))
            if command and composefiles.runs_python(path, service):
                found.append(ComposeService(str(name), source, command=command, depends_on=_depends(service),
                                            ports=_container_ports(service)))
            continue
        template = images.get(_repository(path, service))
        if template:
            found.append(ComposeService(str(name), source, template=template))
    return found


_ACTIVATE = re.compile(r"^\s*(?:source|\.)\s+\S*/bin/activate\s*&&\s*")


def _without_activate(command: str) -> str:
    """A worker's command without its own venv's activation, which the project container does
    not have (its venv is on PATH): kitsune's `bash -c "source /app/.venv/bin/activate &&
    python -m celery ..."` -> `python -m celery ...`."""
    try:
        words = shlex.split(command)
    except ValueError:
        return command
    wrapped = len(words) == 3 and words[:2] in (["sh", "-c"], ["bash", "-c"])
    inner = words[2] if wrapped else command
    if not _ACTIVATE.match(inner):
        return command
    rest = _ACTIVATE.sub("", inner, count=1)
    shell = words[0] if wrapped else "sh"
    return rest if not re.search(r"&&|\|\||[;|<>`$]", rest) else f"{shell} -c {shlex.quote(rest)}"


def _the_app(services: dict, app_names: set[str]) -> str | None:
    """The app's own service among those built from its folder: the first whose command
    starts a web server dkenv knows, else the first publishing ports; None when none does
    (every one is a worker)."""
    candidates = [n for n in services if n in app_names]
    for test in (_serves, lambda s: bool(s.get("ports"))):
        chosen = next((n for n in candidates if test(services[n])), None)
        if chosen is not None:
            return chosen
    return None


def _serves(service: dict) -> bool:
    started = launches.read(runsources.command_words(service.get("command")) or "")
    return started is not None and bool(started.server)


def _container_ports(service: dict) -> tuple[int, ...]:
    """The container side of a service's published ports ("5556:5555" -> 5555)."""
    ports = service.get("ports") if isinstance(service.get("ports"), list) else []
    found = []
    for item in ports:
        text = str(item.get("target", "")) if isinstance(item, dict) else str(item)
        last = text.rsplit(":", 1)[-1].split("/", 1)[0]
        if last.isdigit():
            found.append(int(last))
    return tuple(found)


def _repository(path: Path, service: dict) -> str:
    """The image repository a service runs (its `image`, else its build's FROM), short name."""
    ref = service.get("image")
    if not isinstance(ref, str):
        built = serviceversions.base_image(path, service)
        ref = built[0] if built else ""
    return composefiles.image_name(ref)[0] if ref else ""


def _depends(service: dict) -> tuple[str, ...]:
    depends = service.get("depends_on")
    if isinstance(depends, dict):  # the long form: {db: {condition: service_healthy}}
        depends = list(depends)
    return tuple(str(d) for d in depends) if isinstance(depends, list) else ()
