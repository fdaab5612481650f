"""`compose.production.yaml`: the production image as Docker Compose runs it on a server.

- `release`: a one-shot container of the image running `[production] release`
  (migrations) once the services are healthy; the app waits for it to succeed
  (`condition: service_completed_successfully`, which Compose 1.29 and v2 both know);
- `app`: the image (`build` from the project root and the exported Dockerfile, or
  `dkenv build --production`'s `:latest`), its port published as `${APP_PORT:-PORT}`,
  `restart: unless-stopped`;
- the services of `[services]` in production style: no published ports, data in named
  volumes, the image's own user, and every credential (`POSTGRES_PASSWORD`...) read from
  the deploy environment (`${VAR:?...}`, Compose refuses to start without it), also inside
  the connection URLs the app gets (`DATABASE_URL`). Development values are never written.

Pure: the document is a dict, written as text by yamltext. Paths are relative to the
file, so the folder works on any machine."""
from __future__ import annotations

import os
import re

from dkenv import fileio, yamltext
from dkenv.production.plan import ProductionInputs
from dkenv.project.project import Project
from dkenv.services import resolve as services
from dkenv.services.specs import start_order

FILE = "compose.production.yaml"
SECRET = re.compile(r"PASS|SECRET|TOKEN|(^|_)KEY$")
_SENTINEL = "DKENVSECRET{}X"  # survives URL quoting, replaced by ${VAR} afterwards


def header(folder: str, services_needed: list[str]) -> str:
    needed = " ".join(f"{v}=..." for v in services_needed)
    return f"""\
# {fileio.MARK} (`dkenv export production`) from .dkenv.toml: export again after changing it.
# The production image, its release step and the services. On the server, from the project root:
#   {needed + ' ' if needed else ''}docker compose -f {folder}/{FILE} up -d --build   (or docker-compose)
# ${{VAR:?...}} values come from the environment or {folder}/.env (never commit it; .dockerignore leaves it out).
"""


class Variables:
    """The deploy-time variables the file reads (`${NAME}`), one per secret."""

    def __init__(self):
        self.names: dict[tuple[str, str], str] = {}  # (service, key) -> variable

    def of(self, service: str, key: str) -> str:
        if (service, key) not in self.names:
            taken = set(self.names.values())
            self.names[(service, key)] = key if key not in taken else f"{service.upper().replace('-', '_')}_{key}"
        return self.names[(service, key)]


def document(project: Project, inputs: ProductionInputs, folder: str) -> tuple[dict, list[str]]:
    """The compose document, and the variables it needs from the deploy environment.
    `folder` is where the file goes, relative to the project root."""
    variables = Variables()
    config = project.config
    build = {"context": os.path.relpath(".", folder) if folder != "." else ".",
             "dockerfile": f"{folder}/Dockerfile" if folder != "." else "Dockerfile"}
    image = f"{inputs.repo(project)}:latest"
    app_env = _app_env(project, variables)
    services_doc: dict = {}
    volumes: dict = {}
    healthy: set[str] = set()
    for name in start_order(config.services):
        resolved = services.resolve(config.services[name])
        if resolved.kind == services.PROJECT_IMAGE:
            services_doc[name] = _project_image(resolved, image, build, app_env, healthy)
            continue
        services_doc[name] = _service(resolved, variables, volumes, healthy)
    waits = _waits(config.services, healthy)
    app: dict = {"image": image, "build": build}
    if inputs.release:
        release = {"image": image, "build": build, "command": _argv(inputs.release)}
        if app_env:
            release["environment"] = app_env
        if waits:
            release["depends_on"] = waits
        release["restart"] = "no"
        services_doc["release"] = release
    if app_env:
        app["environment"] = app_env
    port = inputs.plan.port
    app["ports"] = [f"${{APP_PORT:-{port}}}:{port}"]
    depends = dict(waits)
    if inputs.release:
        depends["release"] = {"condition": "service_completed_successfully"}
    if depends:
        app["depends_on"] = depends
    app["restart"] = "unless-stopped"
    services_doc["app"] = app
    doc = {"services": services_doc}
    if volumes:
        doc["volumes"] = volumes
    needed = sorted(set(variables.names.values()) | {k for k, v in config.production.env.items() if not v})
    return doc, needed


