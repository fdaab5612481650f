"""dkenv/detect/detection.py: what a project folder says about itself; its manager and Python version."""
from __future__ import annotations

from pathlib import Path

import pytest

from dkenv.detect import detection
from tests.unit.conftest import tree

DATA = Path(__file__).resolve().parents[2] / "data"


# --- Django with requirements.txt ---

def test_django_with_psycopg2(tmp_path):
    tree(tmp_path, {
        "requirements.txt": "Django>=4.2,<5.3\npsycopg2>=2.9  # the database\n",
        "manage.py": "import django\n",
        ".python-version": "3.12.1\n",
    })
    found = detection.inspect(tmp_path)
    assert found.manager == "pip"
    assert found.requirements == ["requirements.txt"]
    assert found.constraints == []
    assert (found.python_constraint.source, found.python_constraint.allowed()) == (".python-version", ["3.12"])
    assert found.framework == "django"
    assert found.command == "python manage.py runserver 0.0.0.0:8000"
    assert found.ports == [8000]
    assert found.apt == ["build-essential", "libpq-dev"]
    assert found.apt_for == {"build-essential": ["psycopg2"], "libpq-dev": ["psycopg2"]}
    assert found.services == ["postgres"]
    assert found.dependencies == ["django", "psycopg2"]
    assert any("python manage.py runserver" in note for note in found.notes)
    assert any("libpq-dev" in note and "psycopg2" in note for note in found.notes)


# --- other managers ---

def test_poetry_project(tmp_path):
    tree(tmp_path, {"pyproject.toml": """
        [tool.poetry]
        name = "app"

        [tool.poetry.dependencies]
        python = "^3.11"
        Redis = "^5.0"
        celery = { version = "^5.3", extras = ["amqp"] }

        [tool.poetry.group.dev.dependencies]
        pytest = "*"
        """})
    found = detection.inspect(tmp_path)
    assert found.manager == "poetry"
    assert found.requirements == []
    assert found.python_constraint.source == "pyproject.toml [tool.poetry.dependencies] python"
    assert found.python_constraint.text == "^3.11"
    assert found.dependencies == ["celery", "pytest", "redis"]
    assert found.services == ["redis", "rabbitmq"]


def test_pipfile_project(tmp_path):
    tree(tmp_path, {"Pipfile": """
        [packages]
        mysqlclient = "*"
        flask = {version = ">=3", extras = ["async"]}

        [dev-packages]
        pytest = "*"

        [requires]
        python_version = "3.10"
        """, "wsgi.py": "from flask import Flask\nserver = Flask(__name__)\n"})
    found = detection.inspect(tmp_path)
    assert found.manager == "pipenv"
    assert (found.python_constraint.source, found.python_constraint.allowed()) == (
        "Pipfile [requires] python_version", ["3.10"])
    assert found.dependencies == ["flask", "mysqlclient", "pytest"]
    assert found.apt == ["build-essential", "default-libmysqlclient-dev", "pkg-config"]
    assert found.services == ["mysql"]
    assert found.framework == "flask"
    assert found.command == "flask run --host 0.0.0.0 --port 5000"  # flask finds wsgi.py itself


def test_uv_project(tmp_path):
    tree(tmp_path, {"pyproject.toml": """
        [project]
        name = "app"
        requires-python = ">=3.11,<3.14"
        dependencies = ["fastapi>=0.110", "uvicorn[standard]"]

        [dependency-groups]
        dev = ["pytest", {include-group = "lint"}]
        lint = ["ruff"]
        """, "uv.lock": "version = 1\n", "requirements.txt": "ignored-package\n"})
    found = detection.inspect(tmp_path)
    assert found.manager == "uv"
    assert found.requirements == []
    assert found.python_constraint.source == "pyproject.toml requires-python"
    assert found.python_constraint.allowed() == ["3.11", "3.12", "3.13"]
    assert found.dependencies == ["fastapi", "pytest", "ruff", "uvicorn"]
    assert found.extras == {"uvicorn": ["standard"]}
    assert found.framework == "fastapi"
    assert found.command == "uvicorn main:app --host 0.0.0.0 --port 8000 --reload"
    assert (found.choices.groups, found.choices.default_groups) == (["dev", "lint"], ["dev"])
    assert "groups: dev, lint (in pyproject.toml [dependency-groups])" in found.notes


