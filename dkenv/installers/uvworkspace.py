"""The uv installer's build context: a project, or a uv workspace, without its source.

For a folder that is the root or a member of a uv workspace (manifests/workspace.py), the
context holds the workspace root's `pyproject.toml`, `uv.lock` and `.python-version` and
every member's `pyproject.toml`, laid out as in the project, and `uv sync` runs with
`--no-install-workspace` (plus `--package NAME` when the folder is a member): the
third-party dependencies install as `uv sync` in that folder would install them. The
workspace packages uv would install editable are then installed from editable wheels
dkenv makes (installers/editable.py), pointing at their mounted source.

A plain uv project is the same with one package: `--no-install-project`, and its own
editable wheel when uv.lock says uv installs it (it has a build system).
"""
from __future__ import annotations

from pathlib import Path

from dkenv import declared
from dkenv.manifests import workspace as uvws
from dkenv.manifests.dependencies import valid_name
from dkenv.errors import ConfigError
from dkenv.installers import editable
from dkenv.installers.base import EDITABLES, Inputs, read_manifest
from dkenv.imagepaths import CONTEXT_MANIFESTS

ROOT_FILES = ("pyproject.toml", "uv.lock", ".python-version")


def uv_inputs(folder: Path) -> Inputs:
    """The context files and `uv sync` arguments for installing `folder` with uv."""
    folder = Path(folder).absolute()
    ws = uvws.find_workspace(folder)
    if ws is None:
        return _plain(folder)
    member = ws.member_at(folder)
    files = _copies(ws.root, [*ROOT_FILES, *(f"{m}/pyproject.toml" for m in ws.members if m != ".")])
    args = ["--no-install-workspace"]
    if member is not None and member.path != "." and member.name:
        args += ["--package", member.name]
        selected = [member.name]
    elif member is not None and member.name:  # the root is a project: uv syncs it
        selected = [member.name]
    else:  # a virtual root: uv syncs every member
        selected = [m.name for m in ws.members.values() if m.name]
    return _with_editables(ws.root, files, args, selected, ws.members)


def _plain(folder: Path) -> Inputs:
    files = _copies(folder, ROOT_FILES)
    if f"{CONTEXT_MANIFESTS}/pyproject.toml" not in files:
        raise ConfigError(f"dkenv: image.install is uv but {folder}/pyproject.toml is missing")
    data = uvws.load_toml(folder / "pyproject.toml") or {}
    name = (data.get("project") or {}).get("name")
    if not isinstance(name, str):
        return Inputs(files=files, args=["--no-install-project"])
    return _with_editables(folder, files, ["--no-install-project"], [name], {".": uvws.Member(".", name, data)})


def _copies(root: Path, rels) -> dict[str, bytes]:
    return {f"{CONTEXT_MANIFESTS}/{rel}": read_manifest(root, rel) for rel in rels
            if declared.path(root / rel).is_file()}


def _with_editables(root: Path, files: dict[str, bytes], args: list[str], selected: list[str],
                    members: dict[str, uvws.Member]) -> Inputs:
    """Add the editable wheels of the workspace packages uv would install for `selected`."""
    wheels = []
    for path, name, version in _installed(root, selected, members):
        member = members.get(path)
        if member is None or not valid_name(name):  # not a member found by the globs, or a broken lock
            continue
        filename, content = editable.editable_wheel(name, version, root / path if path != "." else root,
                                                    member.pyproject)
        files[f"{CONTEXT_MANIFESTS}/{EDITABLES}/{filename}"] = content
        wheels.append(f"{EDITABLES}/{filename}")
    return Inputs(files=files, args=args, editables=wheels)


def _installed(root: Path, selected: list[str], members: dict[str, uvws.Member]) -> list[tuple[str, str, str | None]]:
    """(path, name, version) of each workspace package `uv sync` installs editable: from
    uv.lock; without one, the selected packages that have a build system."""
    lock = uvws.load_toml(root / "uv.lock")
    if lock is not None:
        return [(p.path, p.name, p.version) for p in uvws.installed_locals(lock, selected)]
    return [(m.path, m.name, None) for m in members.values()
            if m.name in selected and _packaged(m.pyproject)]


def _packaged(pyproject: dict) -> bool:
    """uv installs a project when it has a build system, unless `tool.uv.package` says otherwise."""
    package = ((pyproject.get("tool") or {}).get("uv") or {}).get("package")
    return package if isinstance(package, bool) else "build-system" in pyproject
