"""Packages installed by hand (`pip install` in the container) are named before they are lost.

A `pip install` in the project container writes into the container's own layer, which a
recreate (a config or image change) or `down` throws away. The Engine knows exactly what
the container added to its image (`docker diff`, also for a stopped container): the
`*.dist-info` folders it added under the venv are the distributions installed by hand.
Before a recreate they are compared with the new image's (read only when the image
changes, and only when something was installed by hand), and what will be gone is named
with the file to add it to (image.requirements' first, else the one the installer
declares its dependencies in: `Installer.declared_in`). Nothing is refused: the message
is the point. The Engine's diff walks the container's files (seconds for a large venv on
some engines), so `prefetch` asks for it as soon as a recreate is decided, while the image
is built, and `warn_before_recreate` takes that answer.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from dkenv import installers
from dkenv.containers import convergence
from dkenv.engine.engine import Engine
from dkenv.engine.spec import APP_ROLE, ContainerState
from dkenv.manifests.dependencies import normalize
from dkenv.imagepaths import VENV

ADDED = 1  # the Kind of an added path in the Engine's container changes
_DIST_INFO = re.compile(rf"^{re.escape(VENV)}/lib/python[^/]+/site-packages/([^/]+)-([^/-]+)\.dist-info$")
LIST_IMAGE = f"ls -1d {VENV}/lib/python*/site-packages/*.dist-info 2>/dev/null; exit 0"
_pending: dict[str, tuple[threading.Thread, dict]] = {}  # container name -> the diff being asked for


@dataclass(frozen=True)
class Lost:
    name: str
    version: str
    image_version: str | None = None  # the new image has this version instead

    def __str__(self) -> str:
        instead = f" (the image has {self.image_version})" if self.image_version else ""
        return f"{self.name} {self.version}{instead}"


def dists(paths: list[str]) -> dict[str, tuple[str, str]]:
    """normalized name -> (name, version) for the venv's `*.dist-info` folders among `paths`."""
    found = {}
    for path in paths:
        match = _DIST_INFO.match(path.rstrip("/"))
        if match:
            found[normalize(match.group(1))] = (match.group(1), match.group(2))
    return found


def added_by_hand(changes: list[tuple[str, int]]) -> dict[str, tuple[str, str]]:
    """The distributions a container added to its image: its added `*.dist-info` folders."""
    return dists([path for path, kind in changes if kind == ADDED])


def lost(by_hand: dict[str, tuple[str, str]], image: dict[str, tuple[str, str]] | None) -> list[Lost]:
    """What a new container of `image` will not have (image None: nothing of them)."""
    gone = []
    for key, (name, version) in sorted(by_hand.items()):
        has = (image or {}).get(key)
        if has is None:
            gone.append(Lost(name, version))
        elif has[1] != version:
            gone.append(Lost(name, version, has[1]))
    return gone


def where_to_add(install: str, requirements: list[str]) -> str:
    """The file a dependency of this project is declared in."""
    if requirements:
        return requirements[0]
    if install in installers.names():
        return installers.get(install).declared_in
    if install == "none":
        return 'requirements.txt (with install = "pip" in [image])'
    return "the project's dependencies"


def message(container: str, gone: list[Lost], when: str, install: str, requirements: list[str]) -> str:
    """One line: what was installed by hand and will be gone, and how to keep it."""
    many = len(gone) > 1
    listing = ", ".join(str(g) for g in gone)
    return (f"dkenv: {listing} {'were' if many else 'was'} installed by hand in {container} and "
            f"{when}: add {'them' if many else 'it'} to {where_to_add(install, requirements)} to keep "
            f"{'them' if many else 'it'} in the image")


def _recreated(project, actions: list[convergence.Action], existing: dict[str, ContainerState]):
    """(the project container's state, its action) when it is to be recreated, else None."""
    action = next((a for a in actions if a.spec is not None and a.spec.role == APP_ROLE), None)
    have = existing.get(project.container)
    if action is None or action.verb != convergence.RECREATE or have is None:
        return None
    return have, action


def prefetch(project, engine: Engine, actions: list[convergence.Action], existing: dict[str, ContainerState]) -> None:
    """Ask for the project container's diff in the background when it is to be recreated."""
    found = _recreated(project, actions, existing)
    if found is None:
        return
    box: dict = {}
    thread = threading.Thread(target=lambda: box.update(changes=engine.changes(found[0].name)), daemon=True)
    thread.start()
    _pending[found[0].name] = (thread, box)


def _changes(engine: Engine, name: str) -> list[tuple[str, int]]:
    """The container's diff: the prefetched answer, else asked now."""
    thread, box = _pending.pop(name, (None, {}))
    if thread is not None:
        thread.join()
    return box["changes"] if "changes" in box else engine.changes(name)


def warn_before_recreate(project, engine: Engine, actions: list[convergence.Action],
                         existing: dict[str, ContainerState], install: str, out) -> None:
    """Before the project container is recreated: name what was installed by hand and the new image lacks."""
    found = _recreated(project, actions, existing)
    if found is None:
        return
    have, action = found
    by_hand = added_by_hand(_changes(engine, have.name))
    if not by_hand:
        return
    image: dict[str, tuple[str, str]] = {}  # the same image: it has none of them
    if have.image != action.spec.image:
        code, listing = engine.run_once(action.spec.image, ["sh", "-c", LIST_IMAGE], [])
        image = dists(listing.decode(errors="replace").split()) if code == 0 else {}
    gone = lost(by_hand, image)
    if gone:
        out(message(have.name, gone, "will be gone once it is recreated", install,
                    list(project.config.image.requirements)))


def warn_before_removal(project, engine: Engine, existing: dict[str, ContainerState], out) -> None:
    """Before `down` removes the project container: name what was installed by hand."""
    have = existing.get(project.container)
    if have is None:
        return
    gone = lost(added_by_hand(engine.changes(have.name)), None)
    if gone:
        out(message(have.name, gone, "will be gone with the container", project.config.image.install,
                    list(project.config.image.requirements)))
