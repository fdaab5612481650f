"""What a project folder says about itself: its dependency manager, Python version,
web framework, the Debian packages its dependencies need and the services they talk to.

Pure logic: reads files under the root, never runs anything. `inspect(root)` is the
entry point; `dkenv init` prints its notes and `dkenv build` asks it what the config
leaves to "auto". The manager and the Python version are found here; the dependency
names by dependencies.py and requirements.py, the framework by frameworks.py, the
Debian packages and services by needs.py.

Where dependency names come from: what the chosen manager installs. pip: the chosen
requirements files and every file they include with -r. poetry: [tool.poetry] dependencies
and groups, plus PEP 621 [project] ones. pipenv: Pipfile [packages] and [dev-packages].
uv and pyproject: [project] dependencies, optional-dependencies and [dependency-groups].
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dkenv import frameworks, needs, tomltext
from dkenv.dependencies import merge, pipfile_requirements, pyproject_requirements
from dkenv.requirements import CONSTRAINT_FILES, RequirementsReader, choose_requirements, requirement_files

# The CPython minors with official python:X.Y-slim-bookworm images (see python_from_spec).
KNOWN_PYTHONS = [(3, minor) for minor in range(8, 15)]


@dataclass
class Detection:
    """Everything `inspect` found; empty values mean "nothing found"."""

    manager: str = "none"  # pip, poetry, pipenv, uv, pyproject or none
    requirements: list[str] = field(default_factory=list)  # pip: files to install with -r
    constraints: list[str] = field(default_factory=list)  # pip: files to pass with -c
    python: str | None = None  # X.Y
    python_source: str | None = None  # the file (and key) that said so
    framework: str | None = None  # django, flask or fastapi
    command: str | None = None
    ports: list[int] = field(default_factory=list)
    apt: list[str] = field(default_factory=list)  # sorted, unique
    apt_for: dict[str, list[str]] = field(default_factory=dict)  # apt package -> dependencies needing it
    services: list[str] = field(default_factory=list)  # catalog names
    service_for: dict[str, list[str]] = field(default_factory=dict)  # service -> dependencies suggesting it
    dependencies: list[str] = field(default_factory=list)  # normalized names, sorted
    extras: dict[str, list[str]] = field(default_factory=dict)  # dependency -> extras requested
    notes: list[str] = field(default_factory=list)


def inspect(root: Path) -> Detection:
    """Look at `root` and report what it holds (see the module docstring)."""
    root = Path(root)
    found = Detection()
    pyproject = _load_toml(root / "pyproject.toml", found.notes)
    pipfile = _load_toml(root / "Pipfile", found.notes)
    found.manager = _manager(root, pyproject, pipfile)
    deps = _dependencies(root, found, pyproject or {}, pipfile or {})
    found.dependencies = sorted(deps)
    found.extras = {name: sorted(extras) for name, extras in sorted(deps.items()) if extras}

    found.python, found.python_source = detect_python(root, pyproject, pipfile, found.notes)
    if found.python:
        found.notes.append(f"python {found.python} (from {found.python_source})")
    framework = frameworks.detect_framework(root, deps, found.notes)
    if framework:
        found.framework, found.command, found.ports = framework.name, framework.command, [framework.port]
    found.apt_for = needs.apt_packages(deps, found.notes)
    found.apt = list(found.apt_for)
    found.service_for = needs.proposed_services(deps, found.notes)
    found.services = list(found.service_for)
    return found


# --- the dependency manager ---

def _manager(root: Path, pyproject: dict | None, pipfile: dict | None) -> str:
    """uv.lock > poetry > Pipfile > requirements files > PEP 621 > none."""
    pyproject = pyproject or {}
    if (root / "uv.lock").is_file():
        return "uv"
    if (root / "poetry.lock").is_file() or "poetry" in pyproject.get("tool", {}):
        return "poetry"
    if pipfile is not None or (root / "Pipfile.lock").is_file():
        return "pipenv"
    if requirement_files(root):
        return "pip"
    project = pyproject.get("project", {})
    if "dependencies" in project or "dependency-groups" in pyproject:
        return "pyproject"
    return "none"


def _dependencies(root: Path, found: Detection, pyproject: dict, pipfile: dict) -> dict[str, set[str]]:
    """name -> extras, from what `found.manager` installs; sets found.requirements/constraints for pip."""
    deps: dict[str, set[str]] = {}
    if found.manager == "pip":
        found.requirements = choose_requirements(root)
        reader = RequirementsReader(root)
        for rel in found.requirements:
            reader.read(rel)
        merge(deps, reader.requirements)
        found.constraints = [c for c in CONSTRAINT_FILES
                             if (root / c).is_file() and c not in reader.constraints]
        found.notes += reader.notes
        found.notes.append("dependencies: pip, " + ", ".join(found.requirements)
                           + "".join(f" (constraints {c})" for c in found.constraints))
    elif found.manager == "pipenv":
        merge(deps, pipfile_requirements(pipfile))
        found.notes.append("dependencies: pipenv (Pipfile)")
    elif found.manager in ("poetry", "uv", "pyproject"):
        merge(deps, pyproject_requirements(pyproject))
        lock = {"poetry": " and poetry.lock", "uv": " and uv.lock"}.get(found.manager, "")
        if found.manager == "poetry" and not (root / "poetry.lock").is_file():
            lock = ""
        found.notes.append(f"dependencies: {found.manager} (pyproject.toml{lock})")
    else:
        extra = "; setup.py is not installed automatically" if (root / "setup.py").is_file() else ""
        found.notes.append(f"dependencies: no requirements*.txt, pyproject.toml, Pipfile or lock file{extra}")
    return deps


def _load_toml(path: Path, notes: list[str]) -> dict | None:
    if not path.is_file():
        return None
    try:
        return tomltext.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:  # tomltext.loads raises ValueErrors for invalid TOML
        notes.append(f"{path.name}: not readable as TOML ({e}); ignored")
        return {}


# --- the Python version ---

def detect_python(root: Path, pyproject: dict | None, pipfile: dict | None,
                  notes: list[str]) -> tuple[str | None, str | None]:
    """(X.Y, source): .python-version, requires-python, poetry's python, runtime.txt, Pipfile."""
    candidates: list[tuple[str, object, Callable[[str], str | None]]] = []
    version_file = root / ".python-version"
    if version_file.is_file():
        candidates.append((".python-version", _first_line(version_file), python_from_version))
    pyproject = pyproject or {}
    requires = pyproject.get("project", {}).get("requires-python")
    candidates.append(("pyproject.toml requires-python", requires, python_from_spec))
    poetry_python = pyproject.get("tool", {}).get("poetry", {}).get("dependencies", {}).get("python")
    candidates.append(("pyproject.toml [tool.poetry.dependencies] python", poetry_python, python_from_spec))
    runtime = root / "runtime.txt"
    if runtime.is_file():
        candidates.append(("runtime.txt", _first_line(runtime), python_from_version))
    requires = (pipfile or {}).get("requires", {})
    for key in ("python_version", "python_full_version"):
        candidates.append((f"Pipfile [requires] {key}", requires.get(key), python_from_version))
    for source, value, parse in candidates:
        if not isinstance(value, str) or not value.strip():
            continue
        version = parse(value)
        if version:
            return version, source
        notes.append(f"{source}: {value.strip()!r} names no CPython 3 version dkenv understands; ignored")
    return None, None


