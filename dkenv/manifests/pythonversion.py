"""What a project says about its Python, from .python-version, pyproject.toml
(requires-python, Poetry's python), uv.lock, runtime.txt, Pipfile [requires], a conda
environment.yml's `python` spec or, last, the
project's own Dockerfile (`FROM python:3.11...`, the Python it deploys on: the final stage's,
else a builder stage's, dockerstages.py reading the stages): kept as a
constraint (a range stays a range) that says which X.Y it allows. Which one the image
gets is chosen against the base image by detect/basepython.py.

PEP 440 is `packaging`'s to decide (imported on first use: `dkenv exec` never loads it);
what is not PEP 440 is translated to it here: Poetry's `^3.11`, `~3.11`, bare versions,
spaces between clauses and `||` alternatives, and the version files' "3.12",
"python-3.11.4", "cpython@3.12".
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dkenv import declared

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

# The CPython minors dkenv can provide: uv installs each, official python images exist for each.
KNOWN_PYTHONS = [(3, minor) for minor in range(8, 16)]
KNOWN = ["%d.%d" % v for v in KNOWN_PYTHONS]

Parsed = tuple[tuple["SpecifierSet", ...], bool]  # (alternatives, pinned)


@dataclass(frozen=True)
class PythonConstraint:
    """The project's word on its Python: where it is written, as written, and what it allows."""

    source: str  # ".python-version", "pyproject.toml requires-python"...
    text: str  # as written: ">=3.10", "^3.11", "3.12.1", "3"
    pinned: bool  # a version file naming one X.Y ("3.12", "python-3.11.4"), not a range
    alternatives: tuple[SpecifierSet, ...] = field(repr=False)  # PEP 440; any one must hold

    def allows(self, version: str) -> bool:
        """Does some final release X.Y.Z of this X.Y satisfy the constraint?"""
        return any(_allows_minor(specifiers, version) for specifiers in self.alternatives)

    def allowed(self) -> list[str]:
        """The X.Y dkenv can provide (KNOWN) that it allows, oldest first."""
        return [v for v in KNOWN if self.allows(v)]

    @property
    def verb(self) -> str:
        return "asks for" if self.pinned else "allows"

    def __str__(self) -> str:
        return f"{self.source} {self.text!r}"


SAYS_NOTHING = "names no CPython 3 version dkenv understands"
NOT_PEP440 = "is not a valid version specifier (PEP 440)"
NOT_POETRY = "is not a version constraint dkenv understands (PEP 440 or Poetry's ^, ~, ||)"


def detect_constraint(root: Path, pyproject: dict | None, pipfile: dict | None,
                      notes: list[str]) -> PythonConstraint | None:
    """The first of .python-version, requires-python, Poetry's python, uv.lock, runtime.txt, Pipfile [requires],
    environment.yml's python, the project's Dockerfile; one that cannot be read is a note and the next one is asked."""
    candidates: list[tuple[str, object, Callable[[str], Parsed | None], str]] = []
    version_file = declared.path(root / ".python-version")
    if version_file.is_file():
        candidates.append((".python-version", _first_line(version_file), from_version_file, SAYS_NOTHING))
    pyproject = pyproject or {}
    requires = pyproject.get("project", {}).get("requires-python")
    candidates.append(("pyproject.toml requires-python", requires, from_specifier, NOT_PEP440))
    poetry_python = pyproject.get("tool", {}).get("poetry", {}).get("dependencies", {}).get("python")
    candidates.append(("pyproject.toml [tool.poetry.dependencies] python", poetry_python, from_poetry, NOT_POETRY))
    lock = declared.path(root / "uv.lock")  # a uv workspace's root: the members' requires-python, intersected by uv
    if lock.is_file():
        candidates.append(("uv.lock requires-python", _lock_requires(lock), from_specifier, NOT_PEP440))
    runtime = declared.path(root / "runtime.txt")
    if runtime.is_file():
        candidates.append(("runtime.txt", _first_line(runtime), from_version_file, SAYS_NOTHING))
    requires = (pipfile or {}).get("requires", {})
    for key in ("python_version", "python_full_version"):
        candidates.append((f"Pipfile [requires] {key}", requires.get(key), from_version_file, SAYS_NOTHING))
    candidates.extend(_conda_python(root))
    candidates.extend(_dockerfile_python(root))
    for source, value, parse, complaint in candidates:
        if not isinstance(value, str) or value.strip() in ("", "*"):  # "*": any Python, says nothing
            continue
        parsed = parse(value.strip())
        if parsed:
            return PythonConstraint(source, value.strip(), parsed[1], parsed[0])
        notes.append(f"{source}: {value.strip()!r} {complaint}; ignored")
    return None


