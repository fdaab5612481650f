"""Dependency names, normalized (PEP 503), with the extras each one requests.

Pure logic: PEP 508 requirement strings, the dependency tables of pyproject.toml
([project], [dependency-groups], [tool.poetry]) and of a Pipfile, each read into
name -> extras. Requirements files are read by requirements.py. PEP 508 and the name
normalization are `packaging`'s, imported on first use (`dkenv exec` never loads it).

A requirement counts only where it can apply: its environment marker (or a table's
`markers`, Poetry's `python`) must hold on Linux with CPython for one of `pythons`, the
X.Y the image may have (every version dkenv provides when not known), so
`pywin32; sys_platform == "win32"` never proposes anything, nor does
`backports.zoneinfo; python_version < "3.9"` for a project requiring 3.10.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from dkenv.manifests.pythonversion import KNOWN, PythonConstraint, from_poetry


def normalize(name: str) -> str:
    """PyPI name normalization (PEP 503): lowercase, runs of -_. become one '-'."""
    from packaging.utils import canonicalize_name

    return canonicalize_name(name)


def valid_name(name: str) -> bool:
    """Is `name` a distribution name (PEP 508: letters, digits, `-_.`, alphanumeric at both ends)?"""
    from packaging.utils import InvalidName, canonicalize_name

    try:
        canonicalize_name(name, validate=True)
    except InvalidName:
        return False
    return True


_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2")
# the container's environment, for markers; python_version and python_full_version vary
LINUX = {"os_name": "posix", "sys_platform": "linux", "platform_system": "Linux",
         "implementation_name": "cpython", "platform_python_implementation": "CPython"}


def parse_requirement(text: str, pythons: Sequence[str] | None = None) -> tuple[str, set[str]] | None:
    """A PEP 508 requirement (`celery[redis]>=5; python_version>"3.8"`) -> (name, extras);
    None when its marker holds for none of `pythons` (see the module docstring).

    pip's URLs and paths give the `#egg=` name when they have one, else None. An invalid
    requirement is a ValueError whose first line says why.
    """
    text = text.strip()
    first = text.split()[0] if text else ""
    if not first:
        return None
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://|^file:|^[./~]", first) or "/" in first.split("@")[0]:
        egg = re.search(r"[#&]egg=([A-Za-z0-9._-]+)(?:\[([^\]]*)\])?", text)
        if egg:
            return normalize(egg.group(1)), {normalize(e.strip()) for e in (egg.group(2) or "").split(",") if e.strip()}
        if first.endswith(".whl"):
            return normalize(first.rsplit("/", 1)[-1].split("-")[0]), set()
        return None
    if first.endswith(_ARCHIVES) and "@" not in first:  # a local archive, not `name@URL`
        return None
    from packaging.requirements import Requirement

    requirement = Requirement(text)  # InvalidRequirement is a ValueError
    if requirement.marker is not None and not marker_holds(requirement.marker, pythons):
        return None
    return normalize(requirement.name), {normalize(e) for e in requirement.extras}


def marker_holds(marker, pythons: Sequence[str] | None = None) -> bool:
    """Can `marker` (a packaging Marker) hold in the container, for one of `pythons` (X.Y)?
    Each X.Y is tried as X.Y.0 and as a late X.Y.Z; a marker packaging cannot decide holds."""
    from packaging.markers import UndefinedComparison, UndefinedEnvironmentName
    from packaging.version import InvalidVersion

    for version in pythons or KNOWN:
        for full in (f"{version}.0", f"{version}.99"):
            environment = {**LINUX, "python_version": version, "python_full_version": full,
                           "implementation_version": full}
            try:
                if marker.evaluate(environment):
                    return True
            except (UndefinedComparison, UndefinedEnvironmentName, InvalidVersion):
                return True  # e.g. platform_release, a kernel's, compared as a version
    return False


def invalid(where: str, text: str, error: ValueError) -> str:
    """The note for a requirement packaging refuses."""
    return f"{where}: {text.strip()!r} is not a valid requirement ({str(error).splitlines()[0]}); ignored"


def merge(into: dict[str, set[str]], found: dict[str, set[str]]) -> None:
    """Add `found`'s names and extras to `into`."""
    for name, extras in found.items():
        into.setdefault(name, set()).update(extras)


