"""dkenv/detect/layout.py: the app's folder, its .env, and .env values naming localhost."""
from __future__ import annotations

import pytest

from dkenv.detect import layout
from tests.unit.conftest import tree

FLASK_APP = {"requirements.txt": "flask\nredis\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"}


def test_an_app_at_the_root_stays_there(tmp_path):
    root = tree(tmp_path, {**FLASK_APP, "backend/requirements.txt": "fastapi\n",
                           "backend/main.py": "from fastapi import FastAPI\napp = FastAPI()\n"})
    found = layout.locate(root)
    assert (found.framework, found.workdir) == ("flask", "")


def test_the_subfolder_holding_the_framework_is_the_app(tmp_path):
    root = tree(tmp_path, {"README.md": "", "tools/requirements.txt": "click\n",
                           **{f"backend/{k}": v for k, v in FLASK_APP.items()}})
    found = layout.locate(root)
    assert (found.workdir, found.framework, found.manager) == ("backend", "flask", "pip")
    assert found.services == ["redis"]  # from the app folder's dependencies
    assert found.requirements == ["requirements.txt"]  # relative to the app's folder
    assert found.notes[0].startswith("app folder: backend/ (Flask is there; the root has no web framework)")


def test_a_root_with_manifests_but_no_framework_loses_to_a_framework_below(tmp_path):
    root = tree(tmp_path, {"requirements.txt": "black\n", **{f"server/{k}": v for k, v in FLASK_APP.items()}})
    assert layout.locate(root).workdir == "server"


def test_preferred_names_first_and_the_others_are_named(tmp_path):
    root = tree(tmp_path, {**{f"zeta/{k}": v for k, v in FLASK_APP.items()},
                           **{f"api/{k}": v for k, v in FLASK_APP.items()}})
    assert layout.candidates(root) == ["api", "zeta"]
    found = layout.locate(root)
    assert found.workdir == "api"
    assert any(n.startswith("also: zeta/ (Flask)") for n in found.notes)


def test_without_framework_a_lone_manifest_folder_when_the_root_has_none(tmp_path):
    root = tree(tmp_path, {"worker/requirements.txt": "six\n", "node_modules/x/requirements.txt": "y\n",
                           ".hidden/requirements.txt": "z\n"})
    assert layout.candidates(root) == ["worker"]
    assert layout.locate(root).workdir == "worker"
    both = tree(tmp_path / "both", {"requirements.txt": "six\n", "worker/requirements.txt": "six\n"})
    assert layout.locate(both).workdir == ""  # the root installs something: it stays the app


def test_workspace_members_at_any_depth_are_candidates(tmp_path):
    root = tree(tmp_path, {
        "pyproject.toml": '[tool.uv.workspace]\nmembers = ["services/*"]\n', "uv.lock": "version = 1\n",
        "services/web/pyproject.toml": '[project]\nname = "web"\ndependencies = ["fastapi", "psycopg"]\n',
        "services/web/web/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
    })
    found = layout.locate(root)
    assert (found.workdir, found.manager, found.framework) == ("services/web", "uv", "fastapi")
    assert found.command.startswith("uvicorn web.main:app")
    assert found.services == ["postgres"]


def test_env_file_in_the_app_folder_first_then_the_root(tmp_path):
    root = tree(tmp_path, {".env": "A=1\n", "backend/.env": "B=2\n"})
    assert layout.env_file(root, "backend") == "backend/.env"
    assert layout.env_file(root, "other") == ".env"
    assert layout.env_file(root / "backend", "") == ".env"
    assert layout.env_file(tmp_path / "nothing", "") == ""


def test_locate_proposes_the_env_file(tmp_path):
    root = tree(tmp_path, {**{f"backend/{k}": v for k, v in FLASK_APP.items()}, ".env": "A=1\n"})
    found = layout.locate(root)
    assert found.env_file == ".env"
    assert "settings: .env (run.env_file)" in found.notes


def test_local_hosts_point_at_the_services():
    values = {"POSTGRES_SERVER": "localhost", "DATABASE_URL": "postgres://u:p@localhost:5432/app",
              "REDIS_URL": "redis://127.0.0.1:6379/0", "FRONTEND_HOST": "http://localhost:5173",
              "DOMAIN": "localhost", "POSTGRES_DB": "app", "PGHOST": "db.example.com"}
    hints = layout.local_hosts(values, {"db": "postgres", "redis": "redis"})
    assert hints == {"POSTGRES_SERVER": "db", "DATABASE_URL": "postgres://u:p@db:5432/app",
                     "REDIS_URL": "redis://redis:6379/0"}
    assert layout.local_hosts(values, {}) == {}


def test_a_root_with_only_a_manage_py_below_takes_the_folder_that_installs(tmp_path):
    django = {"app/manage.py": "from django.core.management import execute_from_command_line\n",
              "app/requirements.txt": "django\n"}
    found = layout.locate(tree(tmp_path, {"README.md": "", **django}))
    assert (found.workdir, found.framework, found.manager) == ("app", "django", "pip")
    assert found.notes[0].startswith("app folder: app/ (Django is there; the root has no manifest)")
    # a root that installs something stays the app, its manage.py below or not
    assert layout.locate(tree(tmp_path / "r", {"requirements.txt": "django\n", **django})).workdir == ""
    # nothing installs below either: the root stays, with its framework
    bare = layout.locate(tree(tmp_path / "b", {"app/manage.py": django["app/manage.py"], "tools/requirements.txt": "six\n"}))
    assert (bare.workdir, bare.framework) == ("", "django")


