"""From a project to its production image's inputs: the ProductionPlan (production/dockerfile.py
renders it), the files dkenv generates for its context, and the production server and
release chosen for what `[production]` leaves unset (detect/production.py).

Reads the project's files; never calls Docker. The source the image copies is chosen by
`.dockerignore` (production/dockerignore.py) when the image is built (production/build.py) or
by Docker itself for `docker build` of the exported context.
"""
from __future__ import annotations

import functools
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from dkenv import __version__, hostuser
from dkenv.detect import production as detect_production
from dkenv.errors import ConfigError
from dkenv.installers import editable
from dkenv import installers
from dkenv.production import dockerfile as prodfile, runtimeapt
from dkenv.image.dockerfile import ImagePlan
from dkenv.imagepaths import CONTEXT_MANIFESTS
from dkenv.image.plan import _inspect, _python, host_ca_files
from dkenv.engine.spec import parse_port
from dkenv.project.project import Project

DEFAULT_PORT = 8000
ROOT_USER = hostuser.User("root", 0, 0)
WEB_SERVERS = ("gunicorn", "uvicorn", "hypercorn", "granian", "daphne", "waitress-serve")


@dataclass
class ProductionInputs:
    plan: prodfile.ProductionPlan
    dockerfile: str
    server: detect_production.Server  # the framework's defaults, and why
    release: str  # the release command ("": none)
    notes: list[str] = field(default_factory=list)  # what to tell the user (kept -dev packages...)

    def repo(self, project: Project) -> str:
        return f"{project.image_repo}-production"


def make(project: Project, dockerfile: str) -> ProductionInputs:
    """The production image of `project`, its Dockerfile at `dockerfile` (relative to the root)."""
    cfg, prod = project.config, project.config.production
    folder = project.app_dir
    detected = functools.lru_cache(maxsize=1)(lambda: _inspect(folder))
    python, python_from = _python(project, detected)
    install = cfg.image.install if cfg.image.install != "auto" else detected().manager
    requirements = list(prod.requirements) or _main_requirements(project, install)
    inputs = _installer_inputs(project, install, requirements, detected)
    manifests, generated = _manifests(project, folder, inputs.files)
    ca = {Path(k).name: v for k, v in host_ca_files(cfg.image.extra_ca).items()}
    lock = installers.get(install).lock_file if install != "none" else None
    deps = ImagePlan(
        base=cfg.image.base, python=python, python_from=python_from, install=install, user=ROOT_USER,
        apt=list(cfg.image.apt), requirements=inputs.requirements, constraints=inputs.constraints,
        install_args=inputs.args, editables=inputs.editables, extra_ca=bool(ca),
        locked=bool(lock) and any(target == lock for _, target in manifests), extras=inputs.extras,
        groups=inputs.groups, hashes=inputs.hashes, project=project.name, version=__version__)
    port = prod.port or _run_port(project) or DEFAULT_PORT
    names = main_names(folder, install, requirements, python)
    server = detect_production.server(folder, detected().framework, names, port)
    command = prod.command if prod.command is not None else server.command
    if not command:
        raise ConfigError(f"dkenv: {cfg.path}: [production] command is not set, and dkenv has no default: "
                          f"{server.reason}")
    words = shlex.split(command)
    notes = []
    runtime = prod.apt
    if runtime is None:
        runtime, notes = runtimeapt.runtime_packages(cfg.image.apt)
    health = prod.healthcheck if prod.healthcheck is not None else ("/" if words[0] in WEB_SERVERS else "")
    plan = prodfile.ProductionPlan(
        deps=deps, dockerfile=dockerfile, command=command, port=port, runtime_apt=runtime, manifests=manifests,
        generated=generated, ca=ca, setup=cfg.image.setup,
        servers=[p for p in detect_production.server_packages(command) if p not in names],
        workers=prod.workers, healthcheck=health, gunicorn_conf=words[0] == "gunicorn",
        workdir=f"{prodfile.APP_DIR}/{cfg.image.workdir}".rstrip("/") if cfg.image.workdir else prodfile.APP_DIR)
    release = prod.release if prod.release is not None else server.release
    return ProductionInputs(plan=plan, dockerfile=prodfile.render(plan), server=server,
                            release=release, notes=notes)


def _installer_inputs(project: Project, install: str, requirements: list[str], detected) -> installers.Inputs:
    """What the installer copies and installs for production: [production]'s extras and groups."""
    prod, folder = project.config.production, project.app_dir
    if install == "none":
        if prod.extras or prod.groups:
            raise ConfigError(f"dkenv: {project.config.path}: production.extras and production.groups do not "
                              "apply: install is \"none\"")
        return installers.Inputs()
    installer = installers.get(install)
    try:
        inputs = installer.inputs(folder, requirements, detected, extras=list(prod.extras), groups=list(prod.groups))
    except ConfigError as e:  # the installer names image.extras: here they are [production]'s
        raise ConfigError(str(e).replace("image.extras", "production.extras")
                          .replace("image.groups", "production.groups")) from None
    installer.own_package(folder, inputs)
    return inputs


def _run_port(project: Project) -> int | None:
    """The container side of run.ports' first port."""
    ports = project.config.run.ports
    return parse_port(ports[0])[1] if ports else None


def _main_requirements(project: Project, install: str) -> list[str]:
    """An installer that takes requirements files (pip): the main one, not the development
    one (ConfigError when there is none)."""
    found = main_requirements(project.app_dir, install)
    if not found and install != "none" and installers.get(install).takes_requirements:
        raise ConfigError(f"dkenv: {project.config.path}: no main requirements file (requirements.txt, "
                          "requirements/base.txt...) was found for the production image; set [production] requirements")
    return found


def main_requirements(folder: Path, install: str) -> list[str]:
    """The requirements files the production image of `folder` installs when production.requirements
    is unset (pip's main one: `Installer.main_requirements`); [] for an installer that takes none."""
    return installers.get(install).main_requirements(folder) if install != "none" else []


def _manifests(project: Project, folder: Path, context: dict[str, bytes]) -> tuple[list[tuple[str, str]], dict]:
    """The installer's build-context files, split: those that are the project's own files
    (copied from where they are: a manifest edit is seen by `docker build` without dkenv)
    and those dkenv makes (a requirements file, the project's own wheel, rewritten for /app)."""
    copies: list[tuple[str, str]] = []
    generated: dict[str, bytes] = {}
    bases = [folder, *[p for p in folder.parents if p.is_relative_to(project.root)]]
    for key, content in sorted(context.items()):
        rel = key[len(CONTEXT_MANIFESTS) + 1:]
        source = next((b / rel for b in bases if (b / rel).is_file() and (b / rel).read_bytes() == content), None)
        if source is not None:
            copies.append((source.relative_to(project.root).as_posix(), rel))
        elif rel.endswith(".whl"):
            generated[rel] = editable.relocated(content, project.root, prodfile.APP_DIR)
        else:
            generated[rel] = content
    return copies, generated


def main_names(folder: Path, install: str, requirements: list[str], python: str | None = None) -> set[str]:
    """The names the production image installs directly (`Installer.main_names`: no
    development extras or groups; those whose markers hold with its Python `python`, X.Y,
    when known), plus uvicorn when FastAPI's `standard` (or `all`) extra brings it."""
    if install == "none":
        return set()
    found = installers.get(install).main_names(folder, requirements, [python] if python else None)
    names = set(found)
    if found.get("fastapi", set()) & {"standard", "all"}:
        names.add("uvicorn")
    return names
