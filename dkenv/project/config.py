"""`.dkenv.toml`: finding it, reading it (tomlkit) and validating it into plain dataclasses.

Every error names the file, the line, the key and, for a typo, the closest valid key.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dkenv import tomltext
from dkenv.errors import ConfigError

CONFIG_NAME = ".dkenv.toml"

PYTHON_FROM = ("auto", "system", "uv", "image")
DEFAULT_SHIMS = ["python", "python3", "pip", "pip3", "manage.py", "django-admin"]
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_PYTHON_RE = re.compile(r"^3\.\d{1,2}$")
_ENV_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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


@dataclass
class RunConfig:
    command: str = ""
    ports: list[str] = field(default_factory=list)
    bind: str = "127.0.0.1"
    env: dict[str, str] = field(default_factory=dict)
    env_file: str = ""


@dataclass
class ShimsConfig:
    commands: list[str] = field(default_factory=lambda: list(DEFAULT_SHIMS))
    venv_scripts: bool = True


@dataclass
class DebugConfig:
    port: int = 0  # debugpy's port, inside and published on run.bind; 0: no debugger
    wait: bool = False  # `dkenv debug` waits for the debugger to attach before running


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


@dataclass
class Config:
    path: Path
    root: Path
    name: str
    image: ImageConfig
    run: RunConfig
    shims: ShimsConfig
    services: dict[str, ServiceConfig]
    raw_text: str
    debug: DebugConfig = field(default_factory=DebugConfig)


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


_TYPES = {
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
        "install": _str, "requirements": _str_list, "extra_ca": _str,
    },
    "run": {"command": _str, "ports": _port_list, "bind": _str, "env": _str_map, "env_file": _str},
    "shims": {"commands": _str_list, "venv_scripts": _bool},
    "debug": {"port": _int, "wait": _bool},
}
SERVICE_SCHEMA = {
    "template": _str, "version": _str, "image": _str, "env": _str_map, "ports": _port_list,
    "command": _str, "healthcheck": _str, "data": _bool, "depends_on": _str_list, "timeout": _int,
}
TABLES = [*SCHEMA, "services"]


def find_root(start: Path | None = None) -> Path | None:
    """The folder holding `.dkenv.toml`, walking up from `start` like git finds `.git`."""
    here = Path(start or os.getcwd()).absolute()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def locate_root(directory: str | None = None) -> Path:
    """The project root for `-C DIR`, else `$DKENV_PROJECT`, else the search from the cwd."""
    start = directory or os.environ.get("DKENV_PROJECT") or None
    if start and not Path(start).is_dir():
        raise ConfigError(f"dkenv: no such directory: {start}")
    root = find_root(Path(start) if start else None)
    if root is None:
        where = start or os.getcwd()
        raise ConfigError(f"dkenv: no {CONFIG_NAME} in {where} or any parent folder; run `dkenv init` first")
    return root


def key_line(text: str, table: str, key: str | None = None) -> int | None:
    """The 1-based line of `key` inside `[table]` (or of the table header), for messages."""
    current = ""
    header_line = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        m = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
        if m and not stripped.startswith("[["):
            current = m.group(1).replace('"', "").replace(" ", "")
            if header_line is None and (current == table or current.startswith(table + ".")):
                header_line = number
            continue
        if key is None:
            if current == "" and re.match(rf'^"?{re.escape(table)}"?\s*[.=]', stripped):
                return number
            continue
        if current == table and re.match(rf'^"?{re.escape(key)}"?\s*=', stripped):
            return number
        dotted = table.split(".")[-1]
        if current == ".".join(table.split(".")[:-1]) and re.match(
                rf'^"?{re.escape(dotted)}"?\s*\.\s*"?{re.escape(key)}"?\s*=', stripped):
            return number
    return header_line


class _Reader:
    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text

    def fail(self, table: str, key: str | None, message: str) -> ConfigError:
        line = key_line(self.text, table, key)
        where = f"{self.path}:{line}" if line else str(self.path)
        name = f"{table}.{key}" if key else f"[{table}]"
        return ConfigError(f"dkenv: {where}: {name}: {message}")

    def unknown(self, table: str, key: str, valid) -> ConfigError:
        hint = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.6)
        suggestion = f' (did you mean "{hint[0]}"?)' if hint else f" (valid keys: {', '.join(valid)})"
        what = "table" if table == "" else "key"
        return self.fail(table or key, key if table else None, f"unknown {what}{suggestion}")

    def table(self, doc: dict, table: str, schema: dict) -> dict:
        values = doc.get(table, {})
        if not isinstance(values, dict):
            raise self.fail(table, None, "must be a table")
        return self.check(table, values, schema)

    def check(self, table: str, values: dict, schema: dict) -> dict:
        out = {}
        for key, value in values.items():
            if key not in schema:
                raise self.unknown(table, key, schema)
            check = schema[key]
            if not check(value):
                raise self.fail(table, key, f"must be {_TYPES[check]}, got {value!r}")
            out[key] = _plain(value)
        return out

    def choice(self, table: str, key: str, value: str, choices) -> None:
        if value not in choices:
            hint = difflib.get_close_matches(value, list(choices), n=1)
            extra = f' (did you mean "{hint[0]}"?)' if hint else ""
            raise self.fail(table, key, f"{value!r} is not one of {', '.join(choices)}{extra}")


def _plain(value):
    """tomlkit items -> plain Python values."""
    if hasattr(value, "unwrap"):
        value = value.unwrap()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def parse_document(path: Path, text: str):
    try:
        return tomltext.parse(text)
    except tomltext.ParseError as e:
        reason = re.sub(r" at line \d+ col \d+$", "", str(e))
        raise ConfigError(f"dkenv: {path}:{e.line}:{e.col}: invalid TOML: {reason}") from None
    except tomltext.TOMLKitError as e:  # e.g. a key given twice in one table
        key = getattr(e, "key", None) or (re.findall(r'"([^"]+)"', str(e)) or [""])[0]
        line = next((n for n, text in enumerate(text.splitlines(), 1)
                     if key and re.match(rf'^\s*"?{re.escape(key)}"?\s*=', text)), None)
        where = f"{path}:{line}" if line else str(path)
        raise ConfigError(f"dkenv: {where}: invalid TOML: {e}") from None


def load(root: Path) -> Config:
    """Read and validate `root/.dkenv.toml`."""
    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"dkenv: cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"dkenv: {path}: not UTF-8 text") from None
    return validate(path, text)


def validate(path: Path, text: str) -> Config:
    doc = parse_document(path, text)
    r = _Reader(path, text)
    for key in doc:
        if key not in TABLES:
            raise r.unknown("", key, TABLES)
    project = r.table(doc, "project", SCHEMA["project"])
    image = ImageConfig(**r.table(doc, "image", SCHEMA["image"]))
    run_values = r.table(doc, "run", SCHEMA["run"])
    run_values["ports"] = [str(p) for p in run_values.get("ports", [])]
    run_values["env"] = {k: _env_value(v) for k, v in run_values.get("env", {}).items()}
    run = RunConfig(**run_values)
    shims = ShimsConfig(**r.table(doc, "shims", SCHEMA["shims"]))
    debug = DebugConfig(**r.table(doc, "debug", SCHEMA["debug"]))
    services = _services(r, doc)

    root = path.parent.absolute()
    name = project.get("name") or default_name(root)
    if not _NAME_RE.match(name):
        raise r.fail("project", "name", f"{name!r} must be lowercase letters, digits, '-', '_' or '.'")
    r.choice("image", "python_from", image.python_from, PYTHON_FROM)
    r.choice("image", "install", image.install, installer_names())
    r.choice("image", "extra_ca", image.extra_ca, ("auto", "none"))
    if image.python is not None and not _PYTHON_RE.match(image.python):
        raise r.fail("image", "python", f'{image.python!r} must be a version like "3.12"')
    if not image.base.strip():
        raise r.fail("image", "base", "must name an image")
    for package in image.apt:
        if not re.match(r"^[a-z0-9][a-z0-9+.:=~-]*$", package):
            raise r.fail("image", "apt", f"{package!r} is not a Debian package name")
    for key in run.env:
        if not _ENV_KEY_RE.match(key):
            raise r.fail("run", "env", f"{key!r} is not a valid variable name")
    for port in run.ports:
        try:
            parse_port(port)
        except ValueError as e:
            raise r.fail("run", "ports", str(e)) from None
    if not 0 <= debug.port <= 65535:
        raise r.fail("debug", "port", f"{debug.port} is not a port (1-65535, or 0 for no debugger)")
    if debug.port and any(debug.port in parse_port(p) for p in run.ports):  # host or container side
        raise r.fail("debug", "port", f"{debug.port} is also in run.ports; give the debugger a port of its own")
    for file_key in ("setup", "env_file"):
        value = getattr(image if file_key == "setup" else run, file_key)
        table = "image" if file_key == "setup" else "run"
        if value and not (root / value).is_file():
            raise r.fail(table, file_key, f"file {value!r} not found in {root}")
    for req in image.requirements:
        if not (root / req).resolve().is_relative_to(root.resolve()):
            raise r.fail("image", "requirements", f"{req!r} is outside the project")
        if not (root / req).is_file():
            raise r.fail("image", "requirements", f"file {req!r} not found in {root}")
    _check_services(r, services)
    return Config(path=path, root=root, name=name, image=image, run=run, shims=shims,
                  services=services, raw_text=text, debug=debug)


def _env_value(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _services(r: _Reader, doc) -> dict[str, ServiceConfig]:
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


def _check_services(r: _Reader, services: dict[str, ServiceConfig]) -> None:
    for name, service in services.items():
        for dep in service.depends_on:
            if dep not in services:
                raise r.fail(f"services.{name}", "depends_on", f"no service named {dep!r}")
        for port in service.ports:
            try:
                parse_port(port)
            except ValueError as e:
                raise r.fail(f"services.{name}", "ports", str(e)) from None
        if service.timeout <= 0:
            raise r.fail(f"services.{name}", "timeout", "must be a positive number of seconds")
    # cycles
    state: dict[str, int] = {}

    def visit(name, chain):
        if state.get(name) == 1:
            raise r.fail(f"services.{name}", "depends_on", "dependency cycle: " + " -> ".join([*chain, name]))
        if state.get(name) == 2:
            return
        state[name] = 1
        for dep in services[name].depends_on:
            visit(dep, [*chain, name])
        state[name] = 2

    for name in services:
        visit(name, [])


def parse_port(spec: str) -> tuple[int, int]:
    """'8000' -> (8000, 8000); '8001:8000' -> (8001, 8000) as (host, container)."""
    parts = str(spec).split(":")
    if len(parts) not in (1, 2) or not all(p.isdigit() for p in parts):
        raise ValueError(f'{spec!r} is not a port ("8000" or "8001:8000")')
    numbers = [int(p) for p in parts]
    if not all(0 < n < 65536 for n in numbers):
        raise ValueError(f"{spec!r}: ports are 1-65535")
    return (numbers[0], numbers[-1])


def installer_names() -> list[str]:
    """The values image.install takes: auto, every installer of image/installers/, none."""
    from dkenv.image import installers

    return ["auto", *installers.names(), "none"]


def default_name(root: Path) -> str:
    """The folder name, made a valid Docker name."""
    name = re.sub(r"[^a-z0-9_.-]+", "-", root.name.lower()).strip("-._")
    return name or "project"
