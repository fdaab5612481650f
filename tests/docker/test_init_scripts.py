"""`[services.NAME] init` on a real engine: postgres runs the project's init scripts on its first
initialisation (the second database a project's tests need exists), not on data that exists
(a script added later does nothing), and again after `down --purge NAME`."""
from __future__ import annotations

import subprocess

import pytest

from tests.conftest import make_project
from tests.docker.conftest import SLIM_PYTHON
from tests.helpers import wait_until

pytestmark = pytest.mark.docker

CONFIG = SLIM_PYTHON + '[services.db]\ntemplate = "postgres"\nversion = "15"\ninit = {init}\n'


def databases(container: str) -> set[str]:
    """The databases the server lists (`psql -lqt` inside the service's container)."""
    out = subprocess.run(["docker", "exec", container, "psql", "-U", "postgres", "-lqt"],
                         capture_output=True, text=True).stdout
    return {line.split("|")[0].strip() for line in out.splitlines() if "|" in line}


def container_id(container: str) -> str:
    return subprocess.run(["docker", "inspect", "-f", "{{.Id}}", container],
                          capture_output=True, text=True).stdout.strip()


@pytest.fixture
def project(docker_engine):
    project = make_project("initdb", {
        ".dkenv.toml": CONFIG.format(init='["db/create.sql"]'),
        "db/create.sql": "CREATE DATABASE web_dev;\nCREATE DATABASE web_test;\n",
        "db/more/later.sql": "CREATE DATABASE web_later;\n",
    })
    yield project
    project.dkenv("down", check=False)


def test_the_init_scripts_make_the_second_database_once_and_again_after_purge(project):
    db = f"{project.container}-db"
    project.dkenv("up")
    found = wait_until(lambda: {"web_dev", "web_test"} <= databases(db) and databases(db),
                       "the databases of create.sql", detail=lambda: databases(db))
    assert "app" in found  # POSTGRES_DB: the image's own database is there too
    # the project container reaches it as its tests would: `database "web_test" does not exist` no more
    out = project.dkenv("exec", "python", "-c",
                        "import socket; socket.create_connection(('db', 5432), 5); print('reached')").stdout
    assert b"reached" in out

    # a folder added to `init`: the container is recreated, but the data exists, so nothing runs
    before = container_id(db)
    project.config(CONFIG.format(init='["db/create.sql", "db/more/"]'))
    project.dkenv("up")
    assert container_id(db) != before
    wait_until(lambda: "web_test" in databases(db), "the server back after the recreate",
               detail=lambda: databases(db))
    assert "web_later" not in databases(db)

    # the documented way to run them again: purge the data, then up
    project.dkenv("down", "--purge", "db", "--yes")
    project.dkenv("up")
    wait_until(lambda: {"web_dev", "web_test", "web_later"} <= databases(db), "every script run on new data",
               detail=lambda: databases(db))