def test_pep621_project(tmp_path):
    tree(tmp_path, {"pyproject.toml": """
        [project]
        name = "app"
        dependencies = ["psycopg>=3.1", "pymongo", "opensearch-py", "clickhouse-connect"]

        [project.optional-dependencies]
        search = ["elasticsearch>=8"]
        queue = ["pika"]
        """})
    found = detection.inspect(tmp_path)
    assert found.manager == "pyproject"
    assert found.python_constraint is None
    assert found.apt == ["libpq5"]  # psycopg 3 without [binary] loads the system libpq
    assert found.services == ["postgres", "mongodb", "rabbitmq", "elasticsearch", "opensearch", "clickhouse"]
    # the extras' dependencies count for the services, and the extras are found for init
    assert (found.choices.extras, found.choices.proposed_extras()) == (["search", "queue"], [])
    assert "extras: search, queue (in pyproject.toml [project.optional-dependencies])" in found.notes


@pytest.mark.parametrize("files, manager", [
    ({"uv.lock": "", "poetry.lock": "", "Pipfile": "", "requirements.txt": ""}, "uv"),
    ({"poetry.lock": "", "Pipfile": "", "requirements.txt": ""}, "poetry"),
    ({"pdm.lock": "", "Pipfile": "", "requirements.txt": ""}, "pdm"),
    ({"pyproject.toml": "[tool.pdm.dev-dependencies]\ntest = ['pytest']\n", "requirements.txt": ""}, "pdm"),
    ({"pyproject.toml": "[project]\nname = 'x'\ndependencies = []\n[tool.pdm.build]\nincludes = []\n"},
     "pyproject"),  # pdm-backend's table only
    ({"pyproject.toml": "[tool.poetry]\nname = 'x'\n", "requirements.txt": ""}, "poetry"),
    ({"Pipfile.lock": "{}", "requirements.txt": ""}, "pipenv"),
    ({"requirements.txt": "", "pyproject.toml": "[project]\nname = 'x'\ndependencies = []\n"}, "pip"),
    ({"pyproject.toml": "[project]\nname = 'x'\ndependencies = []\n"}, "pyproject"),
    ({"pyproject.toml": "[tool.black]\nline-length = 100\n"}, "none"),
    ({"setup.py": ""}, "none"),
])
def test_manager_priority(tmp_path, files, manager):
    tree(tmp_path, files)
    assert detection.inspect(tmp_path).manager == manager


def test_pdm_and_pipenv_development_tables_count_for_needs(tmp_path):
    tree(tmp_path / "pdm", {"pyproject.toml": """
        [project]
        name = "app"
        dependencies = []
        [tool.pdm.dev-dependencies]
        db = ["psycopg2"]
        """})
    found = detection.inspect(tmp_path / "pdm")
    assert (found.manager, found.dependencies, found.apt) == ("pdm", ["psycopg2"], ["build-essential", "libpq-dev"])
    assert found.choices.groups == ["db"]
    tree(tmp_path / "pipenv", {"Pipfile": '[packages]\nflask = "*"\n[docs]\nmysqlclient = "*"\n'})
    found = detection.inspect(tmp_path / "pipenv")
    assert found.dependencies == ["flask", "mysqlclient"]
    assert found.services == ["mysql"]
    assert found.choices.groups == ["docs"]


def test_empty_folder_finds_nothing(tmp_path):
    found = detection.inspect(tmp_path)
    assert (found.manager, found.python_constraint, found.framework, found.command) == ("none", None, None, None)
    assert found.ports == found.apt == found.services == found.dependencies == []
    assert found.notes  # says that nothing was found


def test_broken_pyproject_is_a_note_not_a_crash(tmp_path):
    tree(tmp_path, {"pyproject.toml": "[project\n"})
    found = detection.inspect(tmp_path)
    assert found.manager == "none"
    assert any("pyproject.toml" in note and "TOML" in note for note in found.notes)


@pytest.mark.parametrize("app, manager", [("pyproject-app", "pyproject"), ("poetry-app", "poetry"),
                                          ("pipenv-app", "pipenv"), ("uv-app", "uv")])
def test_the_shared_fixture_projects(app, manager):
    found = detection.inspect(DATA / app)
    assert found.manager == manager
    assert found.python_constraint.allowed()[0] == ("3.10" if app == "pyproject-app" else "3.11")
    assert "six" in found.dependencies
