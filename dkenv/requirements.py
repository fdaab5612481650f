"""pip requirements files: which ones a project has, which ones a development
environment installs, and the dependency names they hold (following -r includes).

Pure logic: reads files under the root, never runs anything.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from dkenv.dependencies import parse_requirement

MAIN_REQUIREMENTS = ["requirements.txt", "requirements/base.txt", "requirements/common.txt",
                     "requirements/main.txt", "requirements/requirements.txt",
                     "requirements/prod.txt", "requirements/production.txt"]
DEV_REQUIREMENTS = ["requirements-dev.txt", "requirements_dev.txt", "dev-requirements.txt",
                    "requirements/dev.txt", "requirements/development.txt", "requirements/local.txt"]
CONSTRAINT_FILES = ["constraints.txt", "requirements/constraints.txt"]


def requirement_files(root: Path) -> list[str]:
    """Every requirements file: *requirements*.txt at the top and requirements/*.txt."""
    top = sorted(p.name for p in root.glob("*requirements*.txt") if p.is_file())
    folder = sorted(f"requirements/{p.name}" for p in (root / "requirements").glob("*.txt") if p.is_file())
    return [f for f in top + folder if f not in CONSTRAINT_FILES]


def choose_requirements(root: Path) -> list[str]:
    """The files a development environment installs.

    The main file (requirements.txt first, then requirements/base.txt...) and the
    development file (requirements-dev.txt, requirements/dev.txt...); only the
    development file when it already includes the main one with -r.
    """
    main = next((f for f in MAIN_REQUIREMENTS if (root / f).is_file()), None)
    dev = next((f for f in DEV_REQUIREMENTS if (root / f).is_file()), None)
    if main and dev:
        reader = RequirementsReader(root)
        reader.read(dev)
        return [dev] if main in reader.files else [main, dev]
    if main or dev:
        return [main or dev]
    files = requirement_files(root)
    return files[:1]


class RequirementsReader:
    """Reads pip requirements files, following -r includes; -c files are only recorded."""

    def __init__(self, root: Path):
        self.root = root
        self.files: list[str] = []  # read, relative to root
        self.constraints: list[str] = []  # named by -c
        self.requirements: dict[str, set[str]] = {}
        self.notes: list[str] = []

    def read(self, rel: str) -> None:
        rel = os.path.normpath(rel)
        if rel in self.files:
            return
        try:
            text = (self.root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            self.notes.append(f"{rel}: cannot be read")
            return
        self.files.append(rel)
        for line in _logical_lines(text):
            self._line(rel, line)

    def _line(self, rel: str, line: str) -> None:
        option = re.match(r"^(-r|--requirement|-c|--constraint|-e|--editable)(?:\s*=\s*|\s+|(?=[^-\s]))(\S+)",
                          line)
        if option:
            flag, target = option.groups()
            if flag in ("-e", "--editable"):
                self._add(parse_requirement(target))
                return
            path = os.path.normpath(os.path.join(os.path.dirname(rel), target))
            if path.startswith(".."):
                self.notes.append(f"{rel}: {target} is outside the project, not read")
            elif flag in ("-c", "--constraint"):
                self.constraints.append(path)
            else:
                self.read(path)
            return
        if line.startswith("-"):
            return  # --index-url, --find-links, --hash...
        self._add(parse_requirement(re.split(r"\s+--?[A-Za-z]", line)[0]))

    def _add(self, requirement: tuple[str, set[str]] | None) -> None:
        if requirement:
            name, extras = requirement
            self.requirements.setdefault(name, set()).update(extras)


def _logical_lines(text: str) -> list[str]:
    """Lines with continuations joined and comments (`#` at the start or after a space) dropped."""
    joined = re.sub(r"\\\r?\n", " ", text)
    lines = (re.sub(r"(^|\s)#.*$", "", line).strip() for line in joined.splitlines())
    return [line for line in lines if line]
