"""dkenv/shell/refresh.py: the shims follow a new project container."""
from __future__ import annotations

from dkenv.containers import convergence
from dkenv.containers.convergence import Action
from dkenv.engine.spec import ContainerSpec
from dkenv.shell import refresh


def action(verb, role):
    return Action(verb, f"dkenv-demo-{role}", ContainerSpec(name=f"dkenv-demo-{role}", role=role, image="i"))


def test_only_a_new_project_container_rehashes():
    assert refresh.app_is_new([action(convergence.RECREATE, "app")])
    assert refresh.app_is_new([action(convergence.NOOP, "db"), action(convergence.CREATE, "app")])
    assert not refresh.app_is_new([action(convergence.RECREATE, "worker"), action(convergence.START, "app")])
    assert not refresh.app_is_new([action(convergence.NOOP, "app"), Action(convergence.REMOVE, "old")])
