"""Services on a real engine: postgres and redis (the images available locally)."""
from __future__ import annotations

import json
import socket
import subprocess

import pytest

from tests.conftest import DJANGO_CONFIG, EXAMPLE, make_project
from tests.docker.conftest import SLIM_PYTHON, free_port
from tests.helpers import wait_until

pytestmark = pytest.mark.docker

REDIS_CLIENT = """
import os, socket, sys
from urllib.parse import urlparse
url = urlparse(os.environ["REDIS_URL"])
s = socket.create_connection((url.hostname, url.port or 6379))
def call(*words):
    s.sendall(("*%d\\r\\n" % len(words) + "".join("$%d\\r\\n%s\\r\\n" % (len(w), w) for w in words)).encode())
    return s.recv(1000).decode()
print(call(*sys.argv[1:]).split("\\r\\n")[-2])
"""

WORKER = """
import os, socket, time
from urllib.parse import urlparse
url = urlparse(os.environ["REDIS_URL"])
s = socket.create_connection((url.hostname, url.port or 6379))
while True:
    s.sendall(b"INCR ticks\\r\\n")
    s.recv(100)
    time.sleep(0.2)
"""


def containers_of(name: str) -> dict[str, str]:
    out = subprocess.run(["docker", "ps", "-a", "--filter", f"label=dkenv.project={name}",
                          "--format", "{{.Names}} {{.ID}}"], capture_output=True, text=True, check=True).stdout
    return dict(line.split() for line in out.splitlines())


def sql(project, query: str) -> str:
    code = ("import os, psycopg2; c = psycopg2.connect(os.environ['DATABASE_URL']); c.autocommit = True; "
            f"cur = c.cursor(); cur.execute({query!r}); print(cur.fetchall() if cur.description else 'ok')")
    return project.dkenv("exec", "python", "-c", code).stdout.decode().strip()


@pytest.fixture(scope="module")
def django_db(docker_engine):
    """A copy of examples/django-hello with its postgres `db`, owned by this module."""
    project = make_project("svc", {".dkenv.toml": DJANGO_CONFIG}, base=EXAMPLE)
    project.dkenv("up")
    yield project
    project.dkenv("down", check=False)


def test_migrate_runs_against_postgres_through_the_injected_url(django_db):
    env = django_db.dkenv("exec", "printenv", "DATABASE_URL").stdout.decode()
    assert env.startswith("postgres") and "@db:5432/" in env
    out = django_db.dkenv("exec", "python", "manage.py", "migrate", "--noinput").stdout.decode()
    assert "Applying hello.0001_initial... OK" in out or "No migrations to apply" in out
    assert "hello_greeting" in sql(django_db, "select tablename from pg_tables where tablename = 'hello_greeting'")


def test_status_lists_the_service_with_its_health(django_db):
    info = json.loads(django_db.dkenv("status", "--json").stdout)
    db = next(row for row in info["containers"] if row["role"] == "db")
    assert db["state"] == "running" and db["health"] == "healthy"


def test_a_row_survives_rebuild_down_up_and_purge_removes_it(django_db):
    django_db.dkenv("exec", "python", "manage.py", "migrate", "--noinput")
    sql(django_db, "insert into hello_greeting (text) values ('kept')")
    db_before = containers_of(django_db.name)[f"dkenv-{django_db.name}-db"]
    # a new project image (another requirement): the app is recreated, the db is not
    (django_db.root / "requirements.txt").write_text((django_db.root / "requirements.txt").read_text() + "six\n")
    django_db.dkenv("up")
    assert containers_of(django_db.name)[f"dkenv-{django_db.name}-db"] == db_before
    assert "kept" in sql(django_db, "select text from hello_greeting")
    django_db.dkenv("down")
    assert containers_of(django_db.name) == {}
    django_db.dkenv("up")
    assert "kept" in sql(django_db, "select text from hello_greeting")
    assert (django_db.root / "data" / "db").is_dir()
    django_db.dkenv("down", "--purge", "db", "--yes")
    assert not (django_db.root / "data" / "db").exists()
    django_db.dkenv("up")
    assert "hello_greeting" not in sql(django_db, "select tablename from pg_tables where schemaname = 'public'")


