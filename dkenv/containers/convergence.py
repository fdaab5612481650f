"""The convergence plan: what to do with each container, decided before anything acts.

Pure: it compares the wanted specs with the containers that exist (their labels),
like docker-compose's convergence_plan, and returns one action per container.
"""
from __future__ import annotations

from dataclasses import dataclass

from dkenv.engine.spec import ContainerSpec, ContainerState

CREATE, RECREATE, START, UNPAUSE, NOOP, REMOVE = "create", "recreate", "start", "unpause", "noop", "remove"


@dataclass
class Action:
    verb: str  # create | recreate | start | unpause | noop | remove
    name: str
    spec: ContainerSpec | None = None  # None for remove
    reason: str = ""


def convergence_plan(specs: list[ContainerSpec], existing: dict[str, ContainerState]) -> list[Action]:
    """One action per wanted container (in the given order), then removals of the rest."""
    actions = []
    for spec in specs:
        have = existing.get(spec.name)
        if have is None:
            actions.append(Action(CREATE, spec.name, spec, "not created yet"))
        elif have.config_hash != spec.config_hash():
            actions.append(Action(RECREATE, spec.name, spec, "its configuration or image changed"))
        elif have.status == "paused":
            actions.append(Action(UNPAUSE, spec.name, spec, "it is paused"))
        elif not have.running:
            actions.append(Action(START, spec.name, spec, f"it is {have.status}"))
        else:
            actions.append(Action(NOOP, spec.name, spec, "up to date"))
    wanted = {s.name for s in specs}
    for name in sorted(set(existing) - wanted):
        actions.append(Action(REMOVE, name, None, "no longer in .dkenv.toml"))
    return actions
