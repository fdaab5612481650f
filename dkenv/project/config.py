"""`.dkenv.toml`: finding it, reading it (tomlkit) and validating all of it, at load,
into the dataclasses of schema.py.

Every error names the file, the line, the key and, for a typo, the closest valid key.
Everything that can be checked without an Engine is checked here, before anything is
built: types, choices, names, ports, files, image references, commands that must
parse, and each service against the catalog.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from dkenv import declared
from dkenv.errors import ConfigError
from dkenv.project import checks, readonly
from dkenv.project import root as root_search
from dkenv.project.checks import installer_names, parse_port  # noqa: F401 - re-exported
from dkenv.project.reader import Reader, parse_document
from dkenv.project.schema import (  # noqa: F401 - re-exported: the names other modules use
    CONFIG_NAME,
    DEFAULT_SHIMS,
    PYTHON_FROM,
    READ_ONLY_DEFAULTS,
    SCHEMA,
    SERVICE_SCHEMA,
    TABLES,
    Config,
    DebugConfig,
    IdeConfig,
    ImageConfig,
    ProductionConfig,
    RunConfig,
    ServiceConfig,
    ShimsConfig,
)

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


def find_root(start: Path | None = None) -> Path | None:
    """The folder holding `.dkenv.toml`, walking up from `start` (project/root.py)."""
    found = root_search.find(str(start) if start else None)
    return Path(found) if found else None


def locate_root(directory: str | None = None) -> Path:
    """The project root for `-C DIR`, else `$DKENV_PROJECT`, else the search from the cwd."""
    start = root_search.start(directory)
    if start and not os.path.isdir(start):
        raise ConfigError(f"dkenv: no such directory: {start}")
    root = root_search.find(start)
    if root is None:
        where = start or os.getcwd()
        raise ConfigError(f"dkenv: no {CONFIG_NAME} in {where} or any parent folder; run `dkenv init` first")
    return Path(root)


def load(root: Path) -> Config:
    """Read and validate `root/.dkenv.toml`."""
    path = declared.path(root / CONFIG_NAME)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"dkenv: cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"dkenv: {path}: not UTF-8 text") from None
    return validate(path, text.removeprefix("\ufeff"))  # a BOM (Windows editors) is not content


def validate(path: Path, text: str) -> Config:
    """The whole file checked: one ConfigError (exit 2, file:line) for the first problem."""
    doc = parse_document(path, text)
    r = Reader(path, text)
    for key in doc:
        if key not in TABLES:
            raise r.unknown("", key, TABLES)
    project = r.table(doc, "project", SCHEMA["project"])
    image = ImageConfig(**r.table(doc, "image", SCHEMA["image"]))
    run_values = r.table(doc, "run", SCHEMA["run"])
    run_values["ports"] = [str(p) for p in run_values.get("ports", [])]
    run_values["env"] = {k: _env_value(v) for k, v in run_values.get("env", {}).items()}
    if run_values.get("bind") == "localhost":  # the one name that is sure to mean loopback
        run_values["bind"] = "127.0.0.1"
    run = RunConfig(**run_values)
    shims = ShimsConfig(**r.table(doc, "shims", SCHEMA["shims"]))
    debug = DebugConfig(**r.table(doc, "debug", SCHEMA["debug"]))
    ide = IdeConfig(**r.table(doc, "ide", SCHEMA["ide"]))
    production_values = r.table(doc, "production", SCHEMA["production"])
    production_values["env"] = {k: _env_value(v) for k, v in production_values.get("env", {}).items()}
    production = ProductionConfig(**production_values)
    services = _services(r, doc)
    root = path.parent.absolute()
    name = project.get("name", default_name(root))
    if not name:
        raise r.fail("project", "name", "must not be empty (or leave it out: the folder's name is used)")
    if not _NAME_RE.match(name) or len(name) > 63:
        raise r.fail("project", "name", f"{name!r} must be lowercase letters, digits, '-', '_' or '.'")
    checks.check_image(r, image, root)
    checks.check_run(r, run, debug, root)
    run.read_only, run.writable = readonly.check(r, run, root)
    checks.check_services(r, services, root)
    checks.check_host_ports(r, run, debug, services)
    checks.check_ide(r, ide, root)
    checks.check_production(r, production, image, root)
    return Config(path=path, root=root, name=name, image=image, run=run, shims=shims,
                  services=services, debug=debug, ide=ide, production=production)


def _env_value(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _services(r: Reader, doc) -> dict[str, ServiceConfig]:
    table = doc.get("services", {})
    if not isinstance(table, dict):
        raise r.fail("services", None, "must be a table of [services.NAME] tables")
    services = {}
    for name, body in table.items():
        if not isinstance(body, dict):
            raise r.fail("services", name, "must be a table ([services.NAME])")
        if not re.match(r"^[a-z0-9][a-z0-9-]*$", name):
            raise r.fail(f"services.{name}", None, "service names are lowercase letters, digits and '-'")
        values = r.check(f"services.{name}", body, SERVICE_SCHEMA)
        values["ports"] = [str(p) for p in values.get("ports", [])]
        values["env"] = {k: _env_value(v) for k, v in values.get("env", {}).items()}
        services[name] = ServiceConfig(name=name, **values)
    return services


def default_name(root: Path) -> str:
    """The folder name, made a valid Docker name."""
    name = re.sub(r"[^a-z0-9_.-]+", "-", root.name.lower()).strip("-._")
    return name or "project"
