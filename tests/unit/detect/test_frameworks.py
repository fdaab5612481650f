"""dkenv/detect/frameworks.py: the web framework, its development server and port (through detection.inspect)."""
from __future__ import annotations

import pytest

from dkenv.detect import detection
from tests.unit.conftest import tree


def test_manage_py_in_a_subfolder(tmp_path):
    tree(tmp_path, {"requirements.txt": "django\n", "src/manage.py": "", "src/site/settings.py": ""})
    found = detection.inspect(tmp_path)
    assert found.command == "python src/manage.py runserver 0.0.0.0:8000"


def test_django_without_manage_py_has_no_command(tmp_path):
    tree(tmp_path, {"requirements.txt": "django\n"})
    found = detection.inspect(tmp_path)
    assert found.framework == "django"
    assert found.command is None
    assert any("no manage.py" in note for note in found.notes)


@pytest.mark.parametrize("files, framework, command, ports", [
    pytest.param({"requirements.txt": "Flask\n", "hello.py": "import flask\nsite = flask.Flask(__name__)\n"},
                 "flask", "flask --app hello:site run --host 0.0.0.0 --port 5000", [5000],
                 id="flask_app_in_another_module_is_named"),
    pytest.param({"requirements.txt": "fastapi\nuvicorn\n",
                  "app/__init__.py": "",
                  "app/main.py": "from fastapi import FastAPI\n\napi: FastAPI = FastAPI(title='x')\n",
                  ".venv/lib/site.py": "app = FastAPI()\n",
                  "tests/test_api.py": "app = FastAPI()\n"},
                 "fastapi", "uvicorn app.main:api --host 0.0.0.0 --port 8000 --reload", [8000],
                 id="fastapi_module_is_found"),
])
def test_framework_app_is_found(tmp_path, files, framework, command, ports):
    tree(tmp_path, files)
    found = detection.inspect(tmp_path)
    assert found.framework == framework
    assert found.command == command
    assert found.ports == ports


def test_flask_app_py(tmp_path):
    tree(tmp_path, {"requirements.txt": "flask\n",
                    "app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert detection.inspect(tmp_path).command == "flask run --host 0.0.0.0 --port 5000"


def test_fastapi_in_a_src_layout(tmp_path):
    tree(tmp_path, {"requirements.txt": "fastapi\n",
                    "src/service/web.py": "import fastapi\napp = fastapi.FastAPI()\n"})
    found = detection.inspect(tmp_path)
    assert found.command == "uvicorn service.web:app --app-dir src --host 0.0.0.0 --port 8000 --reload"


# --- what counts as Django, and apps made by factories ---

def test_a_manage_py_without_django_is_not_django(tmp_path):
    tree(tmp_path, {"requirements.txt": "click\n", "manage.py": "import click\n\n@click.group()\ndef cli(): ...\n"})
    found = detection.inspect(tmp_path)
    assert found.framework is None and found.command is None


def test_a_django_manage_py_counts_when_no_dependency_can_be_read(tmp_path):
    tree(tmp_path, {"setup.py": "", "manage.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x.settings')\n"})
    found = detection.inspect(tmp_path)
    assert found.framework == "django"
    assert found.command == "python manage.py runserver 0.0.0.0:8000"


def test_djangos_own_manage_py_is_preferred(tmp_path):
    tree(tmp_path, {"requirements.txt": "django\n", "manage.py": "print('a wrapper')\n",
                    "site/manage.py": "from django.core.management import execute_from_command_line\n"})
    assert detection.inspect(tmp_path).command == "python site/manage.py runserver 0.0.0.0:8000"


@pytest.mark.parametrize("files, framework, command", [
    pytest.param({"app/__init__.py": "", "app/main.py": (
        "from fastapi import FastAPI\n\ndef get_application() -> FastAPI:\n    application = FastAPI()\n"
        "    return application\n\n\napp = get_application()\n")},
        "fastapi", "uvicorn app.main:app --host 0.0.0.0 --port 8000 --reload", id="a_module_level_call"),
    pytest.param({"svc/factory.py": "import fastapi\n\ndef build(settings=None) -> fastapi.FastAPI:\n"
                                    "    return fastapi.FastAPI()\n"},
                 "fastapi", "uvicorn svc.factory:build --factory --host 0.0.0.0 --port 8000 --reload",
                 id="a_factory_annotated_with_the_class"),
    pytest.param({"src/shop/asgi.py": "from starlette.applications import Starlette\n\ndef create_app():\n"
                                      "    return Starlette(routes=[])\n"},
                 "starlette",
                 "uvicorn shop.asgi:create_app --factory --app-dir src --host 0.0.0.0 --port 8000 --reload",
                 id="a_factory_named_create_app_in_a_src_layout"),
])
def test_asgi_apps_made_by_factories(tmp_path, files, framework, command):
    deps = {"fastapi": "fastapi\n", "starlette": "starlette\nuvicorn\n"}[framework]
    tree(tmp_path, {"requirements.txt": deps, **files})
    found = detection.inspect(tmp_path)
    assert (found.framework, found.command, found.command_guess) == (framework, command, "")
