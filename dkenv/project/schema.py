"""The shape of `.dkenv.toml`: the tables, their keys and types (SCHEMA), and the
dataclasses a validated file becomes."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dkenv.project.root import CONFIG_NAME  # noqa: F401 - re-exported

PYTHON_FROM = ("auto", "system", "uv", "image")
DEFAULT_SHIMS = ["python", "python3", "pip", "pip3", "manage.py", "django-admin"]
# what the host's tools run by themselves (git's hooks and config, the editors' tasks and
# settings, direnv, the Dev Containers' initializeCommand): read-only in the project container
# when present (containers/boundary.py); `[run] writable` takes one out, `[run] read_only` adds
READ_ONLY_DEFAULTS = [".git", ".vscode", ".idea", ".devcontainer", ".envrc"]


@dataclass
class ImageConfig:
    base: str = "debian:bookworm-slim"
    python: str | None = None
    python_from: str = "auto"
    apt: list[str] = field(default_factory=list)
    setup: str = ""
    install: str = "auto"
    requirements: list[str] = field(default_factory=list)
    extra_ca: str = "auto"
    extras: list[str] | None = None  # optional dependencies installed; None: the installer's default
    groups: list[str] | None = None  # dependency groups installed; None: the installer's default
    workdir: str = ""  # the app's folder (its manifests, run.command's cwd), relative to the root


@dataclass
class RunConfig:
    command: str = ""
    ports: list[str] = field(default_factory=list)
    bind: str = "127.0.0.1"
    env: dict[str, str] = field(default_factory=dict)
    env_file: str = ""
    read_only: list[str] = field(default_factory=list)  # project paths read-only in the container, besides the defaults
    writable: list[str] = field(default_factory=list)  # READ_ONLY_DEFAULTS left writable
    docker: bool = False  # the engine lent to the project container (engine/lend.py): control of the engine


@dataclass
class ShimsConfig:
    commands: list[str] = field(default_factory=lambda: list(DEFAULT_SHIMS))
    venv_scripts: bool = True
    exclude: list[str] = field(default_factory=list)  # venv scripts never shimmed


@dataclass
class DebugConfig:
    port: int = 0  # debugpy's port, inside and published on run.bind; 0: no debugger
    wait: bool = False  # `dkenv debug` waits for the debugger to attach before running


@dataclass
class IdeConfig:
    mounts: list[str] | None = None  # IDE helper folders mounted read-only at the same path; None: detected
    env: list[str] = field(default_factory=list)  # variables .dkenv/bin/python passes from the IDE (besides PYTHON*)
    site_packages: bool = True  # copy the venv's site-packages to .dkenv/site-packages for host-side analysis


@dataclass
class ProductionConfig:
    """[production]: the image that ships (`dkenv build --production`, `dkenv export production`)."""

    command: str | None = None  # the server; None: from the framework (detect/production.py)
    workers: int = 0  # gunicorn's workers; 0: $WEB_CONCURRENCY, else min(2 x CPUs + 1, 8) at start
    port: int = 0  # the port the server listens on; 0: run.ports' first container port, else 8000
    release: str | None = None  # the one-shot step before the app starts; None: detected, "": none
    env: dict[str, str] = field(default_factory=dict)  # production variables; "": required at deploy time
    extras: list[str] = field(default_factory=list)  # the extras the production image installs
    groups: list[str] = field(default_factory=list)  # the dependency groups it installs (besides the main ones)
    requirements: list[str] = field(default_factory=list)  # pip: the files; []: the main file detected
    apt: list[str] | None = None  # the runtime stage's Debian packages; None: image.apt mapped (production/runtimeapt.py)
    healthcheck: str | None = None  # the HTTP path the HEALTHCHECK asks; None: "/" for a web server, "": none


@dataclass
class ServiceConfig:
    name: str
    template: str | None = None
    version: str | None = None
    image: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    ports: list[str] = field(default_factory=list)
    command: str | None = None
    healthcheck: str | None = None
    data: bool = True
    depends_on: list[str] = field(default_factory=list)
    timeout: int = 120
    stop_timeout: int = 10
    init: list[str] = field(default_factory=list)  # project files and folders run at the first initialisation


@dataclass
class Config:
    path: Path
    root: Path
    name: str
    image: ImageConfig
    run: RunConfig
    shims: ShimsConfig
    services: dict[str, ServiceConfig]
    debug: DebugConfig = field(default_factory=DebugConfig)
    ide: IdeConfig = field(default_factory=IdeConfig)
    production: ProductionConfig = field(default_factory=ProductionConfig)


# --- the schema: table -> key -> (type check, description for messages) ---

def _str(v):
    return isinstance(v, str)


def _bool(v):
    return isinstance(v, bool)


def _int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _str_list(v):
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _port_list(v):
    return isinstance(v, list) and all(_str(x) or _int(x) for x in v)


def _str_map(v):
    return isinstance(v, dict) and all(isinstance(x, (str, int, float, bool)) for x in v.values())


TYPES = {
    _str: "a string",
    _bool: "true or false",
    _int: "an integer",
    _str_list: "a list of strings",
    _port_list: 'a list of ports (8000 or "8001:8000")',
    _str_map: "a table of strings",
}

SCHEMA: dict[str, dict[str, Any]] = {
    "project": {"name": _str},
    "image": {
        "base": _str, "python": _str, "python_from": _str, "apt": _str_list, "setup": _str,
        "install": _str, "requirements": _str_list, "extra_ca": _str, "extras": _str_list,
        "groups": _str_list, "workdir": _str,
    },
    "run": {"command": _str, "ports": _port_list, "bind": _str, "env": _str_map, "env_file": _str,
            "read_only": _str_list, "writable": _str_list, "docker": _bool},
    "shims": {"commands": _str_list, "venv_scripts": _bool, "exclude": _str_list},
    "debug": {"port": _int, "wait": _bool},
    "ide": {"mounts": _str_list, "env": _str_list, "site_packages": _bool},
    "production": {
        "command": _str, "workers": _int, "port": _int, "release": _str, "env": _str_map, "extras": _str_list,
        "groups": _str_list, "requirements": _str_list, "apt": _str_list, "healthcheck": _str,
    },
}
SERVICE_SCHEMA = {
    "template": _str, "version": _str, "image": _str, "env": _str_map, "ports": _port_list,
    "command": _str, "healthcheck": _str, "data": _bool, "depends_on": _str_list, "timeout": _int,
    "stop_timeout": _int, "init": _str_list,
}
TABLES = [*SCHEMA, "services"]