def render(doc: dict, folder: str, needed: list[str]) -> str:
    return header(folder, needed) + yamltext.dump(doc)


def _argv(command: str) -> list[str]:
    from dkenv.production.dockerfile import command_argv

    return command_argv(command)


def _app_env(project: Project, variables: Variables) -> dict[str, str]:
    """[production] env ("" required at deploy time), then the services' connection variables."""
    env: dict[str, str] = {}
    for service in project.config.services.values():
        resolved = services.resolve(service)
        if resolved.entry is None:
            continue
        secret_env, secrets = _secret_env(resolved, variables)
        found = {**services.entry_variables(resolved.entry, service.name, secret_env),
                 **services.prefixed_variables(resolved.entry, service.name, secret_env)}
        for key, value in found.items():
            env.setdefault(key, _substitute(value, secrets))
    for key, value in project.config.production.env.items():
        env[key] = f"${{{key}:?set {key} (production.env)}}" if value == "" else value.replace("$", "$$")
    return env


def _secret_env(resolved, variables: Variables) -> tuple[dict[str, str], dict[str, str]]:
    """The service's environment with each credential a sentinel, and sentinel -> ${VAR}."""
    env, secrets = {}, {}
    for i, (key, value) in enumerate(resolved.env.items()):
        if SECRET.search(key):
            sentinel = _SENTINEL.format(i)
            env[key], secrets[sentinel] = sentinel, f"${{{variables.of(resolved.name, key)}}}"
        else:
            env[key] = value
    return env, secrets


def _substitute(value: str, secrets: dict[str, str]) -> str:
    value = value.replace("$", "$$")
    for sentinel, variable in secrets.items():
        value = value.replace(sentinel, variable)
    return value


def _service(resolved, variables: Variables, volumes: dict, healthy: set[str]) -> dict:
    service: dict = {"image": resolved.image}
    if resolved.command:
        service["command"] = [w.replace("$", "$$") for w in resolved.command]
    env = {}
    for key, value in resolved.env.items():
        if SECRET.search(key):
            variable = variables.of(resolved.name, key)
            env[key] = f"${{{variable}:?set {variable} (the {resolved.name} service's {key})}}"
        else:
            env[key] = value.replace("$", "$$")
    if env:
        service["environment"] = env
    if resolved.data_path:
        volume = f"{resolved.name}-data"
        volumes[volume] = {}
        service["volumes"] = [f"{volume}:{resolved.data_path}"]
    if resolved.healthcheck:
        healthy.add(resolved.name)
        service["healthcheck"] = {"test": ["CMD-SHELL", resolved.healthcheck.replace("$", "$$")], "interval": "5s",
                                  "timeout": "5s", "retries": 30}
    if resolved.config.depends_on:
        service["depends_on"] = _waits(resolved.config.depends_on, healthy)
    if resolved.entry is not None and resolved.entry.stop_signal:
        service["stop_signal"] = resolved.entry.stop_signal
    service["stop_grace_period"] = f"{resolved.config.stop_timeout}s"
    service["restart"] = "unless-stopped"
    return service


def _project_image(resolved, image: str, build: dict, app_env: dict, healthy: set[str]) -> dict:
    """A service run in the project's image ([services.worker] command = "celery ..."): the production image."""
    service: dict = {"image": image, "build": build, "command": [w.replace("$", "$$") for w in resolved.command or []]}
    env = {**app_env, **{k: v.replace("$", "$$") for k, v in resolved.env.items()}}
    if env:
        service["environment"] = env
    if resolved.healthcheck:
        healthy.add(resolved.name)
        service["healthcheck"] = {"test": ["CMD-SHELL", resolved.healthcheck.replace("$", "$$")], "interval": "5s"}
    if resolved.config.depends_on:
        service["depends_on"] = _waits(resolved.config.depends_on, healthy)
    service["restart"] = "unless-stopped"
    return service


def _waits(names, healthy: set[str]) -> dict:
    return {name: {"condition": "service_healthy" if name in healthy else "service_started"} for name in names}
