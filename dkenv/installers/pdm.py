"""PDM: pdm.lock (made first with `pdm lock` when the project has none) exported by
`pdm export` to a requirements file of pinned, hashed versions, which pip installs into
the project venv, like the Poetry and Pipenv installers: one install path (pip and the
index's simple API) for every lock.

PDM calls both extras ([project.optional-dependencies]) and dev groups
([dependency-groups], the older [tool.pdm.dev-dependencies]) "groups", and installs by
default every group its lock holds (`pdm lock` locks the default and dev groups; `-G`
adds optional ones). Unset, dkenv follows that: `pdm export` without group options. Set,
`-G` for each extra and group named (`--prod` when no group is), and each must be in the
lock: `pdm export` would skip a missing one silently. Without a lock, `pdm lock -G :all`
locks every group first. The export keeps the lock's hashes unless it holds VCS or
path packages (which have none).

A failed `pdm lock` (a conflict, a package not found) is recognised in PDM's words
(`recognise`); pip's installing the export are pip.py's.

PDM comes from PyPI as `pdm[locked]`: the versions of its dependencies it was released
with (a newer hishel broke a plain `pip install pdm`).
"""
from __future__ import annotations

import shlex
from pathlib import Path

from dkenv import declared
from dkenv.manifests.dependencies import normalize, pyproject_requirements
from dkenv.errors import ConfigError
from dkenv.installers import standard
from dkenv.installers.base import Choices, Folder, Found, Inputs, Installer, editable_step, load_toml
from dkenv.installers.failures import Diagnosis, find, indented_after
from dkenv.imagepaths import TOOLS, VENV

EXPORT = "/tmp/dkenv-pdm.txt"
UNHASHED = {"git", "hg", "svn", "bzr", "path"}  # pdm.lock keys of packages that have no hashes
BACKEND_ONLY = {"build", "version"}  # [tool.pdm] tables pdm-backend reads: not a PDM-managed project


def read_lock(root: Path) -> dict | None:
    try:
        return load_toml(root / "pdm.lock")
    except ConfigError:
        return None


def locked_groups(lock: dict | None) -> list[str] | None:
    """The groups pdm.lock holds (its [metadata] groups), None without a lock."""
    if lock is None:
        return None
    return [g for g in lock.get("metadata", {}).get("groups", []) if isinstance(g, str)]


def hashed(lock: dict | None) -> bool:
    """Can the lock's export be installed with hash checking (a lock, and no VCS or path packages)?"""
    packages = (lock or {}).get("package", [])
    return lock is not None and not any(isinstance(p, dict) and UNHASHED & set(p) for p in packages)


class Pdm(Installer):
    name = "pdm"
    installs_project = True
    priority = 25
    tools = ("pdm[locked]",)
    manifests = ("pyproject.toml", "pdm.lock", ".pdm.toml", "pdm.toml")
    lock_file = "pdm.lock"

    def claims(self, folder: Folder) -> bool:
        pdm = (folder.pyproject or {}).get("tool", {}).get("pdm", {})
        return declared.path(folder.root / "pdm.lock").is_file() or bool(set(pdm) - BACKEND_ONLY)

    def read(self, folder: Folder) -> Found:
        lock = " and pdm.lock" if declared.path(folder.root / "pdm.lock").is_file() else ""
        notes = [f"dependencies: pdm (pyproject.toml{lock})"]
        return Found(names=pyproject_requirements(folder.pyproject or {}, folder.pythons, notes), notes=notes)

    def choices(self, folder: Folder) -> Choices:
        data = folder.pyproject or {}
        extras = standard.extra_names(data)
        legacy = data.get("tool", {}).get("pdm", {}).get("dev-dependencies", {})
        groups = standard.group_names(data)
        known = {normalize(g) for g in groups}
        groups += [g for g in (legacy if isinstance(legacy, dict) else {}) if normalize(g) not in known]
        locked = locked_groups(read_lock(folder.root))
        held = {normalize(g) for g in locked} if locked is not None else None
        return Choices(extras=extras, groups=groups,
                       default_extras=[e for e in extras if held is not None and normalize(e) in held],
                       default_groups=[g for g in groups if held is None or normalize(g) in held],
                       extras_from=standard.OPTIONAL, held=locked,
                       groups_from="pyproject.toml [dependency-groups] and [tool.pdm.dev-dependencies]")

    def inputs(self, root: Path, requirements: list[str], detected, *,
               extras: list[str] | None = None, groups: list[str] | None = None) -> Inputs:
        files = self.manifest_files(root)
        choices = self.choices(Folder.load(root))
        extras, groups = self.select(root, extras, groups, choices)
        lock = read_lock(root)
        if extras is None and groups is None:
            return Inputs(files=files, hashes=hashed(lock))  # pdm's own default: every locked group
        extras = choices.default_extras if extras is None else extras
        groups = choices.default_groups if groups is None else groups
        locked = locked_groups(lock)
        for name in [*extras, *groups] if locked is not None else []:
            if normalize(name) not in {normalize(g) for g in locked}:
                raise ConfigError(f"dkenv: image.{'extras' if name in extras else 'groups'}: {name!r} is not in "
                                  f"pdm.lock (it holds {', '.join(locked)}); add it with `pdm lock -G {name}`")
        return Inputs(files=files, extras=extras, groups=groups, hashes=hashed(lock))

    def steps(self, plan) -> list[str]:
        pdm = f"PDM_CHECK_UPDATE=false PDM_PYTHON={VENV}/bin/python {TOOLS}/bin/pdm"
        export = f"{pdm} export --format requirements --output {EXPORT}"
        if plan.extras is not None or plan.groups is not None:
            export += "".join(f" -G {shlex.quote(g)}" for g in [*(plan.extras or []), *(plan.groups or [])])
            if not plan.groups:
                export += " --prod"
        if not plan.hashes:
            export += " --no-hashes"
        # without a lock, every group is locked: the export then picks
        return [*([] if plan.locked else [f"{pdm} lock -G :all"]), export, f"{self.install_command(plan)} -r {EXPORT}", *editable_step(plan)]

    def newer(self, name: str) -> str:
        return f"update pdm.lock: `pdm update {name}`"

    def recognise(self, lines: list[str]) -> Diagnosis | None:
        if not find(lines, r"Lock failed|^\[(ResolutionError|CandidateNotFound)\]"):
            return None
        found = _lock_failure(lines)
        if found is not None:
            found.stage = "locking (pdm lock)"
        return found


def _lock_failure(lines: list[str]) -> Diagnosis | None:
    """`pdm lock`'s: no candidates for a name, no resolution (a conflict, or no release that matches)."""
    hit = find(lines, r"^\[CandidateNotFound\]: (Unable to find candidates for (\S+?)\.?(?:\s.*)?)$")
    if hit:
        return Diagnosis(package=hit[1].group(2), failure="was not found on the package index",
                         evidence=[hit[1].group(1).rstrip(".")], kind="missing")
    hit = find(lines, r"Unable to find a resolution for (\S+)")
    if hit is None:
        return None
    conflicts = find(lines, r"because of the following conflicts:", hit[0])
    if conflicts:
        return Diagnosis(package=hit[1].group(1), failure="has conflicting requirements",
                         evidence=indented_after(lines, conflicts[0]), kind="conflict")
    return Diagnosis(package=hit[1].group(1), failure="has no release that matches", kind="missing")
