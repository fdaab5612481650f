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
would). Packages from git or a path have no hashes: with one in the lock, or without a
lock of the project's own, the export is installed without hash checking.

Defaults follow `poetry install`: the main dependencies and every group not marked
`optional = true`; no extras. `main` is always installed; image.groups names the others.
"""
from __future__ import annotations

import shlex
from pathlib import Path

from dkenv import declared
from dkenv.manifests.dependencies import normalize, pyproject_requirements
from dkenv.installers import standard
from dkenv.installers.base import PIP, Choices, Folder, Found, Inputs, Installer, editable_step, load_toml
from dkenv.imagepaths import TOOLS

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
        return [*([] if plan.locked else [f"{poetry} lock"]), export, f"{PIP} -r {EXPORT}", *editable_step(plan)]
