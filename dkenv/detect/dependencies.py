"""Dependency names, normalized (PEP 503), with the extras each one requests.

Pure logic: PEP 508 requirement strings, the dependency tables of pyproject.toml
([project], [dependency-groups], [tool.poetry]) and of a Pipfile, each read into
name -> extras. Requirements files are read by requirements.py.
"""
from __future__ import annotations

import re


def normalize(name: str) -> str:
    """PyPI name normalization (PEP 503): lowercase, runs of -_. become one '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


_NAME_RE = re.compile(r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?")
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2")


def parse_requirement(text: str) -> tuple[str, set[str]] | None:
    """A PEP 508 line (`celery[redis]>=5; python_version>"3.8"`) -> (name, extras).

    URLs and paths give the `#egg=` name when they have one, else None.
    """
    text = text.strip()
    first = text.split()[0] if text else ""
    if not first:
        return None
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://|^file:|^[./~]", first) or "/" in first.split("@")[0]:
        egg = re.search(r"[#&]egg=([A-Za-z0-9._-]+)(?:\[([^\]]*)\])?", text)
        if egg:
            return normalize(egg.group(1)), _extras(egg.group(2))
        if first.endswith(".whl"):
            return normalize(first.rsplit("/", 1)[-1].split("-")[0]), set()
        return None
    if first.endswith(_ARCHIVES):
        return None
    m = _NAME_RE.match(text)
    if not m:
        return None
    return normalize(m.group(1)), _extras(m.group(2))


def _extras(text: str | None) -> set[str]:
    return {normalize(e.strip()) for e in (text or "").split(",") if e.strip()}


def merge(into: dict[str, set[str]], found: dict[str, set[str]]) -> None:
    """Add `found`'s names and extras to `into`."""
    for name, extras in found.items():
        into.setdefault(name, set()).update(extras)


def pyproject_requirements(data: dict) -> dict[str, set[str]]:
    """[project] dependencies and optional-dependencies (every extra), [dependency-groups],
    [tool.pdm] dev-dependencies, [tool.poetry] (every group): all count for detection."""
    found: dict[str, set[str]] = {}
    project = data.get("project", {})
    specs = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        specs += group
    for group in data.get("dependency-groups", {}).values():
        specs += group  # {include-group = ...} tables are skipped below
    for group in data.get("tool", {}).get("pdm", {}).get("dev-dependencies", {}).values():
        specs += group
    for spec in specs:
        requirement = parse_requirement(spec) if isinstance(spec, str) else None
        if requirement:
            found.setdefault(requirement[0], set()).update(requirement[1])
    poetry = data.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    tables += [g.get("dependencies", {}) for g in poetry.get("group", {}).values() if isinstance(g, dict)]
    for table in tables:
        merge(found, _named_table(table))
    found.pop("python", None)
    return found


PIPFILE_TABLES = {"source", "requires", "pipenv", "scripts"}  # Pipfile tables that are not packages


def pipfile_requirements(data: dict) -> dict[str, set[str]]:
    """Pipfile [packages], [dev-packages] and custom categories ([docs]...)."""
    found: dict[str, set[str]] = {}
    for table, packages in data.items():
        if table not in PIPFILE_TABLES:
            merge(found, _named_table(packages))
    return found


def _named_table(table: dict) -> dict[str, set[str]]:
    """`name = "spec"` or `name = {version, extras = [...]}` (or a list of those) entries."""
    found: dict[str, set[str]] = {}
    if not isinstance(table, dict):
        return found
    for name, spec in table.items():
        extras: set[str] = set()
        for item in spec if isinstance(spec, list) else [spec]:
            if isinstance(item, dict):
                extras |= {normalize(e) for e in item.get("extras", []) if isinstance(e, str)}
        found.setdefault(normalize(name), set()).update(extras)
    return found
