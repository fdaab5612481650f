"""What a project says about its Python, from .python-version, pyproject.toml
(requires-python, Poetry's python), uv.lock, runtime.txt or Pipfile [requires]: kept as a
constraint (a range stays a range) that says which X.Y it allows. Which one the image
gets is chosen against the base image by image/python.py."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# The CPython minors dkenv can provide: uv installs each, official python images exist for each.
KNOWN_PYTHONS = [(3, minor) for minor in range(8, 15)]
KNOWN = ["%d.%d" % v for v in KNOWN_PYTHONS]

Clause = tuple[str, tuple[int, ...], bool]  # (operator, version, wildcard): ('>=', (3, 10), False)


@dataclass(frozen=True)
class PythonConstraint:
    """The project's word on its Python: where it is written, as written, and what it allows."""

    source: str  # ".python-version", "pyproject.toml requires-python"...
    text: str  # as written: ">=3.10", "^3.11", "3.12.1", "3"
    pinned: bool  # a version file naming one X.Y ("3.12", "python-3.11.4"), not a range
    alternatives: tuple[tuple[Clause, ...], ...] = field(repr=False)  # any one must hold entirely

    def allows(self, version: str) -> bool:
        """Does some X.Y.Z of this X.Y satisfy the constraint?"""
        major, minor = (int(x) for x in version.split("."))
        return any(_allows_minor(clauses, major, minor) for clauses in self.alternatives)

    def allowed(self) -> list[str]:
        """The X.Y dkenv can provide (KNOWN) that it allows, oldest first."""
        return [v for v in KNOWN if self.allows(v)]

    @property
    def verb(self) -> str:
        return "asks for" if self.pinned else "allows"

    def __str__(self) -> str:
        return f"{self.source} {self.text!r}"


def detect_constraint(root: Path, pyproject: dict | None, pipfile: dict | None,
                      notes: list[str]) -> PythonConstraint | None:
    """The first of .python-version, requires-python, Poetry's python, uv.lock, runtime.txt, Pipfile [requires]."""
    candidates: list[tuple[str, object, Callable[[str], tuple[tuple, bool] | None]]] = []
    version_file = root / ".python-version"
    if version_file.is_file():
        candidates.append((".python-version", _first_line(version_file), version_clauses))
    pyproject = pyproject or {}
    requires = pyproject.get("project", {}).get("requires-python")
    candidates.append(("pyproject.toml requires-python", requires, spec_clauses))
    poetry_python = pyproject.get("tool", {}).get("poetry", {}).get("dependencies", {}).get("python")
    candidates.append(("pyproject.toml [tool.poetry.dependencies] python", poetry_python, spec_clauses))
    lock = root / "uv.lock"  # a uv workspace's root: the members' requires-python, intersected by uv
    if lock.is_file():
        candidates.append(("uv.lock requires-python", _lock_requires(lock), spec_clauses))
    runtime = root / "runtime.txt"
    if runtime.is_file():
        candidates.append(("runtime.txt", _first_line(runtime), version_clauses))
    requires = (pipfile or {}).get("requires", {})
    for key in ("python_version", "python_full_version"):
        candidates.append((f"Pipfile [requires] {key}", requires.get(key), version_clauses))
    for source, value, parse in candidates:
        if not isinstance(value, str) or not value.strip():
            continue
        parsed = parse(value)
        if parsed:
            return PythonConstraint(source, value.strip(), parsed[1], parsed[0])
        notes.append(f"{source}: {value.strip()!r} names no CPython 3 version dkenv understands; ignored")
    return None


def _first_line(path: Path) -> str | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return next((line.strip() for line in lines if line.strip() and not line.strip().startswith("#")), None)


def _lock_requires(path: Path) -> str | None:
    """uv.lock's top-level requires-python, from its head (the lock can be megabytes)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError:
        return None
    m = re.search(r'^requires-python\s*=\s*"([^"\n]*)"', head.split("\n[", 1)[0], re.MULTILINE)
    return m.group(1) if m else None


def version_clauses(text: str) -> tuple[tuple, bool] | None:
    """A version file's Python: "3.12.1", "3.12", "python-3.11.4", "cpython-3.12" -> that X.Y
    (pinned); "3" -> any 3.x (a range). (alternatives, pinned), or None when not CPython 3."""
    m = re.match(r"^(?:c?python[-@]?)?3(?:\.(\d+))?(?!\d)(.*)$", text.strip(), re.IGNORECASE)
    if not m or m.group(1) is None and m.group(2):
        return None
    if m.group(1) is None:
        return ((("==", (3,), True),),), False
    return ((("==", (3, int(m.group(1))), True),),), True


def spec_clauses(spec: str) -> tuple[tuple, bool] | None:
    """A version specifier: PEP 440 (">=3.10,<3.13", "~=3.9.2", "==3.12.*") and Poetry's
    ^, ~, bare versions and `||` alternatives. "" and "*" say nothing -> None; so does
    anything not understood."""
    if spec.strip() in ("", "*"):
        return None
    alternatives = []
    for part in spec.split("||"):
        clauses = _clauses(part)
        if clauses is None:
            return None
        alternatives.append(tuple(clauses))
    return tuple(alternatives), False


_CLAUSE_RE = re.compile(r"\s*(~=|===|==|!=|<=|>=|<|>|\^|~|=)?\s*(\d+(?:\.\d+)*)(\.\*)?[A-Za-z0-9.+!-]*\s*,?")


def _clauses(spec: str) -> list[Clause] | None:
    """'>=3.10,<3.13' -> [('>=', (3, 10), False), ('<', (3, 13), False)]; None if unparseable."""
    spec = spec.strip()
    if spec in ("", "*"):
        return []
    out: list[Clause] = []
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


def _satisfies(version: tuple[int, ...], clause: Clause) -> bool:
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
