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
