"""Whose containers these are: a container is this project's only if its `dkenv.root`
label is this project's root. Another live project's containers are never adopted
(two folders reaching the same name through a lost registry); the containers of a
root that holds no project any more (a moved folder) are adopted, with a message."""
from __future__ import annotations

from pathlib import Path

from dkenv.containers.spec import LABEL_ROOT, ContainerState
from dkenv.errors import FatalError
from dkenv.project.config import CONFIG_NAME


def claim(project, existing: dict[str, ContainerState], say) -> dict[str, ContainerState]:
    """The containers of `existing` that are this project's; FatalError for another live project's."""
    mine = str(project.root)
    foreign: dict[str, list[str]] = {}
    for name, state in existing.items():
        root = state.labels.get(LABEL_ROOT, "")
        if root != mine:
            foreign.setdefault(root, []).append(name)
    for root, names in sorted(foreign.items()):
        listing = ", ".join(sorted(names))
        if root and (Path(root) / CONFIG_NAME).is_file():
            raise FatalError(f"dkenv: {listing} belong to the project at {root}, not to {mine}; nothing was "
                             f"changed. Give this project a name of its own ([project] name in {CONFIG_NAME}), "
                             f"or stop the other one: dkenv -C {root} down")
        say(f"dkenv: adopting {listing} of {root or 'an unknown folder'} (no project there any more: moved here?)")
    return existing