def pyproject_requirements(data: dict, pythons: Sequence[str] | None = None,
                           notes: list[str] | None = None) -> dict[str, set[str]]:
    """[project] dependencies and optional-dependencies (every extra), [dependency-groups],
    [tool.pdm] dev-dependencies, [tool.poetry] (every group): all count for detection.
    An invalid requirement string is a note in `notes`."""
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
        try:
            requirement = parse_requirement(spec, pythons) if isinstance(spec, str) else None
        except ValueError as e:
            (notes if notes is not None else []).append(invalid("pyproject.toml", spec, e))
            continue
        if requirement:
            found.setdefault(requirement[0], set()).update(requirement[1])
    poetry = data.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    tables += [g.get("dependencies", {}) for g in poetry.get("group", {}).values() if isinstance(g, dict)]
    for table in tables:
        merge(found, _named_table(table, pythons))
    found.pop("python", None)
    return found


PIPFILE_TABLES = {"source", "requires", "pipenv", "scripts"}  # Pipfile tables that are not packages


def pipfile_requirements(data: dict, pythons: Sequence[str] | None = None) -> dict[str, set[str]]:
    """Pipfile [packages], [dev-packages] and custom categories ([docs]...)."""
    found: dict[str, set[str]] = {}
    for table, packages in data.items():
        if table not in PIPFILE_TABLES:
            merge(found, _named_table(packages, pythons))
    return found


def _named_table(table: dict, pythons: Sequence[str] | None) -> dict[str, set[str]]:
    """`name = "spec"` or `name = {version, extras = [...], markers, python}` (or a list of
    those: Poetry's multiple constraints, one of which must apply) entries."""
    found: dict[str, set[str]] = {}
    if not isinstance(table, dict):
        return found
    for name, spec in table.items():
        items = [item for item in (spec if isinstance(spec, list) else [spec]) if _applies(item, pythons)]
        if not items:
            continue
        extras = {normalize(e) for item in items if isinstance(item, dict)
                  for e in item.get("extras", []) if isinstance(e, str)}
        found.setdefault(normalize(name), set()).update(extras)
    return found


MARKER_KEYS = ("os_name", "sys_platform", "platform_machine", "platform_python_implementation",
               "platform_release", "platform_system", "platform_version", "python_version",
               "python_full_version", "implementation_name")  # Pipfile: `sys_platform = "== 'linux'"`


def _entry_markers(item: dict) -> list[str]:
    """A table entry's markers: `markers = "..."`, and Pipfile's per-package marker keys
    (`sys_platform = "== 'win32'"`, `os_name = "!= 'nt'"`), each as Pipenv reads them."""
    found = [item["markers"]] if isinstance(item.get("markers"), str) else []
    found += [f"{key} {item[key]}" for key in MARKER_KEYS if isinstance(item.get(key), str)]
    return found


def _applies(item, pythons: Sequence[str] | None) -> bool:
    """Can a table entry apply in the container: its `markers` and Poetry's `python` hold?
    Either one packaging cannot read does not rule it out."""
    if not isinstance(item, dict):
        return True
    from packaging.markers import InvalidMarker, Marker

    for text in _entry_markers(item):
        try:
            if not marker_holds(Marker(text), pythons):
                return False
        except InvalidMarker:
            pass
    parsed = from_poetry(item["python"]) if isinstance(item.get("python"), str) else None
    if parsed:
        constraint = PythonConstraint("python", item["python"], False, parsed[0])
        return any(constraint.allows(v) for v in pythons or KNOWN)
    return True