def _first_line(path: Path) -> str | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return next((line.strip() for line in lines if line.strip() and not line.strip().startswith("#")), None)


DOCKERFILES = ("Dockerfile.dev", "dev.Dockerfile", "Dockerfile.local", "local.Dockerfile",  # development ones first
               "docker/Dockerfile.dev", "docker/dev.Dockerfile", "docker/local.Dockerfile",
               "Dockerfile", "docker/Dockerfile")


def _conda_python(root: Path) -> list[tuple[str, object, Callable[[str], Parsed | None], str]]:
    """The `python` spec of a conda environment.yml: `python=3.11`, `python>=3.10,<3.13`."""
    from dkenv import yamlread  # not condaenv: it reads dependencies.py, which reads this module

    path = declared.path(root / "environment.yml")
    try:
        doc = yamlread.loads(path.read_text(encoding="utf-8", errors="replace")) if path.is_file() else None
    except (OSError, ValueError):
        return []
    specs = doc.get("dependencies") if isinstance(doc, dict) else None
    spec = next((s for s in specs if isinstance(s, str) and re.match(r"^\s*(?:[\w.-]+::)?python(?![\w-])", s, re.I)),
                None) if isinstance(specs, list) else None
    if spec is None:
        return []
    version = re.sub(r"^(?:[\w.-]+::)?python", "", spec.strip(), flags=re.IGNORECASE).strip()
    return [("environment.yml python", version, from_conda, NOT_PEP440)]


def from_conda(text: str) -> Parsed | None:
    """A conda match spec's version: "=3.11" and "3.11" are 3.11.* (pinned), "3.11.4" too;
    comparisons (">=3.10,<3.13") are PEP 440 already."""
    text = text.replace(" ", "")
    m = re.match(r"^=?=?(3\.\d+)(?:\.[\d*]+)*$", text)
    if m:
        return from_version_file(m.group(1))
    return from_specifier(text) if text else None


def _dockerfile_python(root: Path) -> list[tuple[str, object, Callable[[str], Parsed | None], str]]:
    """The official python image the first Dockerfile naming one (a development one first) runs
    on, as a version file's text: `FROM python:3.11.4-slim-buster` -> "3.11" (`dockerfile_image`)."""
    found = _dockerfile_stage(root)
    if found is None:
        return []
    said, image = found
    from dkenv import dockerstages

    return [(said, dockerstages.python_minor(image), from_version_file, SAYS_NOTHING)]


def dockerfile_image(root: Path) -> str | None:
    """The official python image the project's own Dockerfile runs on (`_dockerfile_stage`):
    `dkenv init` proposes an image of its variant (its Debian release)."""
    found = _dockerfile_stage(root)
    return found[1] if found else None


def _dockerfile_stage(root: Path) -> tuple[str, str] | None:
    """(where it is said, the image) of the first Dockerfile naming an official python image.
    The final stage's (the image that runs, through stage names and ARG defaults) when it is
    a python image, else the last python stage's: a final stage on another image (distroless,
    Debian given a venv by `COPY --from=build`, or one unknown) runs what a python stage
    installed, for that stage's Python (a venv does not move across minors); the last is the
    nearest to the final one (earlier ones are more often test or tooling stages)."""
    from dkenv import dockerstages  # only init and "auto" read Dockerfiles; config validation imports this module

    for rel in DOCKERFILES:
        path = declared.path(root / rel)
        if not path.is_file():
            continue
        stages = dockerstages.read(path)
        python = [(i, s) for i, s in enumerate(stages) if dockerstages.python_minor(s.image)]
        if python:  # the last one: the final stage when it is one
            i, stage = python[-1]
            said = stage.image if i == len(stages) - 1 else (
                f"{stage.image} (stage {stage.name or i + 1}; the final one is FROM {stages[-1].written or '?'})")
            return f"{rel}'s FROM {said}", stage.image
    return None


