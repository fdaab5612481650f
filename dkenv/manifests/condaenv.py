"""What a conda `environment.yml` declares: its channels, its conda dependencies (match
specs, as conda writes them: `python=3.11`, `numpy>=1.26`, `conda-forge::requests`) and
the `pip:` list installed with pip inside the environment (requirement lines, `-r FILE`
included). Pure reading, with the YAML subset reader (yamlread.py); anything it cannot
read is a ValueError whose message says what.

A channel is a name (`conda-forge`), a URL, or a local folder: `./channel`, `../x`, an
absolute path or a `file://` URL (`local_channel`); `nodefaults` and `defaults` are
conda's words, not channels.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from dkenv import yamlread
from dkenv.manifests.dependencies import normalize, parse_requirement

FILES = ("environment.yml", "environment.yaml")
LOCK = "conda-lock.yml"
NOT_CHANNELS = {"nodefaults", "defaults"}
# a conda match spec's name: an optional `channel::` (or channel/subdir::), then the name
_SPEC = re.compile(r"^(?:[^\s:]+::)?([A-Za-z0-9_][A-Za-z0-9_.+-]*)")
_INCLUDE = re.compile(r"^(?:-r|--requirement|-c|--constraint)(?:\s*=?\s*)(\S+)$")


@dataclass
class CondaEnv:
    name: str = ""
    channels: list[str] = field(default_factory=list)  # as written, in priority order
    specs: list[str] = field(default_factory=list)  # conda match specs, as written
    pip: list[str] = field(default_factory=list)  # the pip: list, as written
    variables: dict[str, str] = field(default_factory=dict)

    def conda_names(self) -> list[str]:
        """The conda packages named (normalized), in order; python and pip left out."""
        names = [spec_name(s) for s in self.specs]
        return [n for n in dict.fromkeys(names) if n not in ("python", "pip")]

    def includes(self) -> list[str]:
        """The requirements files the pip: list includes (`-r FILE`, `-c FILE`)."""
        return [m.group(1) for m in map(_INCLUDE.match, self.pip) if m]


def loads(text: str) -> CondaEnv:
    """The environment `text` declares; ValueError for what is not an environment file."""
    doc = yamlread.loads(text)
    if doc is None:
        return CondaEnv()
    if not isinstance(doc, dict):
        raise ValueError("not a mapping of name, channels and dependencies")
    env = CondaEnv(name=_text(doc.get("name"), "name"), channels=_strings(doc.get("channels"), "channels"))
    dependencies = doc.get("dependencies") or []
    if not isinstance(dependencies, list):
        raise ValueError("dependencies is not a list")
    for entry in dependencies:
        if isinstance(entry, dict) and set(entry) == {"pip"}:
            env.pip += _strings(entry["pip"], "dependencies: pip")
        elif isinstance(entry, str) and entry.strip():
            spec = entry.strip()
            if not _SPEC.match(spec):
                raise ValueError(f"dependencies: {spec!r} is not a conda package spec")
            env.specs.append(spec)
        else:
            raise ValueError(f"dependencies: {entry!r} is neither a package spec nor a pip: list")
    variables = doc.get("variables") or {}
    if not isinstance(variables, dict):
        raise ValueError("variables is not a mapping")
    env.variables = {str(k): _text(v, f"variables: {k}") for k, v in variables.items()}
    return env


def spec_name(spec: str) -> str:
    """`conda-forge::numpy>=1.26` -> numpy."""
    m = _SPEC.match(spec.strip())
    return normalize(m.group(1)) if m else ""


def local_channel(channel: str) -> str | None:
    """The folder a channel names (a path or a file:// URL), None for a name or a remote URL."""
    if channel.startswith("file://"):
        return channel[len("file://"):] or "/"
    if channel.startswith(("./", "../", "/", "~")) or channel in (".", ".."):
        return channel
    return None


def channels(env: CondaEnv) -> list[str]:
    """The channels to solve from, conda's own words (nodefaults, defaults) left out."""
    return [c for c in env.channels if c not in NOT_CHANNELS]


def pip_names(env: CondaEnv, pythons: Sequence[str] | None = None) -> dict[str, set[str]]:
    """The pip: list's requirement lines (not its options and includes) -> name and extras."""
    found: dict[str, set[str]] = {}
    for line in env.pip:
        if line.strip().startswith("-"):
            continue
        parsed = parse_requirement(line, pythons)
        if parsed:
            found.setdefault(parsed[0], set()).update(parsed[1])
    return found


def _text(value, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{where} is not a single value")
    return value


def _strings(value, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where} is not a list of values")
    return [v.strip() for v in value if v.strip()]
