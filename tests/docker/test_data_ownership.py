"""data/ belongs to the host user: postgres and redis run as their UID:GID, so the project's
own tools (pytest at the root) read it, `down --purge` is a plain removal, and the data of an
earlier dkenv (written as the images' own users) is taken over once and keeps working."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import RUN_ID, make_project
from tests.docker.conftest import PIP_HEAD
from tests.helpers import wait_until

pytestmark = pytest.mark.docker

CONFIG = PIP_HEAD + """\
[services.db]
template = "postgres"
version = "15"
[services.redis]
version = "7"
"""
FILES = {"requirements.txt": "pytest\n", "tests/test_trivial.py": "def test_trivial():\n    assert True\n"}


def not_owned_by(root: Path, uid: int) -> list[str]:
    """Every entry under root (itself included) that `uid` does not own, by lstat."""
    found = []
    for folder, dirs, files in os.walk(root):
        for path in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            info = os.lstat(path)
            if info.st_uid != uid:
                found.append(f"{path} (uid {info.st_uid})")
    return found


def docker(*args: str) -> str:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def owned(docker_engine):
    project = make_project("own", {".dkenv.toml": CONFIG, **FILES})
    project.dkenv("up")
    yield project
    project.dkenv("down", check=False)


@pytest.mark.skipif(os.getuid() == 0, reason="as root, services run as their images' users (CI runs this as dkdev)")
def test_every_file_under_data_belongs_to_the_host_user(owned):
    docker("exec", f"dkenv-{owned.name}-redis", "redis-cli", "SAVE")
    data = owned.root / "data"
    assert (data / "db" / "PG_VERSION").is_file() and (data / "redis" / "dump.rdb").is_file()
    assert not_owned_by(data, os.getuid()) == []


def test_pytest_at_the_project_root_collects_past_the_services_data(owned):
    result = owned.dkenv("exec", "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", check=False)
    out = result.stdout.decode() + result.stderr.decode()
    assert result.returncode == 0, out
    assert "1 passed" in out and "PermissionError" not in out


def test_purge_removes_the_data_on_the_host_without_a_root_container(owned):
    result = owned.dkenv("-v", "down", "--purge", "--yes")
    err = result.stderr.decode()
    assert "POST /containers/create" not in err, err  # -v shows every container dkenv creates
    assert not (owned.root / "data" / "db").exists() and not (owned.root / "data" / "redis").exists()


# --- data of an earlier dkenv, which ran the services as their images' users ---

def _earlier_postgres(folder: Path) -> None:
    """A cluster made as the image's postgres user, one row in it, shut down cleanly."""
    name = f"dkenv-earlier-pg-{RUN_ID}"
    docker("run", "-d", "--name", name, "-e", "POSTGRES_PASSWORD=postgres", "-e", "POSTGRES_DB=app",
           "-v", f"{folder}:/var/lib/postgresql/data", "postgres:15")
    try:
        ready = ["docker", "exec", name, "pg_isready", "-q", "-h", "127.0.0.1"]
        wait_until(lambda: subprocess.run(ready).returncode == 0, "the earlier postgres to accept connections",
                   every=0.5)
        docker("exec", name, "psql", "-U", "postgres", "-d", "app", "-c",
               "create table kept (v text); insert into kept values ('row')")
        docker("stop", name)
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True)


def _earlier_redis(folder: Path) -> None:
    name = f"dkenv-earlier-redis-{RUN_ID}"
    docker("run", "-d", "--name", name, "-v", f"{folder}:/data", "redis:7")
    try:
        wait_until(lambda: subprocess.run(["docker", "exec", name, "redis-cli", "SET", "k", "kept"],
                                          capture_output=True).returncode == 0, "the earlier redis to take a SET",
                   every=0.5)
        docker("exec", name, "redis-cli", "SAVE")
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True)


@pytest.mark.root
def test_data_of_an_earlier_dkenv_is_taken_over_once_and_keeps_working(dkdev_install):
    root = Path(tempfile.mkdtemp(prefix="dkenv-dkdev-data-"))
    name = f"dkdevdata-{RUN_ID}"
    for rel, text in {".dkenv.toml": CONFIG.replace("@NAME@", name), **FILES}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (root / "data" / "db").mkdir(parents=True)
    (root / "data" / "redis").mkdir()
    subprocess.run(["chown", "-R", "dkdev:dkdev", str(root)], check=True)  # the earlier dkenv made the folders
    _earlier_postgres(root / "data" / "db")
    _earlier_redis(root / "data" / "redis")
    dkdev = int(subprocess.run(["id", "-u", "dkdev"], capture_output=True, text=True).stdout)
    assert os.lstat(root / "data" / "db").st_uid != dkdev and os.lstat(root / "data" / "redis" / "dump.rdb").st_uid == 0
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root / "home"), "XDG_STATE_HOME": str(root / "state")}

    def as_dkdev(*args):
        result = subprocess.run(["runuser", "-u", "dkdev", "--", "env", *[f"{k}={v}" for k, v in env.items()],
                                 str(dkdev_install), *args], cwd=root, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"dkenv {' '.join(args)}: {result.stderr[-3000:]}"
        return result

    try:
        err = as_dkdev("-v", "up").stderr
        assert len(re.findall(r"data/db: taking ownership from UID \d+ \(made by an earlier dkenv", err)) == 1, err
        assert len(re.findall(r"data/redis: taking ownership from UID 0 ", err)) == 1, err
        assert not_owned_by(root / "data", dkdev) == []
        rows = docker("exec", f"dkenv-{name}-db", "psql", "-U", "postgres", "-d", "app", "-tAc", "select v from kept")
        assert rows == "row"
        assert docker("exec", f"dkenv-{name}-redis", "redis-cli", "GET", "k") == "kept"
        tests = as_dkdev("exec", "python", "-m", "pytest", "-q", "-p", "no:cacheprovider")
        assert "1 passed" in tests.stdout and "PermissionError" not in tests.stdout + tests.stderr

        as_dkdev("down")
        again = as_dkdev("up").stderr
        assert "taking ownership" not in again, again  # once
        assert docker("exec", f"dkenv-{name}-redis", "redis-cli", "GET", "k") == "kept"
        def logged() -> str:
            return subprocess.run(["docker", "logs", f"dkenv-{name}-db"], capture_output=True, text=True).stderr

        def once_ready() -> str:
            log = logged()
            return log if "database system is ready" in log else ""

        log = wait_until(once_ready, "postgres to log that it is ready", every=0.5, detail=logged)
        assert "automatic recovery" not in log and "not properly shut down" not in log
        assert not_owned_by(root / "data", dkdev) == []

        purge = as_dkdev("-v", "down", "--purge", "--yes").stderr
        assert "POST /containers/create" not in purge, purge
        assert not (root / "data" / "db").exists() and not (root / "data" / "redis").exists()
    finally:
        subprocess.run(["runuser", "-u", "dkdev", "--", "env", *[f"{k}={v}" for k, v in env.items()],
                        str(dkdev_install), "down"], cwd=root, capture_output=True, timeout=300)
        shutil.rmtree(root, ignore_errors=True)
