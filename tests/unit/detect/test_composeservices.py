"""detect/composeservices.py: the catalog services and workers a project's compose file runs."""
from __future__ import annotations

from dkenv.detect import composeservices
from tests.unit.conftest import tree

COMPOSE = """\
services:
  django:
    build:
      context: .
      dockerfile: docker/local.Dockerfile
    command: python manage.py runserver 0.0.0.0:8000
    depends_on: [db, rabbitmq]
  celery:
    build: .
    command: celery -A proj.tasks worker -l info
    depends_on:
      db:
        condition: service_healthy
      rabbitmq:
        condition: service_started
  dashboard:
    build: .
    command: ["sh", "-c", "celery flower --port=5555"]
    ports:
      - "127.0.0.1:5556:5555/tcp"
      - target: 5557
        published: "5558"
  db:
    build: ./db
  rabbitmq:
    image: "rabbitmq:alpine"
  adminer:
    image: adminer
"""


def test_catalog_images_and_workers_in_the_files_order(tmp_path):
    root = tree(tmp_path, {"docker-compose.yml": COMPOSE, "db/Dockerfile": "FROM postgres:16\n"})
    found = composeservices.read(root, "")
    assert [(s.name, s.template, s.command, s.depends_on, s.ports) for s in found] == [
        ("celery", "", "celery -A proj.tasks worker -l info", ("db", "rabbitmq"), ()),
        ("dashboard", "", "celery flower --port=5555", (), (5555, 5557)),
        ("db", "postgres", "", (), ()),  # built FROM postgres
        ("rabbitmq", "rabbitmq", "", (), ()),
    ]  # the server (django) is the app's own; adminer is no catalog image
    assert found[0].source == "docker-compose.yml (services.celery)"


def test_the_app_folders_compose_file_or_the_roots_building_it(tmp_path):
    root = tree(tmp_path, {"docker-compose.yml": "services:\n  worker:\n    build: ./backend\n"
                                                 "    command: rq worker\n  cache:\n    image: redis:7\n",
                           "backend/requirements.txt": "rq\n"})
    assert [(s.name, s.template) for s in composeservices.read(root, "backend")] == [("worker", ""), ("cache", "redis")]
    assert composeservices.read(root, "") == []  # nothing there builds the root


def test_without_a_server_the_service_publishing_ports_is_the_apps(tmp_path):
    root = tree(tmp_path, {"compose.yaml": "services:\n  worker:\n    build: .\n    command: python worker.py\n"
                                           "  web:\n    build: .\n    command: ./start.sh\n    ports: [8000]\n"})
    assert [(s.name, s.command) for s in composeservices.read(root, "")] == [("worker", "python worker.py")]


def test_a_service_built_on_a_stage_that_is_no_python_image_is_no_worker(tmp_path):
    """warehouse: `static` builds the Dockerfile's `static-deps` stage, FROM node, to run `npm
    run watch`; `docs` builds a stage on the python one: a worker."""
    dockerfile = ("FROM node:22 AS static-deps\nRUN npm ci\nFROM static-deps AS static\n"
                  "FROM python:3.12-slim AS base\nFROM base AS docs\nRUN pip install mkdocs\nFROM base\n")
    compose = ("services:\n  web:\n    build: .\n    command: gunicorn app:app\n"
               "  static:\n    build:\n      context: .\n      target: static-deps\n    command: npm run watch\n"
               "  docs:\n    build:\n      context: .\n      target: docs\n    command: mkdocs serve\n")
    root = tree(tmp_path, {"docker-compose.yml": compose, "Dockerfile": dockerfile})
    assert [(s.name, s.command) for s in composeservices.read(root, "")] == [("docs", "mkdocs serve")]


def test_an_image_that_is_no_python_one_mounting_the_app_is_no_worker_and_gives_no_run_env(tmp_path):
    """kitsune: `node: {image: node:22-bookworm, volumes: ['./:/app'], command: npm start,
    environment: [NODE_ENV=development]}` beside its built `web`."""
    from dkenv.detect import layout

    compose = ("services:\n  web:\n    build: .\n    command: ./bin/run.sh\n    volumes: ['./:/app']\n    ports: ['8000:8000']\n"
               "  node:\n    image: node:22-bookworm\n    command: npm start\n    volumes: ['./:/app']\n"
               "    environment: [NODE_ENV=development]\n"
               "  tools:\n    image: python:3.12\n    command: python -m tools\n    volumes: ['./:/app']\n")
    root = tree(tmp_path, {"docker-compose.yml": compose, "requirements.txt": "django\n"})
    assert [(s.name, s.command) for s in composeservices.read(root, "")] == [("tools", "python -m tools")]
    # an image another service builds: the app's own image, a worker
    (root / "docker-compose.yml").write_text(compose.replace("    build: .\n", "    build: .\n    image: shop\n")
                                             + "  celery:\n    image: shop\n    command: celery -A shop worker\n"
                                               "    volumes: ['./:/app']\n")
    assert [s.name for s in composeservices.read(root, "")] == ["tools", "celery"]
    assert layout.compose_environment(root, "", {}) == ({}, "", [])


def test_a_workers_own_venv_activation_is_dropped():
    drop = composeservices._without_activate
    assert drop('bash -c "source /app/.venv/bin/activate && python -m celery -A kitsune worker -l info"') == \
        "python -m celery -A kitsune worker -l info"
    assert drop(". venv/bin/activate && celery beat") == "celery beat"
    assert drop('sh -c ". /v/bin/activate && celery worker && echo done"') == "sh -c 'celery worker && echo done'"
    assert drop("celery -A proj worker") == "celery -A proj worker"
    assert drop(". v/bin/activate && a && b") == "sh -c 'a && b'"
