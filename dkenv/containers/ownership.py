"""Whose containers these are: a container is this project's only if its `dkenv.root`
label is this project's root (or the same folder reached by another path). Another live
project's containers are never adopted (two folders reaching the same name through a
lost registry); the containers of a root that holds no project any more (a moved
folder) are adopted, with a message, and `up` recreates them to mount the new root."""
from __future__ import annotations

import os

from dkenv.engine.spec import LABEL_ROOT, ContainerState
from dkenv.errors import FatalError
from dkenv.project import registry
from dkenv.project.config import CONFIG_NAME

MINE, OTHER, GONE = "mine", "other", "gone"


def owner(root: str, mine: str) -> str:
    """MINE, OTHER (a folder that holds a project: another live one) or GONE (no project there
    any more: the folder moved or was deleted)."""
    if root == mine:
        return MINE
    if not root or not registry.holds_project(root):
        return GONE
    try:
        return MINE if os.path.samefile(root, mine) else OTHER
    except OSError:
        return OTHER


def by_owner(mine: str, existing: dict[str, ContainerState]) -> dict[str, dict[str, list[str]]]:
    """{OTHER: {root: names}, GONE: {root: names}} for the containers that are not plainly mine."""
    sorted_out: dict[str, dict[str, list[str]]] = {OTHER: {}, GONE: {}}
    for name, state in sorted(existing.items()):
        root = state.labels.get(LABEL_ROOT, "")
        whose = owner(root, mine)
        if whose != MINE:
            sorted_out[whose].setdefault(root, []).append(name)
    return sorted_out


ADOPT = "adopting {they}, with this folder mounted instead"


def claim(project, existing: dict[str, ContainerState], say, adopt: str = ADOPT) -> dict[str, ContainerState]:
    """The containers of `existing` that are this project's; FatalError for another live project's.
    `adopt` says what becomes of a moved folder's ({they}: it or them)."""
    mine = str(project.root)
    found = by_owner(mine, existing)
    for root, names in sorted(found[OTHER].items()):
        raise FatalError(f"dkenv: {', '.join(names)} belong to the project at {root}, not to {mine}; nothing was "
                         f"changed. Give this project a name of its own ([project] name in {CONFIG_NAME}), "
                         f"or stop the other one: dkenv -C {root} down")
    for root, names in sorted(found[GONE].items()):
        they = "it" if len(names) == 1 else "them"
        say(f"dkenv: {', '.join(names)} belonged to {root or 'an unknown folder'}, which holds no project any "
            f"more (moved to {mine}?): {adopt.format(they=they)}")
    return existing
