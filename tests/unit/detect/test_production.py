"""dkenv/detect/production.py: the production server, release step and checks of a framework."""
from __future__ import annotations

from dkenv.detect import production
from tests.unit.conftest import tree

CONF = "--config /etc/dkenv/gunicorn.conf.py"

DJANGO = {
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.prod")\n',
    "shop/__init__.py": "",
    "shop/settings/__init__.py": "",
    "shop/settings/prod.py": 'SECRET_KEY = "abc"\nDEBUG = True\nALLOWED_HOSTS = ["*"]\n'
                             'WSGI_APPLICATION = "shop.asgi_wsgi.app"\n',
}


def test_django_follows_wsgi_application_of_the_settings_manage_py_names(tmp_path):
    found = production.server(tree(tmp_path, DJANGO), "django", {"django"}, 8000)
    assert found.command == f"gunicorn shop.asgi_wsgi:app --bind 0.0.0.0:8000 {CONF}"
    assert "WSGI_APPLICATION = 'shop.asgi_wsgi.app' in shop.settings.prod" in found.reason
    assert found.packages == ["gunicorn"]
    assert found.release == "python manage.py migrate --noinput"
    checks = "\n".join(found.checks)
    assert "SECRET_KEY is written in the settings" in checks
    assert "DEBUG = True" in checks and "ALLOWED_HOSTS is ['*']" in checks


def test_django_without_wsgi_application_uses_wsgi_py_beside_the_settings(tmp_path):
    root = tree(tmp_path, {
        "src/manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
        "src/site/settings.py": 'SECRET_KEY = os.environ["SECRET_KEY"]\n',
        "src/site/wsgi.py": "application = get_wsgi_application()\n",
    })
    found = production.server(root, "django", {"django", "gunicorn"}, 8001)
    assert found.command == f"gunicorn site.wsgi:application --chdir src --bind 0.0.0.0:8001 {CONF}"
    assert found.packages == []  # the project brings gunicorn
    assert found.release == "python src/manage.py migrate --noinput"
    assert "SECRET_KEY: a long random value" in found.checks[0]


def test_django_without_manage_py_has_no_default(tmp_path):
    found = production.server(tree(tmp_path, {"app.py": ""}), "django", {"django"}, 8000)
    assert found.command is None and "[production] command" in found.reason


def test_fastapi_runs_uvicorn_workers_under_gunicorn(tmp_path):
    root = tree(tmp_path, {"src/api/main.py": "from fastapi import FastAPI\napi = FastAPI()\n",
                           "alembic.ini": "[alembic]\n"})
    found = production.server(root, "fastapi", {"fastapi", "uvicorn"}, 8000)
    assert found.command == ("gunicorn api.main:api --worker-class uvicorn.workers.UvicornWorker "
                             f"--pythonpath src --bind 0.0.0.0:8000 {CONF}")
    assert found.packages == ["gunicorn"]
    assert (found.release, found.release_reason) == ("alembic upgrade head", "alembic.ini is there")


def test_flask_prefers_the_factory(tmp_path):
    root = tree(tmp_path, {"flaskr/__init__.py": "def create_app(test_config=None):\n"
                                                 "    app = Flask(__name__)\n    app.config.from_mapping("
                                                 "SECRET_KEY=\"dev\")\n"})
    found = production.server(root, "flask", {"flask"}, 5000)
    assert found.command == f"gunicorn 'flaskr:create_app()' --bind 0.0.0.0:5000 {CONF}"
    assert found.release == ""
    assert "SECRET_KEY is written in the code" in found.checks[0]


def test_flask_app_object_and_flask_migrate(tmp_path):
    root = tree(tmp_path, {"web.py": "app = Flask(__name__)\n", "migrations/alembic.ini": ""})
    found = production.server(root, "flask", {"flask"}, 5000)
    assert found.command.startswith("gunicorn web:app ")
    assert found.release == "flask --app web db upgrade"


def test_no_framework_no_command(tmp_path):
    found = production.server(tmp_path, None, set(), 8000)
    assert found.command is None and found.packages == []
    assert any("secrets" in c for c in found.checks)


def test_server_packages():
    assert production.server_packages("gunicorn a:b") == ["gunicorn"]
    assert production.server_packages("gunicorn a:b -k uvicorn.workers.UvicornWorker") == ["gunicorn", "uvicorn"]
    assert production.server_packages("uvicorn a:b") == ["uvicorn"]
    assert production.server_packages("python -m http.server") == []
    assert production.server_packages("gunicorn 'x") == []


def test_an_asgi_app_made_at_import_by_a_function(tmp_path):
    root = tree(tmp_path, {"app/__init__.py": "", "app/main.py": (
        "from fastapi import FastAPI\n\ndef get_application() -> FastAPI:\n    return FastAPI()\n\n"
        "app = get_application()\n")})
    found = production.server(root, "fastapi", {"fastapi"}, 8000)
    assert found.command == ("gunicorn app.main:app --worker-class uvicorn.workers.UvicornWorker "
                             f"--bind 0.0.0.0:8000 {CONF}")
    assert "app = get_application() in app/main.py" in found.reason


def test_a_litestar_factory_is_called_by_gunicorn(tmp_path):
    root = tree(tmp_path, {"board/asgi.py": "from litestar import Litestar\n\ndef create_app() -> Litestar:\n"
                                            "    return Litestar([])\n"})
    found = production.server(root, "litestar", {"litestar"}, 8000)
    assert found.command == ("gunicorn 'board.asgi:create_app()' --worker-class uvicorn.workers.UvicornWorker "
                             f"--bind 0.0.0.0:8000 {CONF}")
    assert found.reason.startswith("Litestar through gunicorn")


def test_a_project_without_django_is_never_called_django(tmp_path):
    from dkenv.detect import detection

    root = tree(tmp_path, {"requirements.txt": "litestar\n", "manage.py": "from litestar.__main__ import run_cli\n",
                           "app.py": "from litestar import Litestar\napp = Litestar([])\n"})
    found = detection.inspect(root)
    server = production.server(root, found.framework, set(found.dependencies), 8000)
    assert found.framework == "litestar"
    assert "Django" not in server.reason and server.command.startswith("gunicorn app:app ")
