"""uv workspaces: the workspace a folder belongs to, its members, and what its uv.lock
says about them.

A workspace root is a `pyproject.toml` with a `[tool.uv.workspace]` table; its members
are the folders its `members` globs match (each holding a `pyproject.toml`), minus those
its `exclude` globs match, plus the root itself when it is a project (`[project]`).
As uv does, a folder belongs to the first workspace root found walking up from it, if
that root includes it; the walk stops at the project root (the first folder holding
`.dkenv.toml`), because nothing outside the project is mounted in its container.

Pure logic: reads files, never runs anything.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dkenv import declared, tomltext
from dkenv.manifests.dependencies import normalize

CONFIG_NAME = ".dkenv.toml"  # project/schema.CONFIG_NAME (detect/ sits below project/)
_SKIP = {".git", ".venv", "node_modules", "__pycache__", ".dkenv", "data"}


@dataclass
class Member:
    path: str  # relative to the workspace root, '/'-separated; "." for the root
    name: str | None  # [project] name; None for a root without [project] (a "virtual" root)
    pyproject: dict = field(default_factory=dict)


@dataclass
class Workspace:
    root: Path
    members: dict[str, Member]  # path -> member, sorted by path; "." when the root is a project
    locked: bool  # uv.lock is at the root

    def member_at(self, folder: Path) -> Member | None:
        rel = _rel(folder, self.root)
        return self.members.get(rel) if rel is not None else None


def load_toml(path: Path) -> dict | None:
    """A TOML file's content; None when it is missing or not valid TOML."""
    try:
        return tomltext.loads(declared.path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def find_workspace(folder: Path) -> Workspace | None:
    """The uv workspace `folder` is the root or a member of, or None."""
    folder = Path(folder).absolute()
    for candidate in (folder, *folder.parents):
        data = load_toml(candidate / "pyproject.toml")
        table = _workspace_table(data)
        if table is not None:
            workspace = load_workspace(candidate, data, table)
            return workspace if candidate == folder or workspace.member_at(folder) else None
        if declared.path(candidate / CONFIG_NAME).is_file():
            return None
    return None


def load_workspace(root: Path, data: dict, table: dict) -> Workspace:
    members = {}
    if isinstance(data.get("project"), dict):
        members["."] = Member(".", _name(data), data)
    excluded = set(_globbed(root, table.get("exclude", [])))
    for rel in _globbed(root, table.get("members", [])):
        if rel in excluded or rel in members:
            continue
        pyproject = load_toml(root / rel / "pyproject.toml")
        if pyproject is not None:
            members[rel] = Member(rel, _name(pyproject), pyproject)
    return Workspace(root, dict(sorted(members.items())), declared.path(root / "uv.lock").is_file())


def _workspace_table(data: dict | None) -> dict | None:
    table = ((data or {}).get("tool") or {}).get("uv", {}).get("workspace")
    return table if isinstance(table, dict) else None


def _name(pyproject: dict) -> str | None:
    name = (pyproject.get("project") or {}).get("name")
    return name if isinstance(name, str) else None


def _globbed(root: Path, patterns) -> list[str]:
    """The folders (relative, '/'-separated) under `root` that the globs match."""
    found = []
    for pattern in patterns if isinstance(patterns, list) else []:
        if not isinstance(pattern, str) or not pattern.strip() or os.path.isabs(pattern):
            continue
        pattern = pattern.strip().removeprefix("./").rstrip("/")
        try:
            matches = [root] if pattern in ("", ".") else declared.glob(root, pattern)
            for path in matches:
                rel = _rel(path, root)
                if path.is_dir() and rel is not None and not set(rel.split("/")) & _SKIP:
                    found.append(rel)
        except (ValueError, OSError):  # a pattern Path.glob refuses
            continue
    return sorted(set(found))


def _rel(path: Path, root: Path) -> str | None:
    try:
        rel = os.path.normpath(os.path.relpath(path, root))
    except ValueError:
        return None
    return None if rel.startswith("..") else rel.replace(os.sep, "/")


@dataclass
class LockedPackage:
    name: str
    path: str  # relative to the workspace root
    editable: bool  # uv installs it (editable); False: virtual (only its dependencies)
    version: str | None
    depends: set[str] = field(default_factory=set)  # every dependency name, groups and extras included


def local_packages(lock: dict) -> dict[str, LockedPackage]:
    """The uv.lock's packages that live in the workspace (source editable or virtual)."""
    found = {}
    for entry in lock.get("package", []) if isinstance(lock.get("package"), list) else []:
        source = entry.get("source") or {}
        kind = "editable" if "editable" in source else "virtual" if "virtual" in source else None
        if kind is None or not isinstance(entry.get("name"), str):
            continue
        depends = {d.get("name") for d in entry.get("dependencies", []) if isinstance(d, dict)}
        for table in ("optional-dependencies", "dev-dependencies"):
            for deps in (entry.get(table) or {}).values():
                depends |= {d.get("name") for d in deps if isinstance(d, dict)}
        found[normalize(entry["name"])] = LockedPackage(
            entry["name"], str(source[kind]).replace("\\", "/"), kind == "editable",
            entry.get("version"), {normalize(n) for n in depends if isinstance(n, str)})
    return found


def installed_locals(lock: dict, selected: list[str]) -> list[LockedPackage]:
    """The workspace packages `uv sync` installs for the `selected` ones: they and the local
    packages they depend on, transitively; only the editable ones (uv does not install
    a virtual one). Sorted by path."""
    local = local_packages(lock)
    pending = [normalize(name) for name in selected]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen or name not in local:
            continue
        seen.add(name)
        pending += sorted(local[name].depends & set(local))
    return sorted((local[n] for n in seen if local[n].editable), key=lambda p: p.path)
