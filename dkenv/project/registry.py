"""The name registry, `projects.json` in the user's state dir: "ROOT\\0WANTED" -> the unique name.

A lost registry must not let a second folder with the same name take an existing
project's name (and so its containers and its data's service containers). When the file
is missing, or corrupt (then kept aside as `projects.json.corrupt` and reported once),
it is rebuilt from what Docker knows: every dkenv container and image carries the
`dkenv.root` and `dkenv.project` labels. Asking the Engine happens only then, with a
short timeout; when it cannot be reached the names are used but not written, so the
next command tries again.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from dkenv import declared, fileio, hashing, paths
from dkenv.errors import FatalError
from dkenv.project.config import CONFIG_NAME

NAME = "projects.json"
ENGINE_TIMEOUT = 5  # seconds: a rebuild must not hang a command on an unreachable Engine


def root_hash(root: Path | str) -> str:
    return hashing.sha256(str(root).encode())[:6]


def holds_project(root: Path | str) -> bool:
    """Does the folder hold a `.dkenv.toml`? A folder we may not look into (another user's)
    counts as holding one: its name stays taken, its containers are never adopted."""
    try:
        return declared.path(Path(root) / CONFIG_NAME).is_file()
    except OSError:
        return True


def path() -> Path:
    return paths.state_dir() / NAME


def key(root: Path | str, wanted: str) -> str:
    return f"{root}\0{wanted}"


def wanted_of(name: str, root: str) -> str:
    """The name a project asked for, from the unique name it got: `NAME-<hash of its root>` -> NAME."""
    suffix = f"-{root_hash(root)}"
    return name[: -len(suffix)] if name.endswith(suffix) and len(name) > len(suffix) else name


def from_labels(found: list[tuple[str, str, bool]]) -> dict[str, str]:
    """A registry from (root, unique name, from a container) label pairs: one root per name,
    a container's before an image's, a folder that still holds a project before one that does not."""
    def rank(item):
        root, _, container = item
        return (not container, not holds_project(root))

    registry: dict[str, str] = {}
    taken: set[str] = set()
    for root, name, _ in sorted(found, key=rank):
        if not root or not name or name in taken:
            continue
        taken.add(name)
        registry[key(root, wanted_of(name, root))] = name
    return registry


def labelled() -> list[tuple[str, str, bool]] | None:
    """(root, name, is a container) from the Engine's labels; None when it cannot be reached."""
    from dkenv.engine import engine

    declared.beyond()  # what the Engine says is not a file's state
    try:
        return engine.connect(timeout=ENGINE_TIMEOUT).labelled_projects()
    except FatalError:
        return None


def _read(file: Path) -> dict[str, str] | None:
    """The table; None when missing, or corrupt (kept aside once, with a message)."""
    try:
        registry = json.loads(declared.path(file).read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        registry = None
    if isinstance(registry, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in registry.items()):
        return registry
    aside = file.with_name(file.name + ".corrupt")
    try:
        file.replace(aside)
        where = f"kept as {aside}"
    except OSError:
        where = "left as it is"
    print(f"dkenv: {file} was not a table of project names ({where}); rebuilding it from Docker's labels",
          file=sys.stderr)
    return None


def load() -> tuple[dict[str, str], bool]:
    """The registry, rebuilt from the labels when missing or corrupt; and whether it may be written
    (not when the rebuild could not ask the Engine)."""
    file = path()
    registry = _read(file)
    if registry is not None:
        return registry, True
    found = labelled()
    if found is None:
        return {}, False
    registry = from_labels(found)
    if registry:
        print(f"dkenv: {file} rebuilt from Docker's labels: {len(registry)} project name(s)", file=sys.stderr)
    return registry, True


def save(registry: dict[str, str]) -> None:
    try:
        paths.ensure_state_dir()
        fileio.write_atomic(path(), json.dumps(registry, indent=1, sort_keys=True))
    except (OSError, FatalError):
        pass  # an unwritable state dir: the plain name still works for a single project
