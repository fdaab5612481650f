"""Public projects no one here wrote (../shared/corpus, read-only, at fixed commits): each is
copied to a temporary folder and driven as its corpus README says a new user would.

The corpus is found through $DKENV_CORPUS (set by .ci/run, which copies the checkout
elsewhere) or beside the repository; under DKENV_REQUIRE_DOCKER=1 a missing corpus fails.
"""
from __future__ import annotations

import os
import re
import subprocess
import urllib.request
from pathlib import Path

import pytest

from dkenv import tomltext
from tests.conftest import REPO, make_project
from tests.docker.conftest import free_port
from tests.helpers import wait_until

BASE = "python:3.11-slim-bookworm"


def corpus(name: str) -> Path:
    folder = Path(os.environ.get("DKENV_CORPUS") or REPO.parent / "shared" / "corpus") / name
    if not folder.is_dir():
        if os.environ.get("DKENV_REQUIRE_DOCKER") == "1":
            pytest.fail(f"the corpus project {folder} is missing (set DKENV_CORPUS)")
        pytest.skip(f"no corpus project at {folder}")
    return folder


def text(result: subprocess.CompletedProcess) -> str:
    return (result.stdout + result.stderr).decode(errors="replace")


def edit_config(project, change) -> None:
    path = project.root / ".dkenv.toml"
    doc = tomltext.parse(path.read_text())
    change(doc)
    path.write_text(doc.as_string())


@pytest.fixture(scope="module")
def flask_tutorial(docker_engine):
    project = make_project("flask-tutorial", {}, base=corpus("flask-tutorial"))
    init = project.dkenv("init", "--yes", "--base", BASE)
    port = free_port()
    edit_config(project, lambda doc: doc["run"].__setitem__("ports", [f"{port}:5000"]))
    project.port, project.init_output = port, text(init)
    project.dkenv("up")
    return project


def test_flask_tutorial_init_finds_flask_and_the_test_extra(flask_tutorial):
    cfg = tomltext.loads((flask_tutorial.root / ".dkenv.toml").read_text())
    assert cfg["image"]["extras"] == ["test"]
    assert "flask" in cfg["run"]["command"]


def test_flask_tutorial_tests_pass_in_the_container(flask_tutorial):
    result = flask_tutorial.dkenv("exec", "pytest", "-q", check=False)
    assert result.returncode == 0, text(result)
    assert re.search(r"\b24 passed\b", text(result)), text(result)


def test_flask_tutorial_run_serves_on_loopback(flask_tutorial):
    flask_tutorial.dkenv("exec", "flask", "--app", "flaskr", "init-db")
    server = subprocess.Popen(flask_tutorial.command("run"), cwd=flask_tutorial.root, env=flask_tutorial.env(),
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    def body() -> bytes | None:
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{flask_tutorial.port}/", timeout=2).read()
        except OSError:
            return None

    try:
        assert b"Posts" in wait_until(body, "the tutorial to answer on its port", alive=server, every=0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def fastapi_template(docker_engine):
    project = make_project("fastapi-template", {}, base=corpus("fastapi-template"))
    init = project.dkenv("init", "--yes", "--base", BASE)
    project.init_output = text(init)
    return project


def test_fastapi_template_init_understands_the_workspace(fastapi_template):
    cfg = tomltext.loads((fastapi_template.root / ".dkenv.toml").read_text())
    assert cfg["image"]["workdir"] == "backend"
    assert cfg["image"]["install"] == "uv"
    assert any(s.get("template") == "postgres" for s in cfg.get("services", {}).values()), cfg
    assert "fastapi" in fastapi_template.init_output.lower()


def test_fastapi_template_migrates_and_tests_against_the_service(fastapi_template):
    # init pointed the app at the service and gave the service the .env's password
    cfg = tomltext.loads((fastapi_template.root / ".dkenv.toml").read_text())
    name = next(n for n, s in cfg["services"].items() if s.get("template") == "postgres")
    assert cfg["run"]["env"]["POSTGRES_SERVER"] == name
    assert cfg["services"][name]["env"] == {"POSTGRES_PASSWORD": "changethis"}  # user and db: the catalog's

    def pullable_version(doc):
        doc["services"][name]["version"] = "15"  # the catalog's 16 cannot be pulled on this machine
    edit_config(fastapi_template, pullable_version)
    fastapi_template.dkenv("up")
    backend = fastapi_template.root / "backend"
    migrate = fastapi_template.dkenv("exec", "alembic", "upgrade", "head", cwd=backend, check=False)
    assert migrate.returncode == 0, text(migrate)
    tests = fastapi_template.dkenv("exec", "pytest", "-q", "-p", "no:cacheprovider", cwd=backend, check=False)
    summary = text(tests)
    passed = re.search(r"(\d+) passed", summary)
    failed = re.search(r"(\d+) failed", summary)
    assert passed and int(passed.group(1)) >= 55, summary[-3000:]
    assert not failed or int(failed.group(1)) <= 1, summary[-3000:]


@pytest.fixture(scope="module")
def session_jwt(docker_engine):
    project = make_project("django-session-jwt", {}, base=corpus("django-session-jwt"))
    project.dkenv("init", "--yes", "--base", BASE)
    return project


def test_session_jwt_old_lock_fails_naming_the_package(session_jwt):
    result = session_jwt.dkenv("up", check=False)
    out = text(result)
    assert result.returncode == 1, out
    assert "Traceback" not in out
    assert ".dkenv/build.log" in out
    assert re.search(r"lazy-object-proxy|pylint|astroid|wrapt", out, re.IGNORECASE), out
    assert (session_jwt.root / ".dkenv" / "build.log").stat().st_size > 0


def test_session_jwt_without_its_lock_locks_installs_and_tests(session_jwt):
    (session_jwt.root / "Pipfile.lock").unlink()
    session_jwt.dkenv("up")
    assert not (session_jwt.root / "Pipfile.lock").exists()  # locked in the image, not in the user's folder
    result = session_jwt.dkenv("exec", "python", "manage.py", "test", "django_session_jwt", check=False)
    out = text(result)
    # Its Pipfile asks for any Django: the lock made today gives Django 5, where the project's
    # own urls.py (django.conf.urls.url, removed in Django 4) fails its system checks, as it
    # would with `pipenv install` on the host. dkenv's part: locked, installed, tests found
    # and run in the container with the locked packages.
    assert "Found 8 test(s)" in out, out
    assert "ModuleNotFoundError" not in out and "No module named" not in out, out
    assert result.returncode == 0 or "cannot import name 'url' from 'django.conf.urls'" in out, out