def _first_line(path: Path) -> str | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return next((line.strip() for line in lines if line.strip() and not line.strip().startswith("#")), None)


def python_from_version(text: str) -> str | None:
    """A version naming one Python: "3.12.1", "3.12", "python-3.11.4", "cpython-3.12" -> X.Y."""
    m = re.match(r"^(?:c?python[-@]?)?(3)\.(\d+)(?![\d])", text.strip(), re.IGNORECASE)
    return f"{m.group(1)}.{m.group(2)}" if m else None


def python_from_spec(spec: str) -> str | None:
    """The lowest X.Y a version specifier allows, as a Python to build with.

    The rule: the lowest X.Y among KNOWN_PYTHONS (3.8 to 3.14, those with official python
    images) such that some X.Y.Z satisfies every clause; ">=3.10,<3.13" -> "3.10",
    ">=3.6" -> "3.8", "^3.11" -> "3.11", "~=3.9.2" -> "3.9". When no known minor fits,
    the specifier's own lowest bound (">=3.15" -> "3.15"); "" and "*" say nothing -> None.
    PEP 440 specifiers and poetry's ^, ~, "X.Y.*" and `||` alternatives are understood; anything else -> None.
    """
    alternatives = []
    if spec.strip() in ("", "*"):
        return None  # no constraint says nothing
    for part in spec.split("||"):
        clauses = _clauses(part)
        if clauses is None:
            return None
        alternatives.append(clauses)
    for major, minor in KNOWN_PYTHONS:
        if any(_allows_minor(clauses, major, minor) for clauses in alternatives):
            return f"{major}.{minor}"
    bounds = [v for clauses in alternatives for op, v, _ in clauses
              if op in (">=", "==", "~=") and len(v) >= 2 and v[0] == 3]
    return "%d.%d" % min(bounds)[:2] if bounds else None


