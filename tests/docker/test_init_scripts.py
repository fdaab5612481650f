"""`[services.NAME] init` on a real engine: postgres runs the project's init scripts on its first
initialisation (the second database a project's tests need exists), not on data that exists
(a script added later does nothing), and again after `down --purge NAME`.

The official postgres image runs /docker-entrypoint-initdb.d itself. A machine whose
postgres:15 is a stand-in without that rule (built from Debian packages; its entrypoint
never names the folder) gets, for this test, an image FROM it whose entrypoint adds the
official rule in a few lines: what is tested is dkenv's part (the mounts, the recreate,
the purge), against an image that keeps the contract."""
from __future__ import annotations

import subprocess

import pytest

from tests.conftest import make_project
from tests.docker.conftest import SLIM_PYTHON
from tests.helpers import wait_until

pytestmark = pytest.mark.docker

CONFIG = SLIM_PYTHON + '[services.db]\ntemplate = "postgres"\nimage = "{image}"\ninit = {init}\n'
INIT_RULE = "dkenv-test/postgres-initdb:15"
DOCKERFILE = """\
FROM postgres:15
COPY initdb-entrypoint.sh /usr/local/bin/
ENTRYPOINT ["initdb-entrypoint.sh"]
CMD ["postgres"]
"""
# the official image's rule: on an empty data folder, after initdb and POSTGRES_DB, the files of
# /docker-entrypoint-initdb.d in the order of their names (.sql through psql, .sh sourced),
# on a server listening on no TCP port; then the image's own start
ENTRYPOINT = """\
#!/bin/bash
set -euo pipefail
if [[ "${1:-}" == postgres && $(id -u) -eq 0 ]]; then
  mkdir -p "$PGDATA" && chown -R postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [[ "${1:-}" == postgres && ! -s "$PGDATA/PG_VERSION" ]]; then
  docker-entrypoint.sh postgres --version >/dev/null
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sql) psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -q -f "$f" ;;
      *.sh) . "$f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
exec docker-entrypoint.sh "$@"
"""


@pytest.fixture(scope="module")
def postgres_image(docker_engine, tmp_path_factory) -> str:
    """postgres:15 when it runs init scripts itself, else the image above built FROM it."""
    script = subprocess.run(["docker", "run", "--rm", "--entrypoint", "sh", "postgres:15", "-c",
                             'cat "$(command -v docker-entrypoint.sh)"'], capture_output=True, text=True).stdout
    if "docker-entrypoint-initdb.d" in script:
        return "postgres:15"
    context = tmp_path_factory.mktemp("initdb")
    (context / "Dockerfile").write_text(DOCKERFILE)
    (context / "initdb-entrypoint.sh").write_text(ENTRYPOINT)
    (context / "initdb-entrypoint.sh").chmod(0o755)
    subprocess.run(["docker", "build", "-q", "-t", INIT_RULE, str(context)], check=True, capture_output=True)
    return INIT_RULE


def databases(container: str) -> set[str]:
    """The databases the server lists (`psql -lqt` inside the service's container)."""
    out = subprocess.run(["docker", "exec", container, "psql", "-U", "postgres", "-lqt"],
                         capture_output=True, text=True).stdout
    return {line.split("|")[0].strip() for line in out.splitlines() if "|" in line}


def container_id(container: str) -> str:
    return subprocess.run(["docker", "inspect", "-f", "{{.Id}}", container],
                          capture_output=True, text=True).stdout.strip()


@pytest.fixture
def project(postgres_image):
    project = make_project("initdb", {
        ".dkenv.toml": CONFIG.format(image=postgres_image, init='["db/create.sql"]'),
        "db/create.sql": "CREATE DATABASE web_dev;\nCREATE DATABASE web_test;\n",
        "db/more/later.sql": "CREATE DATABASE web_later;\n",
    })
    yield project
    project.dkenv("down", check=False)


def test_the_init_scripts_make_the_second_database_once_and_again_after_purge(project, postgres_image):
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
    project.config(CONFIG.format(image=postgres_image, init='["db/create.sql", "db/more/"]').replace("@NAME@", project.name))
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
