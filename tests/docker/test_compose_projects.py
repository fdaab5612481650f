"""A class of project: an app in a subfolder run by the project's own compose file, beside a
worker built from the same folder and a Redis the compose file names (no dependency says
so). `dkenv init --yes` and `dkenv up` with no edit: the worker runs on the project image,
in the app's folder, with the app's environment pointed at dkenv's Redis."""
from __future__ import annotations

import pytest

from dkenv import tomltext
from tests.conftest import make_project
from tests.helpers import wait_until

pytestmark = pytest.mark.docker

COMPOSE = """\
services:
  web:
    build: ./api
    command: python -m http.server 8000
    ports: ["8000:8000"]
    environment:
      - CACHE_URL=redis://cache:6379/0
      - GREETING=hello
    depends_on: [cache]
  worker:
    build: ./api
    command: python worker.py
    environment:
      - CACHE_URL=redis://cache:6379/0
    depends_on: [cache, web]
  cache:
    image: redis:7
"""

# Talks to Redis over a bare socket (no client library), then says where it ran and what it saw.
WORKER = """\
import os, socket, time
from urllib.parse import urlsplit

url = urlsplit(os.environ["CACHE_URL"])
with socket.create_connection((url.hostname, url.port), timeout=10) as s:
    s.sendall(b"PING\\r\\n")
    answer = s.recv(64).decode().strip()
with open("worker-says.txt.tmp", "w") as f:
    f.write(f"{os.getcwd()} {os.environ.get('GREETING')} {answer}\\n")
os.replace("worker-says.txt.tmp", "worker-says.txt")
while True:
    time.sleep(60)
"""


@pytest.fixture(scope="module")
def compose_project(docker_engine):
    project = make_project("composeapp", {"docker-compose.yml": COMPOSE, "api/requirements.txt": "six\n",
                                          "api/worker.py": WORKER, "README.md": "a compose project\n"})
    project.dkenv("init", "--yes")
    yield project
    project.dkenv("down", check=False)


def test_init_proposes_the_compose_files_redis_and_worker(compose_project):
    cfg = tomltext.loads((compose_project.root / ".dkenv.toml").read_text())
    assert cfg["image"]["workdir"] == "api"
    assert cfg["services"]["redis"]["template"] == "redis" and cfg["services"]["redis"]["version"] == "7"
    assert cfg["services"]["worker"] == {"command": "python worker.py", "depends_on": ["redis"]}
    assert cfg["run"]["env"] == {"CACHE_URL": "redis://redis:6379/0", "GREETING": "hello"}


def test_up_runs_the_worker_in_the_app_folder_against_dkenvs_redis(compose_project):
    compose_project.dkenv("up")
    says = compose_project.root / "api" / "worker-says.txt"
    text = wait_until(lambda: says.is_file() and says.read_text(), "the worker's report",
                      detail=lambda: compose_project.dkenv("logs", "worker", check=False).stdout[-2000:])
    assert text.split() == [str(compose_project.root / "api"), "hello", "+PONG"]
    status = compose_project.dkenv("status").stdout.decode()
    assert any(line.split()[:1] == ["worker"] and "running" in line for line in status.splitlines())
