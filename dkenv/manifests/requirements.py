"""pip requirements files: which ones a project has, which ones a development
environment installs, and the dependency names they hold (following -r includes).

Pure logic: reads files under the root, never runs anything. One parser serves detection
(which names a project depends on) and the image (which files its build context needs).
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

from dkenv import declared
from dkenv.manifests.dependencies import invalid, parse_requirement
from dkenv.errors import ConfigError

MAIN_REQUIREMENTS = ["requirements.txt", "requirements/base.txt", "requirements/common.txt",
                     "requirements/main.txt", "requirements/requirements.txt",
                     "requirements/prod.txt", "requirements/production.txt"]
DEV_REQUIREMENTS = ["requirements-dev.txt", "requirements_dev.txt", "dev-requirements.txt",
                    "requirements-devel.txt", "requirements_devel.txt",
                    "requirements/dev.txt", "requirements/devel.txt", "requirements/development.txt",
                    "requirements/local.txt"]
# The tests' file, installed too unless the ones chosen include it (taiga-back: pytest is in
# requirements-devel.txt; others keep it in requirements-test.txt beside a dev file)
TEST_REQUIREMENTS = ["requirements-test.txt", "requirements-tests.txt", "requirements_test.txt",
                     "requirements_tests.txt", "test-requirements.txt", "tests-requirements.txt",
                     "requirements/test.txt", "requirements/tests.txt", "requirements/testing.txt"]
CONSTRAINT_FILES = ["constraints.txt", "requirements/constraints.txt"]


def requirement_files(root: Path) -> list[str]:
    """Every requirements file: *requirements*.txt at the top and requirements/*.txt."""
    top = sorted(p.name for p in declared.glob(root, "*requirements*.txt") if p.is_file())
    folder = sorted(f"requirements/{p.name}" for p in declared.glob(root, "requirements/*.txt") if p.is_file())
    return [f for f in top + folder if f not in CONSTRAINT_FILES]


def choose_requirements(root: Path) -> list[str]:
    """The files a development environment installs (`choice`)."""
    return choice(root).files


class Choice(NamedTuple):
    files: list[str]  # the files a development environment installs
    production: str | None = None  # a production pointer among them, for the database clients it alone holds
    clients: tuple[str, ...] = ()  # those clients

    def why(self) -> str | None:
        if not self.production:
            return None
        dev = ", ".join(f for f in self.files if f != self.production)
        return (f"{self.production} too, though it points at the production requirements: it holds "
                f"{', '.join(self.clients)}, the database driver {dev} lacks")


# The catalog's databases: a driver only the production requirements hold brings them in
DATABASES = ("postgres", "mysql", "mariadb", "mongodb")


def choice(root: Path) -> Choice:
    """The files a development environment installs (`_choice`), and the tests' file
    (TEST_REQUIREMENTS) when they do not include it already."""
    picked = _choice(root)
    test = next((f for f in TEST_REQUIREMENTS if declared.path(root / f).is_file()), None)
    if test is None or not picked.files or test in RequirementsReader(root).read(*picked.files).files:
        return picked
    return picked._replace(files=[*picked.files, test])


def _choice(root: Path) -> Choice:
    """The files a development environment installs.

    The main file (requirements.txt first, then requirements/base.txt...) and the
    development file (requirements-dev.txt, requirements/dev.txt...); only the
    development file when it already includes the main one with -r, or when the main one
    is a pointer to the production requirements (`-r requirements/production.txt`: uwsgi,
    cloud storage), which a development environment does not install, unless that pointer
    holds the driver of a database (the catalog's detect.packages) the development files
    lack: bakerydemo's psycopg is only in production.txt, and its own compose file runs the
    app on PostgreSQL with those requirements.
    """
    main = next((f for f in MAIN_REQUIREMENTS if declared.path(root / f).is_file()), None)
    dev = next((f for f in DEV_REQUIREMENTS if declared.path(root / f).is_file()), None)
    if main and dev:
        reader = RequirementsReader(root).read(dev)
        if main in reader.files:
            return Choice([dev])
        if not _points_at_production(root, main):
            return Choice([main, dev])
        clients = database_drivers(RequirementsReader(root).read(main).requirements, reader.requirements)
        return Choice([main, dev], main, clients) if clients else Choice([dev])
    if main or dev:
        return Choice([main or dev])
    return Choice(requirement_files(root)[:1])


def database_drivers(production: dict[str, set[str]], development: dict[str, set[str]]) -> tuple[str, ...]:
    """The production names that drive a database (DATABASES' detect.packages: psycopg,
    mysqlclient...) none of whose drivers the development names hold."""
    from dkenv.catalog.entries import catalog, split_package  # init only: a build never reads the catalog here

    found: set[str] = set()
    for name in DATABASES:
        drivers = {split_package(spec)[0] for spec in catalog()[name].detect.packages}
        if not drivers & set(development):
            found |= drivers & set(production)
    return tuple(sorted(found))


_PRODUCTION = re.compile(r"(^|[/_.-])(prod|production|deploy|deployment)([_.-]|$)", re.IGNORECASE)


def _points_at_production(root: Path, main: str) -> bool:
    """`main` (not a production file itself) only points at the production requirements:
    no requirement of its own, and every file it reaches is reached through a production
    one (bakerydemo's `-r requirements/production.txt`). An aggregate naming the tests',
    docs' or lint files beside the deployment one (warehouse's, for dependabot) is not."""
    if _PRODUCTION.search(main.rsplit(".", 1)[0]):
        return False
    reader = RequirementsReader(root).read(main)
    if any(rel == main for rel, _ in reader.lines):
        return False
    production = [f for f in reader.files if f != main and _PRODUCTION.search(f.rsplit(".", 1)[0])]
    if not production:
        return False
    through = set(RequirementsReader(root).read(*production).files)
    return all(f in through for f in reader.files if f != main)


class RequirementsReader:
    """Reads pip requirements files the way pip does, for detection and for the build context.

    Follows `-r`/`--requirement` (their names are dependencies) and `-c`/`--constraint`
    (read for their own includes, their names are not dependencies), in the forms
    `-r x`, `-rx`, `-r=x`, `--requirement=x`, with line continuations and comments;
    paths are relative to the including file. Each file is read once (cycles are fine).
    """

    def __init__(self, root: Path, pythons: list[str] | None = None):
        self.root = root
        self.pythons = pythons  # requirements whose marker holds for none of these X.Y are left out
        self.files: list[str] = []  # every file read, in breadth-first order, relative to root
        self.constraints: list[str] = []  # files named by -c
        self.lines: list[tuple[str, str]] = []  # (file, requirement) of every requirement line
        self.problems: list[str] = []  # includes outside the project, missing files: full messages
        self.include_notes: list[str] = []  # the same, as short notes for `dkenv init`
        self._texts: list[str] = []  # every file's text, for `transitive`
        self._parsed: tuple[dict[str, set[str]], list[str]] | None = None

    @property
    def requirements(self) -> dict[str, set[str]]:
        """name -> extras of the requirement lines (parsed on first use: the build context
        needs only the files, and a no-op `dkenv up` does not load packaging for them)."""
        return self._parse()[0]

    @property
    def notes(self) -> list[str]:
        """Includes not read and invalid requirements, as short notes for `dkenv init`."""
        return self.include_notes + self._parse()[1]

    def _parse(self) -> tuple[dict[str, set[str]], list[str]]:
        if self._parsed is None:
            names: dict[str, set[str]] = {}
            notes: list[str] = []
            for rel, text in self.lines:
                try:
                    requirement = parse_requirement(text, self.pythons)
                except ValueError as e:
                    notes.append(invalid(rel, text, e))
                    continue
                if requirement:
                    names.setdefault(requirement[0], set()).update(requirement[1])
            self._parsed = names, notes
        return self._parsed

    def read(self, *top: str) -> "RequirementsReader":
        """Read the top-level files `top` and everything they include."""
        pending = [(rel, None, False) for rel in top]
        while pending:
            rel, includer, constraint = pending.pop(0)
            rel = os.path.normpath(rel)
            if rel in self.files:
                continue
            text = self._text(rel, includer)
            if text is None:
                continue
            self.files.append(rel)
            for line in _logical_lines(text):
                pending += self._line(rel, line, constraint)
            self._texts.append(text)
        return self

    @property
    def transitive(self) -> set[str]:
        """The names a pip-compile output says only other packages need (compiled_transitive)."""
        from dkenv.manifests.pipcompile import compiled_transitive

        return set().union(*(compiled_transitive(text) for text in self._texts))

    def _text(self, rel: str, includer: str | None) -> str | None:
        path = self.root / rel
        if os.path.isabs(rel) or rel.startswith("..") or not path.resolve().is_relative_to(self.root.resolve()):
            what = f"{includer} includes {rel}," if includer else f"requirements file {rel!r} is"
            self.problems.append(f"dkenv: {what} outside the project {self.root}")
            self.include_notes.append(f"{includer or rel}: {rel} is outside the project, not read")
            return None
        try:
            return declared.path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            self.problems.append(f"dkenv: requirements file {rel!r} not found in {self.root}")
            self.include_notes.append(f"{rel}: cannot be read")
            return None

    def _line(self, rel: str, line: str, constraint: bool) -> list[tuple[str, str, bool]]:
        """The files a line includes; its requirement is recorded unless read as a constraint."""
        option = re.match(r"^(-r|--requirement|-c|--constraint|-e|--editable)(?:\s*=\s*|\s+|(?=[^-\s]))(\S+)",
                          line)
        if option:
            flag, target = option.groups()
            if flag in ("-e", "--editable"):
                if not constraint:
                    self.lines.append((rel, target))
                return []
            path = target if os.path.isabs(target) else os.path.normpath(os.path.join(os.path.dirname(rel), target))
            is_constraint = constraint or flag in ("-c", "--constraint")
            if flag in ("-c", "--constraint"):
                self.constraints.append(path)
            return [(path, rel, is_constraint)]
        if not line.startswith("-") and not constraint:  # not --index-url, --hash...
            self.lines.append((rel, re.split(r"\s+--?[A-Za-z]", line)[0]))
        return []


def closure(root: Path, files: list[str]) -> list[str]:
    """Every file the build context needs for `files` (includes and constraints followed);
    ConfigError (exit 2) for an include outside the project or a missing file."""
    reader = RequirementsReader(root).read(*files)
    if reader.problems:
        raise ConfigError(reader.problems[0])
    return reader.files


def _logical_lines(text: str) -> list[str]:
    """Lines with continuations joined and comments (`#` at the start or after a space) dropped."""
    joined = re.sub(r"\\\r?\n", " ", text)
    lines = (re.sub(r"(^|\s)#.*$", "", line).strip() for line in joined.splitlines())
    return [line for line in lines if line]
