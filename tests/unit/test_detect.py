"""dkenv/detect.py: what a project folder says about its dependencies, Python and framework."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from dkenv import detect

DATA = Path(__file__).resolve().parents[1] / "data"


def tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


# --- Django with requirements.txt ---

def test_django_with_psycopg2(tmp_path):
    tree(tmp_path, {
        "requirements.txt": "Django>=4.2,<5.3\npsycopg2>=2.9  # the database\n",
        "manage.py": "import django\n",
        ".python-version": "3.12.1\n",
    })
    found = detect.inspect(tmp_path)
    assert found.manager == "pip"
    assert found.requirements == ["requirements.txt"]
    assert found.constraints == []
    assert found.python == "3.12"
    assert found.python_source == ".python-version"
    assert found.framework == "django"
    assert found.command == "python manage.py runserver 0.0.0.0:8000"
    assert found.ports == [8000]
    assert found.apt == ["build-essential", "libpq-dev"]
    assert found.apt_for == {"build-essential": ["psycopg2"], "libpq-dev": ["psycopg2"]}
    assert found.services == ["postgres"]
    assert found.dependencies == ["django", "psycopg2"]
    assert any("python manage.py runserver" in note for note in found.notes)
    assert any("libpq-dev" in note and "psycopg2" in note for note in found.notes)


def test_psycopg2_binary_needs_no_apt_but_proposes_postgres(tmp_path):
    tree(tmp_path, {"requirements.txt": "psycopg2-binary==2.9.9\n"})
    found = detect.inspect(tmp_path)
    assert found.apt == []
    assert found.services == ["postgres"]
    assert found.service_for == {"postgres": ["psycopg2-binary"]}


def test_manage_py_in_a_subfolder(tmp_path):
    tree(tmp_path, {"requirements.txt": "django\n", "src/manage.py": "", "src/site/settings.py": ""})
    found = detect.inspect(tmp_path)
    assert found.command == "python src/manage.py runserver 0.0.0.0:8000"


def test_django_without_manage_py_has_no_command(tmp_path):
    tree(tmp_path, {"requirements.txt": "django\n"})
    found = detect.inspect(tmp_path)
    assert found.framework == "django"
    assert found.command is None
    assert any("no manage.py" in note for note in found.notes)


# --- requirements files ---

def test_dev_requirements_including_the_main_file_are_used_alone(tmp_path):
    tree(tmp_path, {
        "requirements.txt": "-c constraints.txt\nflask\n",
        "requirements-dev.txt": "-r requirements.txt\npytest\n",
        "constraints.txt": "flask==3.0.0\nredis==5.0\n",
    })
    found = detect.inspect(tmp_path)
    assert found.requirements == ["requirements-dev.txt"]
    assert found.dependencies == ["flask", "pytest"]  # constraints pin, they do not install
    assert found.constraints == []  # already passed by requirements.txt itself
    assert found.services == []


def test_dev_requirements_not_including_the_main_file_come_after_it(tmp_path):
    tree(tmp_path, {"requirements.txt": "flask\n", "requirements/dev.txt": "pytest\n"})
    found = detect.inspect(tmp_path)
    assert found.requirements == ["requirements.txt", "requirements/dev.txt"]
    assert found.dependencies == ["flask", "pytest"]


def test_requirements_folder_base_file(tmp_path):
    tree(tmp_path, {
        "requirements/base.txt": "redis\n",
        "requirements/production.txt": "-r base.txt\ngunicorn\n",
    })
    found = detect.inspect(tmp_path)
    assert found.manager == "pip"
    assert found.requirements == ["requirements/base.txt"]
    assert found.dependencies == ["redis"]


def test_unnamed_requirements_file_is_still_pip(tmp_path):
    tree(tmp_path, {"test-requirements.txt": "pytest\n"})
    found = detect.inspect(tmp_path)
    assert found.manager == "pip"
    assert found.requirements == ["test-requirements.txt"]


def test_top_level_constraints_file_is_passed_when_not_included(tmp_path):
    tree(tmp_path, {"requirements.txt": "flask\n", "constraints.txt": "flask==3.0.0\n"})
    found = detect.inspect(tmp_path)
    assert found.requirements == ["requirements.txt"]
    assert found.constraints == ["constraints.txt"]


def test_requirements_file_syntax(tmp_path):
    tree(tmp_path, {"requirements.txt": r"""
        # a comment line
        --index-url https://example.com/simple
        --extra-index-url=https://example.com/other
        celery[redis,  msgpack]>=5.3 ; python_version >= "3.8"
        Zope.Interface==6.0 \
            --hash=sha256:0123456789abcdef
        requests[socks]
        -e git+https://github.com/example/some_lib.git@v1#egg=Some_Lib
        --editable ./local-package
        ./vendor/Thing-1.0-py3-none-any.whl
        https://example.com/archive.tar.gz
        attrs @ https://example.com/attrs-23.1.0-py3-none-any.whl
        -rmore.txt
        """, "more.txt": "PyMySQL  # mysql driver\n"})
    found = detect.inspect(tmp_path)
    assert found.dependencies == ["attrs", "celery", "pymysql", "requests", "some-lib", "thing",
                                  "zope-interface"]
    assert found.extras == {"celery": ["msgpack", "redis"], "requests": ["socks"]}
    assert found.services == ["mysql", "redis"]
    assert found.service_for["redis"] == ["celery[redis]"]


def test_include_cycle_and_missing_file_do_not_break(tmp_path):
    tree(tmp_path, {"requirements.txt": "-r other.txt\n-r missing.txt\nflask\n",
                    "other.txt": "-r requirements.txt\nredis\n"})
    found = detect.inspect(tmp_path)
    assert found.dependencies == ["flask", "redis"]
    assert any("missing.txt" in note for note in found.notes)


@pytest.mark.parametrize("line, expected", [
    ("celery[redis]>=5", ("celery", {"redis"})),
    ("Django>=4.2,<5.3", ("django", set())),
    ("psycopg[binary, pool]; python_version > '3.8'", ("psycopg", {"binary", "pool"})),
    ("ruamel.yaml", ("ruamel-yaml", set())),
    ("foo @ https://example.com/foo.zip", ("foo", set())),
    ("git+https://github.com/a/b.git#egg=My_Pkg[extra]", ("my-pkg", {"extra"})),
    ("./local", None),
    ("https://example.com/x.tar.gz", None),
])
def test_parse_requirement(line, expected):
    assert detect.parse_requirement(line) == expected


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
    found = detect.inspect(tmp_path)
    assert found.manager == "poetry"
    assert found.requirements == []
    assert found.python == "3.11"
    assert found.python_source == "pyproject.toml [tool.poetry.dependencies] python"
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
    found = detect.inspect(tmp_path)
    assert found.manager == "pipenv"
    assert found.python == "3.10"
    assert found.python_source == "Pipfile [requires] python_version"
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
    found = detect.inspect(tmp_path)
    assert found.manager == "uv"
    assert found.requirements == []
    assert found.python == "3.11"
    assert found.python_source == "pyproject.toml requires-python"
    assert found.dependencies == ["fastapi", "pytest", "ruff", "uvicorn"]
    assert found.extras == {"uvicorn": ["standard"]}
    assert found.framework == "fastapi"
    assert found.command == "uvicorn main:app --host 0.0.0.0 --port 8000 --reload"


def test_pep621_project(tmp_path):
    tree(tmp_path, {"pyproject.toml": """
        [project]
        name = "app"
        dependencies = ["psycopg>=3.1", "pymongo", "opensearch-py", "clickhouse-connect"]

        [project.optional-dependencies]
        search = ["elasticsearch>=8"]
        queue = ["pika"]
        """})
    found = detect.inspect(tmp_path)
    assert found.manager == "pyproject"
    assert found.python is None and found.python_source is None
    assert found.apt == ["libpq5"]  # psycopg 3 without [binary] loads the system libpq
    assert found.services == ["postgres", "mongodb", "rabbitmq", "elasticsearch", "opensearch", "clickhouse"]


@pytest.mark.parametrize("spec, apt", [
    ("psycopg[binary]", []),
    ("psycopg[c]", ["build-essential", "libpq-dev", "libpq5"]),
    ("psycopg", ["libpq5"]),
])
def test_psycopg_extras_decide_the_apt_packages(tmp_path, spec, apt):
    tree(tmp_path, {"requirements.txt": spec + "\n"})
    assert detect.inspect(tmp_path).apt == apt


def test_lxml_is_only_a_hint_because_wheels_exist(tmp_path):
    tree(tmp_path, {"requirements.txt": "lxml\n"})
    found = detect.inspect(tmp_path)
    assert found.apt == []
    assert any("libxml2-dev" in note and "from source" in note for note in found.notes)


@pytest.mark.parametrize("files, manager", [
    ({"uv.lock": "", "poetry.lock": "", "Pipfile": "", "requirements.txt": ""}, "uv"),
    ({"poetry.lock": "", "Pipfile": "", "requirements.txt": ""}, "poetry"),
    ({"pyproject.toml": "[tool.poetry]\nname = 'x'\n", "requirements.txt": ""}, "poetry"),
    ({"Pipfile.lock": "{}", "requirements.txt": ""}, "pipenv"),
    ({"requirements.txt": "", "pyproject.toml": "[project]\nname = 'x'\ndependencies = []\n"}, "pip"),
    ({"pyproject.toml": "[project]\nname = 'x'\ndependencies = []\n"}, "pyproject"),
    ({"pyproject.toml": "[tool.black]\nline-length = 100\n"}, "none"),
    ({"setup.py": ""}, "none"),
])
def test_manager_priority(tmp_path, files, manager):
    tree(tmp_path, files)
    assert detect.inspect(tmp_path).manager == manager


def test_empty_folder_finds_nothing(tmp_path):
    found = detect.inspect(tmp_path)
    assert (found.manager, found.python, found.framework, found.command) == ("none", None, None, None)
    assert found.ports == found.apt == found.services == found.dependencies == []
    assert found.notes  # says that nothing was found


def test_broken_pyproject_is_a_note_not_a_crash(tmp_path):
    tree(tmp_path, {"pyproject.toml": "[project\n"})
    found = detect.inspect(tmp_path)
    assert found.manager == "none"
    assert any("pyproject.toml" in note and "TOML" in note for note in found.notes)


@pytest.mark.parametrize("app, manager", [("pyproject-app", "pyproject"), ("poetry-app", "poetry"),
                                          ("pipenv-app", "pipenv"), ("uv-app", "uv")])
def test_the_shared_fixture_projects(app, manager):
    found = detect.inspect(DATA / app)
    assert found.manager == manager
    assert found.python == ("3.10" if app == "pyproject-app" else "3.11")
    assert "six" in found.dependencies


# --- frameworks ---

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
    found = detect.inspect(tmp_path)
    assert found.framework == framework
    assert found.command == command
    assert found.ports == ports


def test_flask_app_py(tmp_path):
    tree(tmp_path, {"requirements.txt": "flask\n",
                    "app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert detect.inspect(tmp_path).command == "flask run --host 0.0.0.0 --port 5000"


def test_fastapi_in_a_src_layout(tmp_path):
    tree(tmp_path, {"requirements.txt": "fastapi\n",
                    "src/service/web.py": "import fastapi\napp = fastapi.FastAPI()\n"})
    found = detect.inspect(tmp_path)
    assert found.command == "uvicorn service.web:app --app-dir src --host 0.0.0.0 --port 8000 --reload"


# --- Python versions ---

@pytest.mark.parametrize("spec, version", [
    (">=3.10,<3.13", "3.10"),
    (">=3.10", "3.10"),
    (">= 3.9, < 4", "3.9"),
    (">=3.6", "3.8"),  # the lowest with an official image
    (">=3.8,!=3.8.*,!=3.9.*", "3.10"),
    ("~=3.11.2", "3.11"),
    ("==3.12.*", "3.12"),
    (">3.12", "3.12"),  # 3.12.1 is > 3.12
    ("^3.11", "3.11"),
    ("~3.10", "3.10"),
    (">=3.8 <3.12", "3.8"),
    ("^3.9 || ^3.12", "3.9"),
    (">=3.15", "3.15"),
    ("*", None),
    ("", None),
    ("python3", None),
])
def test_python_from_spec(spec, version):
    assert detect.python_from_spec(spec) == version


@pytest.mark.parametrize("text, version", [
    ("3.12.1", "3.12"), ("3.12", "3.12"), ("python-3.11.4", "3.11"),
    ("cpython-3.13.0-linux-x86_64-gnu", "3.13"),
    ("pypy3.10", None), ("system", None), ("3", None), ("2.7.18", None),
])
def test_python_from_version(text, version):
    assert detect.python_from_version(text) == version


def test_runtime_txt(tmp_path):
    tree(tmp_path, {"runtime.txt": "python-3.11.4\n"})
    found = detect.inspect(tmp_path)
    assert (found.python, found.python_source) == ("3.11", "runtime.txt")


def test_python_version_file_wins_over_requires_python(tmp_path):
    tree(tmp_path, {".python-version": "# pinned\n3.13\n",
                    "pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.10'\n",
                    "runtime.txt": "python-3.9.1\n"})
    found = detect.inspect(tmp_path)
    assert (found.python, found.python_source) == ("3.13", ".python-version")


def test_unusable_python_version_falls_through_with_a_note(tmp_path):
    tree(tmp_path, {".python-version": "pypy3.10\n", "runtime.txt": "python-3.11.4\n"})
    found = detect.inspect(tmp_path)
    assert (found.python, found.python_source) == ("3.11", "runtime.txt")
    assert any(".python-version" in note and "pypy3.10" in note for note in found.notes)


# --- the apt data file ---

def test_apt_needs_data_is_well_formed():
    needs = detect.apt_needs()
    assert {"psycopg2", "mysqlclient", "gdal", "python-ldap", "lxml", "psycopg", "pyodbc"} <= set(needs)
    assert "psycopg2-binary" not in needs
    debian = re.compile(r"^[a-z0-9][a-z0-9+.-]*$")  # what config.validate accepts, without versions
    for name, entry in needs.items():
        assert name == detect.normalize(name), name
        assert set(entry) <= {"apt", "why", "when", "unless_extras", "extras"}, name
        assert entry.get("when", "always") in ("always", "source"), name
        assert entry["why"], name
        for item in [entry, *entry.get("extras", {}).values()]:
            assert item["apt"] and all(debian.match(p) for p in item["apt"]), name
            assert not any(p.startswith("python3") for p in item["apt"]), name  # headers come with the image
