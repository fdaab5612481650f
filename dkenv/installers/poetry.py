"""Poetry: poetry.lock (made first with `poetry lock` when the project has none) exported
by `poetry export` to a requirements file of pinned, hashed versions, which pip installs
into the project venv.

Why an export and not `poetry install`: `poetry install` asks PyPI's per-version JSON
API (/pypi/NAME/VERSION/json) for every locked package, which mirrors and proxies that
serve only the simple index (PEP 503/691) do not answer ("Unable to find installation
candidates"); pip needs only the simple index, and installing pinned, hashed lines is
also faster (no Poetry solver, no per-package metadata calls). Why Poetry's own export
(the poetry-plugin-export plugin, installed beside Poetry in the tools venv) and not a
reader of poetry.lock in dkenv: the plugin is maintained with Poetry and knows every
lock version, the groups and extras a package belongs to through the dependency graph,
environment markers, the project's sources (written as --index-url/--extra-index-url)
and whether the lock is still fresh (a stale lock fails the build as `poetry install`
would). One thing the plugin gets wrong is mended in the copy it reads: in a lock older
than lock-version 2.1 it drops the packages a dependency's extra brings when the lock
writes their constraint in other words than the extra does (manifests/poetrylock.py).
Packages from git or a path have no hashes: with one in the lock, or without a
lock of the project's own, the export is installed without hash checking.

A failed `poetry lock` or `poetry export` is recognised in Poetry's own words
(`recognise`); pip's installing the export are pip.py's.

Defaults follow `poetry install`: the main dependencies and every group not marked
`optional = true`; no extras. `main` is always installed; image.groups names the others.
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from dkenv import declared
from dkenv.manifests import poetrylock
from dkenv.manifests.dependencies import normalize, pyproject_requirements
from dkenv.installers import standard
from dkenv.installers.base import Choices, Folder, Found, Inputs, Installer, editable_step, load_toml
from dkenv.installers.failures import Diagnosis, find, last
from dkenv.imagepaths import CONTEXT_MANIFESTS, TOOLS

EXPORT = "/tmp/dkenv-poetry.txt"
UNHASHED = {"git", "directory", "file", "url"}  # package sources whose export lines carry no hashes


class Poetry(Installer):
    name = "poetry"
    installs_project = True
    priority = 20
    tools = ("poetry", "poetry-plugin-export")
    manifests = ("pyproject.toml", "poetry.lock", "poetry.toml")
    lock_file = "poetry.lock"

    def claims(self, folder: Folder) -> bool:
        return declared.path(folder.root / "poetry.lock").is_file() or "poetry" in (folder.pyproject or {}).get("tool", {})

    def read(self, folder: Folder) -> Found:
        lock = " and poetry.lock" if declared.path(folder.root / "poetry.lock").is_file() else ""
        notes = [f"dependencies: poetry (pyproject.toml{lock})"]
        return Found(names=pyproject_requirements(folder.pyproject or {}, folder.pythons, notes), notes=notes)

    def choices(self, folder: Folder) -> Choices:
        data = folder.pyproject or {}
        poetry = data.get("tool", {}).get("poetry", {})
        project = data.get("project", {})
        if "dependencies" in project or "optional-dependencies" in project:
            extras, extras_from = standard.extra_names(data), standard.OPTIONAL  # Poetry 2 ignores tool.poetry.extras
        else:
            extras, extras_from = list(poetry.get("extras", {})), "pyproject.toml [tool.poetry.extras]"
        tables = poetry.get("group", {}) if isinstance(poetry.get("group"), dict) else {}
        optional = {normalize(n) for n, t in tables.items() if isinstance(t, dict) and t.get("optional")}
        groups: list[str] = []
        for name in [*(["dev"] if "dev-dependencies" in poetry else []), *tables, *standard.group_names(data)]:
            if normalize(name) not in map(normalize, groups):
                groups.append(name)
        return Choices(extras=extras, groups=groups, extras_from=extras_from,
                       default_groups=[g for g in groups if normalize(g) not in optional],
                       groups_from="pyproject.toml [tool.poetry.group] and [dependency-groups]")

    def inputs(self, root: Path, requirements: list[str], detected, *,
               extras: list[str] | None = None, groups: list[str] | None = None) -> Inputs:
        files = self.manifest_files(root)
        choices = self.choices(Folder.load(root))
        if groups:  # main is always installed
            groups = [g for g in groups if normalize(g) != "main"]
        extras, groups = self.select(root, extras, groups, choices)
        lock = load_toml(root / "poetry.lock")
        packages = lock.get("package", []) if lock and isinstance(lock.get("package"), list) else []
        hashes = lock is not None and not any(
            isinstance(p, dict) and isinstance(p.get("source"), dict) and p["source"].get("type") in UNHASHED
            for p in packages)
        key = f"{CONTEXT_MANIFESTS}/poetry.lock"
        if key in files:  # the copy the export reads, with every extra's packages followed
            files[key] = _for_export(files[key])
        return Inputs(files=files, extras=extras or [], hashes=hashes,
                      groups=choices.default_groups if groups is None else groups)

    def steps(self, plan) -> list[str]:
        poetry = f"POETRY_VIRTUALENVS_CREATE=false {TOOLS}/bin/poetry --no-interaction --no-ansi"
        export = f"{poetry} export --format requirements.txt --output {EXPORT}"
        if plan.groups:
            export += " --with " + ",".join(shlex.quote(g) for g in plan.groups)
        export += "".join(f" --extras {shlex.quote(e)}" for e in plan.extras or [])
        if not plan.hashes:
            export += " --without-hashes"
        return [*([] if plan.locked else [f"{poetry} lock"]), export, f"{self.install_command(plan)} -r {EXPORT}", *editable_step(plan)]

    def newer(self, name: str) -> str:
        return f"update poetry.lock: `poetry update {name}`"

    def main_names(self, folder: Path, requirements: list[str], pythons: list[str] | None) -> dict[str, set[str]]:
        """[project] dependencies and [tool.poetry.dependencies]: no group, and no dependency
        `optional = true` (installed only with an extra: mealie's psycopg2-binary, its `pgsql`)."""
        data = load_toml(folder / "pyproject.toml") or {}
        poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {})
        required = {k: v for k, v in poetry.items() if not (isinstance(v, dict) and v.get("optional") is True)} \
            if isinstance(poetry, dict) else {}
        return pyproject_requirements({
            "project": {"dependencies": data.get("project", {}).get("dependencies", [])},
            "tool": {"poetry": {"dependencies": required}}}, pythons)

    def recognise(self, lines: list[str]) -> Diagnosis | None:
        return _build(lines) or _solving(lines)