def test_the_env_file_the_compose_service_of_the_app_reads_comes_first(tmp_path):
    root = tree(tmp_path, {".env": "A=1\n", ".env.dev": "B=2\n", "app/requirements.txt": "six\n",
                           "docker-compose.yml": "services:\n  web:\n    build:\n      context: ./app/\n"
                                                 "    env_file: [.env.dev]\n  other:\n    build: ./other\n"
                                                 "    env_file: .env\n"})
    assert layout.env_file(root, "app") == ".env.dev"
    assert layout.env_file(root, "other") == ".env"  # other's own .env? none: the root's, named by its service
    # a file outside the project, or missing, is not proposed
    (root / "docker-compose.yml").write_text("services:\n  web:\n    build: ./app\n    env_file: [../outside.env, gone.env]\n")
    (tmp_path / "outside.env").write_text("X=1\n")
    assert layout.env_file(root, "app") == ".env"
    # a service mounting the folder counts, as for its command
    (root / "docker-compose.yml").write_text("services:\n  web:\n    image: python\n    volumes: ['./app:/src']\n"
                                             "    env_file: .env.dev\n")
    assert layout.env_file(root, "app") == ".env.dev"


COMPOSE_ENV = """\
services:
  web:
    build: ./project
    environment:
      - ENVIRONMENT=dev
      - DATABASE_URL=postgres://postgres:postgres@web-db:5432/web_dev
      - REDIS_URL=redis://cache:6379/0
      - SENTRY_DSN=${SENTRY_DSN}
      - SEARCH_URL=http://search:9200
      - API_URL=http://web:8000/api
  web-db:
    image: postgres:15
  cache:
    image: redis:7
  search:
    image: elasticsearch:8.1.0
"""


def test_the_apps_compose_environment_points_at_the_dkenv_services(tmp_path):
    root = tree(tmp_path, {"docker-compose.yml": COMPOSE_ENV, "project/requirements.txt": "six\n"})
    env, where, dropped = layout.compose_environment(root, "project", {"db": "postgres", "redis": "redis"})
    assert env == {"ENVIRONMENT": "dev", "DATABASE_URL": "postgres://postgres:postgres@db:5432/web_dev",
                   "REDIS_URL": "redis://redis:6379/0", "API_URL": "http://localhost:8000/api"}  # web is the app itself
    assert where == "docker-compose.yml (services.web.environment)"
    assert dropped == ["SENTRY_DSN", "SEARCH_URL"]  # the shell's value; a host no dkenv service stands for
    assert layout.compose_environment(root, "other", {"db": "postgres"}) == ({}, "", [])


def test_only_a_values_host_is_pointed_never_a_user_or_database_of_the_same_name(tmp_path):
    """CTFd: the app's service is `ctfd`, and so are its database's user and name; `DB_HOST=db`
    names a host by its variable, `MARIADB_USER=db` does not."""
    compose = ("services:\n  ctfd:\n    build: .\n    environment:\n"
               "      - DATABASE_URL=mysql+pymysql://ctfd:ctfd@db/ctfd\n      - DB_HOST=db\n"
               "      - MARIADB_USER=db\n      - CACHE=cache:6379\n      - SELF=http://ctfd:8000/ctfd\n"
               "      - NAME=ctfd\n      - LOG_FOLDER=/var/log/CTFd\n      - UPLOADS=/var/uploads/x/../files\n"
               "      - CODE=/opt/CTFd\n      - OTHER=/var/logs\n"
               "    volumes:\n      - .data/CTFd/logs:/var/log/CTFd\n      - {type: bind, source: ., target: /opt/CTFd}\n"
               "      - /var/uploads/\n"
               "  db:\n    image: mariadb:10.11\n  cache:\n    image: redis:7\n")
    root = tree(tmp_path, {"docker-compose.yml": compose, "requirements.txt": "six\n"})
    env, _, dropped = layout.compose_environment(root, "", {"mariadb": "mariadb", "redis": "redis"},
                                                 {"db": "mariadb", "cache": "redis"})
    assert env == {"DATABASE_URL": "mysql+pymysql://ctfd:ctfd@mariadb/ctfd", "DB_HOST": "mariadb",
                   "MARIADB_USER": "db", "CACHE": "redis:6379", "SELF": "http://localhost:8000/ctfd", "NAME": "ctfd",
                   "OTHER": "/var/logs"}
    # the folders its volumes mount, absent in dkenv's container: the app's defaults apply
    assert dropped == ["LOG_FOLDER", "UPLOADS", "CODE"]


@pytest.mark.parametrize("key, value, host", [
    ("DATABASE_URL", "postgres://u:p@db:5432/x", "db"),
    ("DATABASE_URL", "postgres://db/x", "db"),
    ("DATABASE_URL", "postgres://[::1]:5432/x", "[::1]"),
    ("REDIS", "cache:6379", "cache"),
    ("PGHOST", "db", "db"),
    ("REDIS_SERVER", "cache", "cache"),
    ("POSTGRES_DB", "db", None),
    ("PASSWORD", "db:secret", None),
])
def test_host_span(key, value, host):
    span = layout.host_span(key, value)
    assert (value[span[0]:span[1]] if span else None) == host


def test_the_roots_compose_file_says_how_the_app_below_runs(tmp_path):
    root = tree(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: ./project\n"
                              "    command: uvicorn main:app --host 0.0.0.0 --port 8004\n  other:\n    build: .\n"
                              "    command: gunicorn other:app\n",
        "project/requirements.txt": "fastapi\nuvicorn\n",
        "project/main.py": "from fastapi import FastAPI\napp = FastAPI()\n"})
    found = layout.locate(root)
    assert found.workdir == "project"
    assert found.command == "uvicorn main:app --host 0.0.0.0 --port 8004 --reload"
    assert found.command_from == "docker-compose.yml (services.web.command): `uvicorn main:app --host 0.0.0.0 --port 8004`"
    assert found.ports == [8004]
