"""A service's data on a real engine: Redis keeps what it acknowledged through a kill; a data
folder is refused to another kind of service; a changed credential is said."""
from __future__ import annotations

import subprocess

import pytest

from tests.conftest import make_project
from tests.helpers import wait_until
from tests.docker.conftest import SLIM_PYTHON

pytestmark = pytest.mark.docker

REDIS = SLIM_PYTHON + '[services.cache]\ntemplate = "redis"\nversion = "7"\n'
POSTGRES = SLIM_PYTHON + '[services.db]\ntemplate = "postgres"\nversion = "15"\n'


def redis_cli(container: str, *words: str) -> str:
    return subprocess.run(["docker", "exec", container, "redis-cli", *words],
                          capture_output=True, text=True, timeout=60).stdout.strip()


def state(container: str) -> str:
    return subprocess.run(["docker", "inspect", "-f", "{{.State.Status}}", container],
                          capture_output=True, text=True).stdout.strip()


def project_up(name: str, config: str):
    """A project made and brought up, brought down after the test."""
    project = make_project(name, {".dkenv.toml": config})
    project.dkenv("up")
    yield project
    project.dkenv("down", check=False)


@pytest.fixture
def redis_project(docker_engine):
    yield from project_up("aof", REDIS)


def test_a_killed_redis_keeps_an_acknowledged_write(redis_project):
    cache = f"{redis_project.container}-cache"
    assert redis_cli(cache, "SET", "greeting", "hello") == "OK"
    # appendfsync everysec: the write reached the file before the reply; the kill (no shutdown
    # save) then tests that nothing but the append-only file kept it
    subprocess.run(["docker", "kill", cache], check=True, capture_output=True)
    assert (redis_project.root / "data" / "cache" / "appendonlydir").is_dir()
    redis_project.dkenv("up")
    wait_until(lambda: redis_cli(cache, "PING") == "PONG", "redis answering after the restart")
    assert redis_cli(cache, "GET", "greeting") == "hello"


@pytest.fixture
def postgres_project(docker_engine):
    yield from project_up("kinds", POSTGRES)


def test_another_kind_of_service_is_refused_on_the_data_and_a_new_password_is_said(postgres_project):
    db = f"{postgres_project.container}-db"
    named = POSTGRES.replace("@NAME@", postgres_project.name)
    postgres_project.config(named.replace('"postgres"\nversion = "15"', '"redis"\nversion = "7"'))
    result = postgres_project.dkenv("up", check=False)
    assert result.returncode == 1, result.stderr
    assert b"holds data written by postgres" in result.stderr and b"Nothing was stopped" in result.stderr
    assert state(db) == "running"
    assert (postgres_project.root / "data" / "db" / "PG_VERSION").read_text().strip() == "15"

    postgres_project.config(named + '[services.db.env]\nPOSTGRES_PASSWORD = "other"\n')
    result = postgres_project.dkenv("up")
    assert b"POSTGRES_PASSWORD of db changed" in result.stderr and b"down --purge db" in result.stderr
