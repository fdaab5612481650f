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
    assert b"Posts" in served(flask_tutorial, f"http://127.0.0.1:{flask_tutorial.port}/")


def served(project, url: str) -> bytes:
    """What `dkenv run` serves at `url` (on 127.0.0.1), once it answers; the server stopped after."""
    server = subprocess.Popen(project.command("run"), cwd=project.root, env=project.env(),
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def body() -> bytes | None:
        try:
            return urllib.request.urlopen(url, timeout=2).read()
        except OSError:
            return None

    try:
        return wait_until(body, f"{url} to answer (dkenv run)", alive=server, every=0.5)
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
    # its compose services are built with the root as context and backend/Dockerfile: the
    # backend's (how it runs, its environment), the SMTP host (mailcatcher) no dkenv service
    assert "compose.override.yml (services.backend.command)" in fastapi_template.init_output
    assert cfg["run"]["env"]["SMTP_PORT"] == "1025" and "SMTP_HOST" not in cfg["run"]["env"], cfg["run"]


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


def host_port(project) -> int:
    """The host port `init` chose for the app's first port ("5000" or "5001:5000"): no edit."""
    cfg = tomltext.loads((project.root / ".dkenv.toml").read_text())
    return int(str(cfg["run"]["ports"][0]).split(":")[0])


@pytest.fixture(scope="module")
def microblog(docker_engine):
    project = make_project("microblog", {}, base=corpus("microblog"))
    project.init_output = text(project.dkenv("init", "--yes", "--base", BASE))
    project.dkenv("up")
    return project


def test_microblog_init_proposes_postgres_and_redis_and_comments_elasticsearch(microblog):
    cfg = tomltext.loads((microblog.root / ".dkenv.toml").read_text())
    assert {name: s["template"] for name, s in cfg["services"].items()} == {"db": "postgres", "redis": "redis"}
    assert (cfg["services"]["db"]["version"], cfg["services"]["redis"]["version"]) == ("15", "7")  # on this machine
    text_ = (microblog.root / ".dkenv.toml").read_text()
    why = " ".join(text_[text_.index("# Proposed, not active"):text_.index("\n# [services.elasticsearch]")]
                   .replace("#", " ").split())
    assert "config.py reads `ELASTICSEARCH_URL = os.environ.get('ELASTICSEARCH_URL')` with no default" in why, why
    assert "elasticsearch" in microblog.init_output and "proposed commented" in microblog.init_output


def test_microblog_database_url_is_one_sqlalchemy_2_accepts(microblog):
    probe = ("import os, sqlalchemy; engine = sqlalchemy.create_engine(os.environ['DATABASE_URL']); "
             "print('answer', engine.connect().execute(sqlalchemy.text('select 40 + 2')).scalar())")
    result = microblog.dkenv("exec", "python", "-c", probe, check=False)
    assert result.returncode == 0 and "answer 42" in text(result), text(result)


def test_microblog_migrates_and_its_tests_pass(microblog):
    migrate = microblog.dkenv("exec", "flask", "db", "upgrade", check=False)
    assert migrate.returncode == 0 and "Running upgrade" in text(migrate), text(migrate)
    tables = microblog.dkenv("exec", "python", "-c", "import os, sqlalchemy; print(sorted(sqlalchemy.inspect("
                             "sqlalchemy.create_engine(os.environ['DATABASE_URL'])).get_table_names()))")
    assert "'user'" in text(tables) and "'post'" in text(tables), text(tables)
    tests = microblog.dkenv("exec", "python", "tests.py", check=False)
    assert tests.returncode == 0, text(tests)
    assert re.search(r"\bRan 4 tests\b", text(tests)) and re.search(r"(?m)^OK\b", text(tests)), text(tests)


def test_microblog_run_serves_on_loopback(microblog):
    assert b"Sign In" in served(microblog, f"http://127.0.0.1:{host_port(microblog)}/auth/login")


def test_microblog_ci_runs_its_tests_with_unittest(microblog):
    microblog.dkenv("ci", "github")
    workflow = (microblog.root / ".github" / "workflows" / "dkenv.yml").read_text()
    test_step = workflow[workflow.index('name: "Test"'):].split("\n")[1]
    assert re.search(r'run: "dkenv exec (python tests\.py|python -m unittest)\b', test_step), workflow


@pytest.fixture(scope="module")
def fastapi_realworld(docker_engine):
    project = make_project("fastapi-realworld", {}, base=corpus("fastapi-realworld"))
    project.init_output = text(project.dkenv("init", "--yes", "--base", BASE))
    return project


def test_fastapi_realworld_init_reads_how_it_runs_and_what_its_lock_needs(fastapi_realworld):
    cfg = tomltext.loads((fastapi_realworld.root / ".dkenv.toml").read_text())
    assert cfg["run"]["command"].startswith("uvicorn app.main:app "), cfg["run"]
    assert [s["template"] for s in cfg["services"].values()] == ["postgres"]
    out = fastapi_realworld.init_output
    assert "poetry.lock was made for Python 3.10: 7 of its pins have no wheel for Python 3.11" in out, out
    for pin in ("greenlet 1.1.2", "psycopg2-binary 2.9.3", "asyncpg 0.26.0"):
        assert pin in out, out
    assert "build-essential" in out and "libpq-dev" in out and 'image.python = "3.10"' in out, out


def test_fastapi_realworld_up_fails_before_building_saying_why(fastapi_realworld):
    result = fastapi_realworld.dkenv("up", check=False)
    out = text(result)
    assert result.returncode == 1, out
    lead = next(line for line in out.splitlines() if "poetry.lock" in line)
    assert lead.startswith("dkenv: poetry.lock was made for Python 3.10") and "nothing was built" in lead, out
    assert "greenlet 1.1.2" in out and 'image.python = "3.10"' in out, out
    assert "Traceback" not in out and "gcc" not in out and "error:" not in out, out
    assert "pulling" not in out, out  # said before any service image is looked for


def test_microblog_init_chooses_a_python_its_pinned_wheels_exist_for(docker_engine):
    """Its requirements pin psycopg2-binary 2.9.9, greenlet 3.0.1 and multidict 6.0.4, whose
    wheels stop before 3.13 (the newest Python image here): init asks PyPI's simple API and
    takes the newest local image they all have wheels for (detect/pinwheels.py)."""
    project = make_project("microblog-py", {}, base=corpus("microblog"))
    said = text(project.dkenv("init", "--yes"))
    assert "python 3.11: python:3.11-slim-bookworm provides it: the newest Python image on this machine, " \
           "one requirements.txt's pins all have wheels for" in said, said
    assert tomltext.loads((project.root / ".dkenv.toml").read_text())["image"]["python"] == "3.11"


def test_fastapi_realworld_init_chooses_the_python_its_lock_was_made_for(docker_engine):
    """Its poetry.lock's wheels stop at 3.10 (greenlet 1.1.2, asyncpg 0.26.0...): init takes
    3.10, which the engine pulls, rather than the newest local image the lock cannot install on."""
    project = make_project("realworld-py", {}, base=corpus("fastapi-realworld"))
    said = text(project.dkenv("init", "--yes"))
    # the variant of its own Dockerfile's `FROM python:3.9.10-slim`
    assert "python 3.10: python:3.10-slim provides it: " in said and \
        "one poetry.lock's pins all have wheels for" in said, said
    assert "note: poetry.lock" not in said, said  # nothing left to say: the lock fits