def _lock_requires(path: Path) -> str | None:
    """uv.lock's top-level requires-python, from its head (the lock can be megabytes)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError:
        return None
    m = re.search(r'^requires-python\s*=\s*"([^"\n]*)"', head.split("\n[", 1)[0], re.MULTILINE)
    return m.group(1) if m else None


def from_version_file(text: str) -> Parsed | None:
    """A version file's Python: "3.12.1", "3.12", "python-3.11.4", "cpython-3.12" -> that X.Y
    (==3.12.*, pinned); "3" -> any 3.x (==3.*, a range). None when not CPython 3."""
    m = re.match(r"^(?:c?python[-@]?)?3(?:\.(\d+))?(?!\d)(.*)$", text.strip(), re.IGNORECASE)
    if not m or m.group(1) is None and m.group(2):
        return None
    from packaging.specifiers import SpecifierSet

    if m.group(1) is None:
        return (SpecifierSet("==3.*"),), False
    return (SpecifierSet(f"==3.{int(m.group(1))}.*"),), True


def from_specifier(text: str) -> Parsed | None:
    """A PEP 440 specifier set (requires-python, uv.lock's), as packaging reads it; None when invalid."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return (SpecifierSet(text),), False
    except InvalidSpecifier:
        return None


_POETRY_CLAUSE = re.compile(r"\s*(\^|~=|~|===|==|!=|<=|>=|<|>|=)?\s*([^\s,]+)")


def from_poetry(text: str) -> Parsed | None:
    """Poetry's constraint: PEP 440 clauses, and Poetry's `^X.Y`, `~X.Y`, bare versions (`3.11`,
    `3.11.*`), clauses apart by spaces as well as commas, `||` between alternatives: each
    alternative translated to a PEP 440 specifier set for packaging. None when not understood."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion

    alternatives = []
    for part in text.split("||"):
        if not part.strip():
            return None
        try:
            clauses = [_pep440(op, version) for op, version in _POETRY_CLAUSE.findall(part) if version != "*"]
            alternatives.append(SpecifierSet(",".join(clauses)))
        except (InvalidSpecifier, InvalidVersion):
            return None
    return tuple(alternatives), False


def _pep440(op: str, version: str) -> str:
    """One Poetry clause as PEP 440: ^3.11 -> >=3.11,<4; ~3.11 -> >=3.11,<3.12; 3.11 -> ==3.11."""
    if op not in ("^", "~"):
        return f"{'==' if op in ('', '=') else op}{version}"
    from packaging.version import Version

    release = Version(version).release
    if op == "^":  # below the next release of the leftmost non-zero part
        index = next((i for i, x in enumerate(release) if x != 0), len(release) - 1)
    else:  # ~X.Y[.Z]: below X.(Y+1); ~X: below X+1
        index = min(1, len(release) - 1)
    upper = ".".join(str(x) for x in (*release[:index], release[index] + 1))
    return f">={version},<{upper}"


def _allows_minor(specifiers: SpecifierSet, minor: str) -> bool:
    """Some final X.Y.Z in `specifiers`? Where it holds changes only at the patch versions its
    clauses name, so X.Y.0 and each named Z and Z+1 decide."""
    from packaging.version import InvalidVersion, Version

    major_minor = tuple(int(x) for x in minor.split("."))
    patches = {0}
    for specifier in specifiers:
        try:
            release = Version(specifier.version.removesuffix(".*")).release
        except InvalidVersion:  # === with an arbitrary string
            continue
        if release[:2] == major_minor:  # 3.12 is 3.12.0: `>3.12` holds from 3.12.1
            patch = release[2] if len(release) > 2 else 0
            patches |= {patch, patch + 1}
    return any(Version(f"{minor}.{patch}") in specifiers for patch in sorted(patches))