_CLAUSE_RE = re.compile(r"\s*(~=|===|==|!=|<=|>=|<|>|\^|~|=)?\s*(\d+(?:\.\d+)*)(\.\*)?[A-Za-z0-9.+!-]*\s*,?")


def _clauses(spec: str) -> list[tuple[str, tuple[int, ...], bool]] | None:
    """'>=3.10,<3.13' -> [('>=', (3, 10), False), ('<', (3, 13), False)]; None if unparseable."""
    spec = spec.strip()
    if spec in ("", "*"):
        return []
    out = []
    position = 0
    while position < len(spec):
        m = _CLAUSE_RE.match(spec, position)
        if not m or m.end() == position:
            return None
        position = m.end()
        op, wildcard = m.group(1) or "==", bool(m.group(3))
        version = tuple(int(x) for x in m.group(2).split("."))
        if op == "^":  # poetry: below the next release of the leftmost non-zero part
            index = next((i for i, x in enumerate(version) if x != 0), len(version) - 1)
            out += [(">=", version, False), ("<", version[:index] + (version[index] + 1,), False)]
        elif op == "~":  # poetry: ~X.Y[.Z] is X.Y.*, ~X is X.*
            out += [(">=", version, False), ("==", version[:2], True)]
        else:
            out.append(("==" if op in ("=", "===") else op, version, wildcard))
    return out


def _allows_minor(clauses, major: int, minor: int) -> bool:
    return any(all(_satisfies((major, minor, patch), c) for c in clauses) for patch in range(0, 40))


def _satisfies(version: tuple[int, ...], clause) -> bool:
    op, wanted, wildcard = clause
    if op == "~=":
        prefix = wanted[:-1] if len(wanted) > 1 else wanted
        return _cmp(version, wanted) >= 0 and version[:len(prefix)] == prefix
    if wildcard:
        matches = version[:len(wanted)] == wanted
        return matches if op == "==" else not matches if op == "!=" else _compare(op, _cmp(version, wanted))
    return _compare(op, _cmp(version, wanted))


def _compare(op: str, order: int) -> bool:
    return {"==": order == 0, "!=": order != 0, "<": order < 0, "<=": order <= 0,
            ">": order > 0, ">=": order >= 0}[op]


def _cmp(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    size = max(len(a), len(b))
    a, b = a + (0,) * (size - len(a)), b + (0,) * (size - len(b))
    return (a > b) - (a < b)
