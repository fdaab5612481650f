"""The Python version a project asks for, from .python-version, pyproject.toml, runtime.txt or Pipfile."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

# The CPython minors with official python:X.Y-slim-bookworm images (see python_from_spec).
KNOWN_PYTHONS = [(3, minor) for minor in range(8, 15)]


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
