"""dkenv/detect/launch.py: which server a declared command line starts, and its app."""
from __future__ import annotations

import pytest

from dkenv.detect.launch import read


@pytest.mark.parametrize("line, server, target, port", [
    pytest.param("poetry run alembic upgrade head && poetry run uvicorn --host=0.0.0.0 app.main:app",
                 "uvicorn", "app.main:app", None, id="the_server_after_a_migration_and_poetry_run"),
    pytest.param("flask db upgrade; flask translate compile; gunicorn microblog:app",
                 "gunicorn", "microblog:app", None, id="flask_subcommands_are_not_the_server"),
    pytest.param("exec gunicorn -b :5000 --access-logfile - microblog:app", "gunicorn", "microblog:app", 5000,
                 id="gunicorn_bind_port_only"),
    pytest.param("FLASK_APP=hello.py flask run -p 5001", "flask", "hello.py", 5001,
                 id="flask_app_from_an_assignment_before_the_command"),
    pytest.param("flask --app app:create_app run", "flask", "app:create_app", None, id="flask_app_option"),
    pytest.param("./manage.py runserver 0.0.0.0:9000", "django", "./manage.py", 9000, id="manage_py_runserver"),
    pytest.param("python src/manage.py runserver", "django", "src/manage.py", None, id="python_manage_py"),
    pytest.param("python -m uvicorn app:app --factory --port 8080", "uvicorn", "app:app", 8080,
                 id="python_m_uvicorn"),
    pytest.param("uv run --no-sync fastapi run src/app/main.py --port 8001", "fastapi", "src/app/main.py", 8001,
                 id="uv_run_options_and_the_fastapi_cli"),
    pytest.param("sh -c 'python manage.py migrate && python manage.py runserver'", "django", "manage.py", None,
                 id="sh_c_is_read_inside"),
    pytest.param("litestar --app app.asgi:create_app run --reload", "litestar", "app.asgi:create_app", None,
                 id="litestar_run"),
    pytest.param("tini -- hypercorn app:asgi -b 0.0.0.0:7000", "hypercorn", "app:asgi", 7000, id="tini_and_hypercorn"),
    pytest.param("daphne -p 8001 proj.asgi:application", "daphne", "proj.asgi:application", 8001, id="daphne"),
    pytest.param("python -m myapp", "", "", None, id="a_command_of_unknown_server"),
    pytest.param("gunicorn --workers 3 --log-file - shop.wsgi", "gunicorn", "shop.wsgi", None,
                 id="gunicorn_names_a_module_alone"),
    pytest.param("gunicorn --reload shop.wsgi --bind=:8001", "gunicorn", "shop.wsgi", 8001,
                 id="a_flag_before_the_module_takes_no_value"),
])
def test_read(line, server, target, port):
    found = read(line)
    assert (found.server, found.target, found.port) == (server, target, port)


def test_gunicorn_with_uvicorns_worker_and_a_factory_call():
    found = read("""gunicorn -k uvicorn.workers.UvicornWorker -w 4 "app.main:create_app()" --bind 0.0.0.0:80""")
    assert (found.server, found.target, found.factory, found.asgi, found.port) == (
        "gunicorn", "app.main:create_app", True, True, 80)
    assert not read("gunicorn shop.wsgi").asgi


def test_flask_debug_and_what_is_not_a_command():
    assert read("flask --app flaskr run --debug").debug
    assert read("") is None and read("bash -c 'never closed") is None
    assert read("python manage.py migrate") is None  # not the server, and nothing else
