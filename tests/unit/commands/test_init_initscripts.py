"""`dkenv init` proposes `init` for a database service from the project's compose file: the
scripts its build Dockerfile adds to /docker-entrypoint-initdb.d (detect/initscripts.py)."""
from __future__ import annotations

from dkenv.project import config
from tests.unit.commands.test_init import init_run, project
from tests.unit.commands.test_init import no_local_images, state  # noqa: F401 - the same fixtures

TORTOISE = {
    "project/requirements.txt": "fastapi\nasyncpg\n",
    "project/app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
    "docker-compose.yml": "services:\n  web:\n    build: ./project\n  web-db:\n    build:\n"
                          "      context: ./project/db\n      dockerfile: Dockerfile\n",
    "project/db/Dockerfile": "FROM postgres:16\nADD create.sql /docker-entrypoint-initdb.d\n",
    "project/db/create.sql": "CREATE DATABASE web_dev;\nCREATE DATABASE web_test;\n",
}


def test_the_databases_a_build_dockerfile_creates_become_init(tmp_path):
    root = project(tmp_path, TORTOISE)
    code, lines = init_run(root)
    assert code == 0
    db = config.load(root).services["db"]
    assert db.template == "postgres" and db.init == ["project/db/create.sql"]
    text = (root / config.CONFIG_NAME).read_text()
    assert "# the init scripts project/db/Dockerfile (built by docker-compose.yml, services.web-db) gives it" in text
    assert "`dkenv down --purge db` runs them again" in text
    assert any("service db: init project/db/create.sql (project/db/Dockerfile" in line for line in lines)


def test_without_init_scripts_init_stays_commented(tmp_path):
    files = {k: v for k, v in TORTOISE.items() if not k.startswith("project/db/")}
    root = project(tmp_path, files)
    init_run(root)
    assert config.load(root).services["db"].init == []
    assert "# init = []  # scripts of the project" in (root / config.CONFIG_NAME).read_text()
