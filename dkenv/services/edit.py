"""A catalog service as a [services.NAME] block of .dkenv.toml: its commented text
(`dkenv init --service`, `dkenv add`) and `dkenv add` appending it to the file, keeping
every byte that is there already.

No Docker, no click; `add_service` writes the file (atomically).
"""
from __future__ import annotations

import re
from pathlib import Path

from dkenv import fileio
from dkenv.errors import ConfigError, UsageError, did_you_mean
from dkenv.project import config as config_mod
from dkenv.services.catalog import catalog
from dkenv.services.resolve import injected_names


def service_toml(name: str, template: str, env: dict[str, str] | None = None, source: str = "",
                 version=None, init=None) -> str:
    """A commented [services.NAME] block for `dkenv init --service` and `dkenv add`; `env`
    (from `source`, the project's .env: services/fromenv.py) is written set, not commented,
    and so is `version` (detect/serviceversions.py: what the project names, or the newest
    on this machine) with where it came from, and `init` (detect/initscripts.py: the scripts
    the project's compose file gives the database) with where they came from."""
    entry = catalog()[template]
    ports = ", ".join(map(str, entry.ports))
    lines = [
        f'# {entry.description}, host name "{name}".',
        *_wrapped("# Injects ", injected_names(entry, name)),
        f"[services.{name}]",
        f'template = "{template}"',
        (f'version = "{version.tag}"  # {version.source}; the catalog\'s: {entry.tag}' if version else
         f'# version = "{entry.tag}"  # the image tag: {entry.default_image}'),
        f'# ports = [{ports}]  # published on run.bind; "HOST:{entry.ports[0]}" for another host port',
    ]
    if env:
        lines += [f"# the credentials {source or '.env'} expects (the catalog's: {_inline_table(entry.env)})",
                  f"env = {_inline_table(env)}"]
    elif entry.env:
        lines.append(f"# env = {_inline_table(entry.env)}")
    if entry.data:
        lines.append(f"# data = true  # {entry.data} persists in data/{name}; false: throwaway")
    if entry.init_dir:
        lines += _init_lines(name, entry, init)
    lines += [
        f"# healthcheck = {_toml_string(entry.healthcheck)}",
        "# timeout = 120  # seconds `dkenv up` waits for it to be healthy",
        "# depends_on = []",
    ]
    return "\n".join(lines) + "\n"


def worker_toml(name: str, command: str, depends_on: list[str], source: str, ports: list[str] | None = None) -> str:
    """A project-image [services.NAME] block: a worker the project's compose file runs
    (`celery -A proj worker`), on the project's image with the source mounted, in the app's folder."""
    lines = [f"# From {source}: the project image (the source mounted) running this command in the app's folder.",
             f"[services.{name}]", f"command = {_toml_string(command)}"]
    if ports:
        lines.append("ports = [" + ", ".join(_toml_string(p) for p in ports) + "]  # published on run.bind")
    if depends_on:
        lines.append("depends_on = [" + ", ".join(_toml_string(d) for d in depends_on) + "]")
    return "\n".join(lines) + "\n"


def _init_lines(name: str, entry, init) -> list[str]:
    """`init`: set from the project's compose file, else commented; either way the image's rule."""
    rule = f"run only when data/{name} is empty; `dkenv down --purge {name}` runs them again"
    if not init:
        return [f"# init = []  # scripts of the project (db/create.sql, db/initdb.d/) mounted in {entry.init_dir}: "
                f"they {rule}"]
    paths = ", ".join(_toml_string(p) for p in init.paths)
    return [f"# the init scripts {init.source} gives it ({entry.init_dir}): {rule}",
            f"init = [{paths}]"]


def commented_out(block: str, why: str) -> str:
    """A service block every line of which is a comment, led by why it is not active (for
    `dkenv init`: a service the app can run without); uncommenting it turns it on."""
    active = [line if line.startswith("[") else line.split("=", 1)[0].strip()
              for line in block.split("\n") if line and not line.startswith("#")]
    keys = ", ".join(active[:-1]) + (f" and {active[-1]}" if len(active) > 1 else "".join(active))
    lines = [*_wrapped_text(f"Proposed, not active: {why}. To run it, uncomment {keys}."),
             *(line if line.startswith("#") else f"# {line}" for line in block.rstrip("\n").split("\n"))]
    return "\n".join(lines) + "\n"


def _wrapped_text(text: str, width: int = 100) -> list[str]:
    lines, line = [], "#"
    for word in text.split():
        if len(line) + 1 + len(word) > width and line != "#":
            lines.append(line)
            line = "#  "
        line += " " + word
    return [*lines, line]


def _wrapped(first: str, words: list[str], width: int = 100) -> list[str]:
    lines, line = [], first
    for i, word in enumerate(words):
        piece = word + ("," if i < len(words) - 1 else ".")
        if len(line) + len(piece) > width and line.strip() != "#":
            lines.append(line.rstrip())
            line = "#   "
        line += piece + " "
    return [*lines, line.rstrip()]


def _inline_table(values: dict[str, str]) -> str:
    return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_string(v)}" for k, v in values.items()) + " }"


def _toml_key(key: str) -> str:
    return key if re.match(r"^[A-Za-z0-9_-]+$", key) else _toml_string(key)


def _toml_string(value: str) -> str:
    """A TOML basic string."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def add_service(config_path: Path, template: str, name: str | None = None) -> str:
    """Append a [services.NAME] block to `config_path`, keeping every existing byte; returns NAME."""
    template = template.strip().lower()
    if template not in catalog():
        raise ConfigError(f"dkenv: {template!r} is not in the service catalog{did_you_mean(template, catalog())}; "
                          f"available: {', '.join(catalog())}")
    name = name or template
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", name):
        raise UsageError(f"dkenv: --as {name!r}: service names are lowercase letters, digits and '-'")
    original = _read_bytes(config_path)
    try:
        text = original.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"dkenv: {config_path}: not UTF-8 text") from None
    existing = config_mod.validate(config_path, text)
    if name in existing.services:
        raise UsageError(f"dkenv: {config_path}: a service named {name!r} exists already; "
                         f"`dkenv add {template} --as OTHER` picks another name")
    new_text = text + _appendix(text, service_toml(name, template))
    config_mod.validate(config_path, new_text)
    fileio.write_atomic(config_path, new_text.encode("utf-8"))
    return name


def _appendix(text: str, block: str) -> str:
    """The block, after a blank line, in the file's line endings."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lead = "" if not text or text.endswith("\n") else newline
    separator = newline if text.strip() else ""
    return lead + separator + block.replace("\n", newline)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise ConfigError(f"dkenv: cannot read {path}: {e.strerror}") from None
