"""dkenv/containers/workers.py: which services are watched after `up`, and what fails it."""
from __future__ import annotations

import pytest

from dkenv.containers import convergence, workers
from dkenv.containers.convergence import Action
from dkenv.engine.spec import ContainerSpec, Healthcheck
from dkenv.errors import FatalError
from tests.unit.fakeengine import FakeDocker, engine

IMAGE = "dkenv/demo:0123abcd"


def spec(role, image=IMAGE, healthcheck=None):
    return ContainerSpec(name=f"dkenv-demo-{role}", role=role, image=image, healthcheck=healthcheck)


def test_the_started_project_image_services_without_a_healthcheck_are_watched():
    actions = [
        Action(convergence.CREATE, "w1", spec("worker")),
        Action(convergence.START, "w2", spec("beat")),
        Action(convergence.NOOP, "w3", spec("flower")),  # already running: not started now
        Action(convergence.RECREATE, "db", spec("db", image="postgres:15")),  # not the project image
        Action(convergence.CREATE, "web", spec("web", healthcheck=Healthcheck("true"))),  # waited for already
        Action(convergence.RECREATE, "app", spec("app")),  # the project container
        Action(convergence.REMOVE, "old"),
    ]
    assert [s.role for s in workers.started_workers(actions)] == ["worker", "beat"]
    assert workers.started_workers(actions[:-2]) == []  # no project container: no project image to tell


def an_engine(states: dict[str, list[tuple[str, int]]]):
    """Workers that go through these (status, exit code), one per poll; their log."""
    docker = FakeDocker()
    for name, steps in states.items():
        docker.seed(name, image=IMAGE)
        docker.timeline[name] = [{"Status": status, "ExitCode": code} for status, code in steps]
        docker.logs_text[name] = b"Traceback (most recent call last):\nImportError: no celery"
    return engine(docker)


def st(status, code=0):
    return status, code


def test_a_worker_that_exits_with_a_failure_fails_with_its_log_tail():
    eng = an_engine({"dkenv-demo-worker": [st("running"), st("exited", 1)]})
    said = []
    with pytest.raises(FatalError) as info:
        workers.check(eng, [spec("worker")], said.append, grace=5)
    message = str(info.value)
    assert message.startswith("dkenv: service worker exited with status 1 right after it started")
    assert "  | ImportError: no celery" in message


def test_a_running_worker_passes_and_a_one_shot_task_is_mentioned():
    eng = an_engine({"dkenv-demo-worker": [st("running")], "dkenv-demo-task": [st("exited", 0)]})
    said = []
    workers.check(eng, [spec("worker"), spec("task")], said.append, grace=0.3)
    assert "dkenv: service task ended with status 0 right after it started (a one-shot task?)" in said
    workers.check(eng, [], said.append)  # nothing started: no wait


def test_a_command_that_only_starts_the_project_reports_a_dead_worker_and_goes_on():
    eng = an_engine({"dkenv-demo-worker": [st("exited", 1)]})
    actions = [Action(convergence.CREATE, "w", spec("worker")), Action(convergence.CREATE, "a", spec("app"))]
    said = []
    workers.after_up(eng, actions, said.append, fail=False)
    assert said and said[0].startswith("dkenv: service worker exited with status 1")
    with pytest.raises(FatalError):
        workers.after_up(eng, actions, said.append)
