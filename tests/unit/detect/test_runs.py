"""dkenv/detect/runs.py and declared.py: what the project says about how it runs, read
before guessing, made a development server; guesses say why (through detection.inspect)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dkenv.detect import detection
from tests.unit.conftest import tree

DATA = Path(__file__).resolve().parents[2] / "data"
FLASK_APP = "from flask import Flask\napp = Flask(__name__)\n"
FASTAPI_APP = "from fastapi import FastAPI\napp = FastAPI()\n"


def inspect(root: Path, files: dict[str, str]) -> detection.Detection:
    return detection.inspect(tree(root, files))


def test_a_procfile_web_line_names_the_app_and_gunicorn_becomes_flask_run(tmp_path):
    found = inspect(tmp_path, {"requirements.txt": "flask\ngunicorn\n", "site.py": FLASK_APP,
                               "wsgi.py": "from site import app\n",
                               "Procfile": "release: flask db upgrade\nweb: gunicorn site:app --workers 3\n"})
    assert found.command == "flask --app site run --host 0.0.0.0 --port 5000"
    assert found.command_from == "Procfile (web): `gunicorn site:app --workers 3`"
    assert not found.command_guess and found.ports == [5000]
    assert "run: flask --app site run --host 0.0.0.0 --port 5000 (from Procfile (web): " \
           "`gunicorn site:app --workers 3`)" in found.notes


def test_declarations_are_read_in_order_and_the_others_are_named(tmp_path):
    found = inspect(tmp_path, {
        "requirements.txt": "fastapi\nuvicorn\n", "svc/__init__.py": "", "svc/web.py": FASTAPI_APP,
        "Procfile": "web: uvicorn svc.web:app --port 9000\n",
        "Dockerfile": "FROM python:3.12\nCMD uvicorn svc.web:app --host 0.0.0.0 --port 80\n",
        "Makefile": "run:\n\t@$(PY) -m uvicorn svc.web:app --port 9000\nPY = python\n",
        "README.md": "Run it:\n\n```\n$ uvicorn svc.web:app --port 9000 --reload\n```\n"})
    assert found.command == "uvicorn svc.web:app --host 0.0.0.0 --port 9000 --reload"
    assert found.ports == [9000]
    assert "  the same in: Makefile (run), README.md" in found.notes
    assert any(n.startswith("  also declared: Dockerfile CMD: `uvicorn svc.web:app --host 0.0.0.0 --port 80`")
               for n in found.notes)  # port 80 is a container's production port: the default instead


def test_the_compose_override_command_wins_and_services_not_built_here_are_ignored():
    found = detection.inspect(DATA / "compose-app")
    assert found.command == "uvicorn api.main:app --host 0.0.0.0 --port 8080 --reload"
    assert found.command_from.startswith("compose.override.yaml (services.api.command): `uvicorn api.main:app")
    assert found.ports == [8080]
    also = [n for n in found.notes if n.startswith("  also declared:")]
    assert [n.split(":")[1].strip() for n in also] == ["compose.yaml (services.api.command)", "Dockerfile CMD"]


def test_a_dockerfile_entrypoint_script_is_read_when_there_is_no_cmd(tmp_path):
    found = inspect(tmp_path, {
        "requirements.txt": "flask\n", "blog.py": FLASK_APP,
        "Dockerfile": 'FROM python:3.12\nWORKDIR /home/app\nENV FLASK_APP blog.py\nENTRYPOINT ["/home/app/boot.sh"]\n',
        "boot.sh": "#!/bin/bash\nflask db upgrade\nexec gunicorn -b :5000 --access-logfile - blog:app\n"})
    assert found.command == "flask --app blog run --host 0.0.0.0 --port 5000"
    assert found.command_from == "Dockerfile ENTRYPOINT (boot.sh): `gunicorn -b :5000 --access-logfile - blog:app`"


def test_the_final_stage_inherits_the_entrypoint_of_the_stage_it_is_built_on(tmp_path):
    found = inspect(tmp_path, {
        "requirements.txt": "flask\n", "blog.py": FLASK_APP,
        "Dockerfile": ('FROM python:3.12 AS Base\nWORKDIR /home/app\nENTRYPOINT ["/home/app/boot.sh"]\n'
                       'FROM node:20 AS assets\nCMD ["npm", "start"]\n'
                       'FROM base AS app\nENV FLASK_APP=blog.py\n'),
        "boot.sh": "#!/bin/bash\nexec gunicorn -b :5000 blog:app\n"})
    assert found.command == "flask --app blog run --host 0.0.0.0 --port 5000"
    assert found.command_from == "Dockerfile ENTRYPOINT (boot.sh): `gunicorn -b :5000 blog:app`"


def test_flask_app_in_flaskenv_is_the_app(tmp_path):
    found = inspect(tmp_path, {"requirements.txt": "flask\npython-dotenv\n", ".flaskenv": "FLASK_APP=hello.py\n",
                               "hello.py": "from factory import make\napp = make()\n"})
    assert found.command == "flask --app hello run --host 0.0.0.0 --port 5000"
    assert found.command_from == "FLASK_APP=hello.py in .flaskenv"


def test_a_django_project_served_by_gunicorn_runs_runserver(tmp_path):
    found = inspect(tmp_path, {"requirements.txt": "django\ngunicorn\n",
                               "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 's')\n",
                               "Procfile": "web: gunicorn shop.wsgi --log-file -\n"})
    assert found.command == "python manage.py runserver 0.0.0.0:8000"
    assert found.command_from.startswith("Procfile (web)")


def test_gunicorn_without_a_known_framework_keeps_gunicorn_reloading(tmp_path):
    found = inspect(tmp_path, {"requirements.txt": "falcon\ngunicorn\n", "things.py": "app = falcon.App()\n",
                               "Procfile": "web: gunicorn things:app -b 0.0.0.0:$PORT\n"})
    assert found.framework is None
    assert found.command == "gunicorn things:app --bind 0.0.0.0:8000 --reload"
    assert found.ports == [8000]


def test_a_declared_app_that_is_not_here_is_not_used(tmp_path):
    found = inspect(tmp_path, {"requirements.txt": "fastapi\n", "api.py": FASTAPI_APP,
                               "README.md": "# api\n\n    uvicorn main:app --reload\n"})
    assert found.command == "uvicorn api:app --host 0.0.0.0 --port 8000 --reload"
    assert "  not used: README.md: `uvicorn main:app --reload` (the module main is not in this folder)" in found.notes


def test_a_command_whose_server_dkenv_does_not_know_is_a_commented_guess(tmp_path):
    found = inspect(tmp_path, {"requirements.txt": "aiohttp\n", "Procfile": "web: python -m shop.server\n"})
    assert found.command == "python -m shop.server"
    assert "does not know the server" in found.command_guess
    assert found.ports == []


def test_a_framework_guess_says_why(tmp_path):
    found = inspect(tmp_path, {"requirements.txt": "fastapi\n"})
    assert found.command == "uvicorn main:app --host 0.0.0.0 --port 8000 --reload"
    assert "no `app = FastAPI(...)`, app factory or run command was found" in found.command_guess
    assert any(n.startswith("run: a guess, written commented: uvicorn main:app") for n in found.notes)


def test_commands_that_start_containers_are_not_how_the_app_runs(tmp_path):
    found = inspect(tmp_path, {"requirements.txt": "requests\n", "Makefile": "run:\n\tdocker compose up\n",
                               "Procfile": "web: docker compose up\n"})
    assert found.command is None


def test_a_console_script_named_like_a_server_is_a_commented_guess(tmp_path):
    found = inspect(tmp_path, {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["aiohttp"]\n'
                                                 '[project.scripts]\nx-serve = "x.cli:serve"\nx-lint = "x.cli:lint"\n'})
    assert found.command == "x-serve"
    assert found.command_from == "pyproject.toml (scripts: x-serve = 'x.cli:serve'): `x-serve`"
    assert found.command_guess


def test_a_compose_file_outside_the_subset_is_said_and_skipped(tmp_path):
    found = inspect(tmp_path, {"requirements.txt": "flask\n", "app.py": FLASK_APP,
                               "compose.yaml": "services:\n  web: [unclosed\n"})
    assert found.command == "flask run --host 0.0.0.0 --port 5000"
    assert any(n.startswith("compose.yaml: not read (") for n in found.notes)


def test_litestar_behind_a_manage_py_wrapper_is_not_django(tmp_path):
    root = tmp_path / "board"
    shutil.copytree(DATA / "litestar-manage", root)
    found = detection.inspect(root)
    assert found.framework == "litestar"
    assert found.command == "uvicorn board.asgi:create_app --factory --host 0.0.0.0 --port 8000 --reload"
    assert found.command_from == "Litestar: the factory create_app() in board/asgi.py"
    assert not any("manage.py" in note for note in found.notes)


def test_a_compose_service_mounting_the_folder_counts_and_one_that_does_not_is_ignored(tmp_path):
    found = inspect(tmp_path, {"requirements.txt": "django\n", "manage.py": "import django\n",
                               "docker-compose.yml": (
                                   "services:\n"
                                   "  worker:\n    image: redis\n    command: python manage.py runserver 0:8001\n"
                                   "  web:\n    image: python:3.12\n    volumes:\n      - .:/code\n"
                                   "    command: python manage.py runserver 0.0.0.0:8002\n")})
    assert found.command == "python manage.py runserver 0.0.0.0:8002"
    assert found.command_from == "docker-compose.yml (services.web.command): `python manage.py runserver 0.0.0.0:8002`"