def test_purge_without_yes_and_without_a_terminal_refuses(django_db):
    result = django_db.dkenv("down", "--purge", "db", check=False, input=b"")
    assert result.returncode == 2 and b"--yes" in result.stderr
    assert containers_of(django_db.name)  # nothing was stopped


def test_logs_of_a_service(django_db):
    def logged() -> str:
        return django_db.dkenv("logs", "db", "--tail", "50").stdout.decode()

    wait_until(lambda: "database system is ready" in logged() or "PostgreSQL" in logged(),
               "postgres's start in `dkenv logs db`", every=0.5, detail=logged)


# The start of a .dkenv.toml: a project on the python image that installs nothing.
REDIS_CONFIG = SLIM_PYTHON + """\
[services.redis]
version = "7"
[services.worker]
command = "python worker.py"
depends_on = ["redis"]
"""


@pytest.fixture(scope="module")
def redis_project(docker_engine):
    project = make_project("rds", {".dkenv.toml": REDIS_CONFIG, "redis_client.py": REDIS_CLIENT,
                                   "worker.py": WORKER})
    project.dkenv("up")
    yield project
    project.dkenv("down", check=False)


def test_redis_value_set_from_the_project_is_read_back(redis_project):
    assert redis_project.dkenv("exec", "python", "redis_client.py", "SET", "greeting", "hello").stdout.strip() == b"+OK"
    out = subprocess.run(["docker", "exec", f"dkenv-{redis_project.name}-redis", "redis-cli", "GET", "greeting"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "hello"


def test_project_image_worker_writes_to_redis(redis_project):
    def ticks() -> int:
        out = redis_project.dkenv("exec", "python", "redis_client.py", "GET", "ticks").stdout.decode().strip()
        return int(out) if out.isdigit() else 0

    first = ticks()
    wait_until(lambda: ticks() > first, "the worker to write to redis", every=0.5)
    worker = subprocess.run(["docker", "inspect", f"dkenv-{redis_project.name}-worker"],
                            capture_output=True, text=True, check=True)
    info = json.loads(worker.stdout)[0]
    assert info["Config"]["Image"].startswith(f"dkenv/{redis_project.name}:")
    assert str(redis_project.root) in {m["Destination"] for m in info["Mounts"]}


def test_changing_one_service_recreates_only_that_one(redis_project):
    before = containers_of(redis_project.name)
    text = (redis_project.root / ".dkenv.toml").read_text().replace(
        '[services.redis]\nversion = "7"\n', '[services.redis]\nversion = "7"\ncommand = "redis-server --save 1 1"\n')
    (redis_project.root / ".dkenv.toml").write_text(text)
    redis_project.dkenv("up")
    after = containers_of(redis_project.name)
    redis = f"dkenv-{redis_project.name}-redis"
    assert after[redis] != before[redis]
    for name in before:
        if name != redis:
            assert after[name] == before[name], name


def test_unhealthy_service_fails_up_with_its_log_tail(docker_engine):
    project = make_project("sick", {".dkenv.toml": SLIM_PYTHON + """\
[services.cache]
template = "redis"
version = "7"
healthcheck = "echo probing-cache >&2; false"
timeout = 8
"""})
    result = project.dkenv("up", check=False)
    project.dkenv("down", check=False)
    err = result.stderr.decode()
    assert result.returncode == 1
    assert "cache" in err and "not healthy after 8 s" in err  # the service's own timeout, not the default
    assert "Ready to accept connections" in err or "|" in err  # the log tail
    assert "Traceback" not in err


def test_taken_port_fails_before_anything_starts(docker_engine):
    port = free_port()
    config = SLIM_PYTHON + f"""\
[services.redis]
version = "7"
ports = ["{port}:6379"]
"""
    project = make_project("busy", {".dkenv.toml": config})
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen()
        result = project.dkenv("up", check=False)
    assert result.returncode == 1
    assert f"{port}" in result.stderr.decode() and "already in use" in result.stderr.decode()
    assert containers_of(project.name) == {}
    # now held by another dkenv project: the message names it
    project.dkenv("up")
    other = make_project("busy2", {".dkenv.toml": config})
    result = other.dkenv("up", check=False)
    project.dkenv("down")
    assert result.returncode == 1
    assert project.name in result.stderr.decode()
    assert containers_of(other.name) == {}


def test_two_projects_each_with_a_db_stay_separate(django_db, docker_engine):
    other = make_project("svc2", {".dkenv.toml": DJANGO_CONFIG}, base=EXAMPLE)
    other.dkenv("up")
    try:
        for project, word in ((django_db, "first"), (other, "second")):
            sql(project, "create table if not exists mark (word text)")
            sql(project, f"insert into mark values ('{word}')")
        assert sql(django_db, "select word from mark") == "[('first',)]"
        assert sql(other, "select word from mark") == "[('second',)]"
    finally:
        other.dkenv("down")


def test_a_redis_key_set_before_down_is_there_after_up(redis_project):
    """down stops redis with SIGTERM (it saves), never a force-remove that loses the last writes."""
    config = redis_project.root / ".dkenv.toml"  # the image's own command (an earlier test changes it)
    config.write_text(config.read_text().replace('command = "redis-server --save 1 1"\n', ""))
    redis_project.dkenv("up")
    client = ("exec", "python", "redis_client.py")
    assert redis_project.dkenv(*client, "SET", "kept-across-down", "yes").stdout.strip() == b"+OK"
    redis_project.dkenv("down")
    redis_project.dkenv("up")
    assert redis_project.dkenv(*client, "GET", "kept-across-down").stdout.strip() == b"yes"


def test_postgres_shuts_down_cleanly_on_down(django_db):
    django_db.dkenv("down")
    django_db.dkenv("up")

    def logged() -> str:
        return django_db.dkenv("logs", "db", "--tail", "all").stdout.decode()

    def once_ready() -> str:
        log = logged()
        return log if "database system is ready" in log else ""

    log = wait_until(once_ready, "postgres to log that it is ready", every=0.5, detail=logged)
    assert "not properly shut down" not in log and "automatic recovery" not in log


def test_another_live_projects_containers_are_never_adopted(django_db, docker_engine, tmp_path):
    """Two folders reaching one name (a registry that never saw the first one: another user's on the
    same Engine): the second is refused, the first untouched. (A lost registry is rebuilt from the
    labels instead: tests/docker/test_identity.py.)"""
    before = containers_of(django_db.name)
    twin = make_project("svc-twin", {".dkenv.toml": SLIM_PYTHON.replace("@NAME@", django_db.name)})
    (tmp_path / "other-state" / "dkenv").mkdir(parents=True)
    (tmp_path / "other-state" / "dkenv" / "projects.json").write_text("{}")
    result = twin.dkenv("up", check=False, env={"XDG_STATE_HOME": str(tmp_path / "other-state")})
    assert result.returncode == 1, result.stderr
    err = result.stderr.decode()
    assert f"belong to the project at {django_db.root}" in err and "nothing was changed" in err
    assert containers_of(django_db.name) == before


def test_a_missing_service_image_stops_up_before_anything_changes(django_db):
    before = containers_of(django_db.name)
    config = django_db.root / ".dkenv.toml"
    original = config.read_text()
    config.write_text(original.replace('version = "15"', 'version = "99"'))
    try:
        result = django_db.dkenv("up", "--pull", "never", check=False)
    finally:
        config.write_text(original)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "the image postgres:99 (for the service db) is not on this machine" in err
    assert "Nothing was stopped or changed" in err and "Traceback" not in err
    assert containers_of(django_db.name) == before


def test_two_ups_at_once_both_succeed(redis_project):
    procs = [subprocess.Popen([*redis_project.command("up")], cwd=redis_project.root, env=redis_project.env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [(p.wait(timeout=600), p.stderr.read().decode()) for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    assert not any("Conflict" in err or "Traceback" in err for _, err in results)


def test_a_new_major_version_on_old_data_is_refused_before_anything_stops(django_db):
    django_db.dkenv("exec", "python", "manage.py", "migrate", "--noinput")  # data/db holds PostgreSQL 15 data
    subprocess.run(["docker", "tag", "postgres:15", "dkenv-test/postgres:16"], check=True)  # stands for 16
    before = containers_of(django_db.name)
    config = django_db.root / ".dkenv.toml"
    original = config.read_text()
    config.write_text(original.replace('version = "15"', 'image = "dkenv-test/postgres"\nversion = "16"'))
    try:
        result = django_db.dkenv("up", check=False)
    finally:
        config.write_text(original)
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "holds data of postgres 15" in err and "Nothing was stopped" in err and "Traceback" not in err
    assert containers_of(django_db.name) == before