def _for_export(content: bytes) -> bytes:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return content
    mended = poetrylock.for_export(text)
    return content if mended == text else mended.encode("utf-8")


def _build(lines: list[str]) -> Diagnosis | None:
    """A dependency's build failed under Poetry (its PEP 517 backend)."""
    if not find(lines, r"^PEP517 build of a dependency failed|ChefBuildError|^Backend subprocess exited"):
        return None
    note = find(lines, r"not a problem with poetry but .* with (\S+) \(([^)]+)\)")
    installing = last(lines, r"^\s*- Installing (\S+) \(([^)]+)\)")
    hit = note or installing
    package = f"{hit[1].group(1)}=={hit[1].group(2)}" if hit else ""
    backend = [line for line in lines if line.lstrip().startswith("|")]
    return Diagnosis(package=package, failure="did not install", stage="building it", built=backend or lines,
                     kind="build")


def _solving(lines: list[str]) -> Diagnosis | None:
    """No installable file, no solution, or a package not found."""
    hit = find(lines, r"Unable to find installation candidates for (\S+) \(([^)]+)\)")
    if hit:
        detail = [line.strip(" |-") for line in lines[hit[0] + 1:] if "were skipped" in line]
        return Diagnosis(package=f"{hit[1].group(1)}=={hit[1].group(2)}",
                         failure="has no file that this platform and Python can install",
                         evidence=detail[:2], kind="missing")
    hit = find(lines, r"version solving failed|SolverProblemError")
    if hit:
        because = [line.strip() for line in lines if re.match(r"\s*(So, )?[Bb]ecause ", line)]
        missing = find(lines, r"depends on (\S+) \(([^)]+)\) which (doesn't match any versions|requires Python (\S+?),)")
        if missing:
            package = f"{missing[1].group(1)} ({missing[1].group(2)})"
            if missing[1].group(4):
                return Diagnosis(package=package, failure="does not support this Python",
                                 evidence=[f"it needs Python {missing[1].group(4)}"], kind="missing")
            return Diagnosis(package=package, failure="was not found on the package index", evidence=because,
                             kind="missing")
        return Diagnosis(failure="the dependencies cannot be resolved", evidence=because, kind="conflict")
    hit = find(lines, r"^Package (\S+) \(([^)]+)\) not found\.")
    if hit:
        return Diagnosis(package=f"{hit[1].group(1)}=={hit[1].group(2)}", failure="was not found on the package index",
                         evidence=[hit[1].group(0)], kind="missing")
    return None
