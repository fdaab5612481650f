"""The production image on a real engine (docs/production.md): the Django example with a
compiled dependency (psycopg2 from source: gcc and libpq-dev in the builder, libpq5 at run
time) and the Flask tutorial of the corpus. Each builds its development and production
images once (module fixtures); the tests share them."""
from __future__ import annotations

import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from datetime import datetime

import pytest

from tests.conftest import EXAMPLE, make_project
from tests.docker.conftest import free_port
from tests.docker.test_corpus import corpus
from tests.helpers import wait_until

DJANGO = """\
[project]
name = "@NAME@"
[image]
base = "python:3.11-slim-bookworm"
python = "3.11"
install = "pip"
requirements = ["requirements-dev.txt"]
apt = ["gcc", "libc6-dev", "libpq-dev"]
[run]
command = "python manage.py runserver 0.0.0.0:8000"
ports = [8000]
[debug]
port = 5678
[services.db]
template = "postgres"
version = "15"
"""
REQUIREMENTS = "Django>=4.2,<5.3\npsycopg2==2.9.13\n"  # built from source: no Linux wheel of psycopg2
DEV_REQUIREMENTS = "-r requirements.txt\npytest\n"


def docker(*args: str, check: bool = True, env: dict | None = None, cwd=None, timeout: float = 900) -> str:
    result = subprocess.run(["docker", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)}: {result.returncode}\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result.stdout + result.stderr


def tag_of(result) -> str:
    return result.stdout.decode().strip().splitlines()[-1]


def dev_tag(project) -> str:
    return project.dkenv("tag", "--full").stdout.decode().strip()


def size(image: str) -> int:
    return int(docker("image", "inspect", "-f", "{{.Size}}", image).strip())


def layers(image: str) -> list[str]:
    return json.loads(docker("image", "inspect", "-f", "{{json .RootFS.Layers}}", image))


def in_image(image: str, script: str) -> str:
    return docker("run", "--rm", "--entrypoint", "sh", image, "-c", script, check=False)


def when(stamp: str) -> datetime:
    """Docker's RFC 3339 time (nanoseconds, trailing zeros trimmed)."""
    m = re.match(r"(\S+?)(?:\.(\d+))?Z", stamp.strip())
    return datetime.fromisoformat(f"{m.group(1)}.{(m.group(2) or '0')[:6]:0<6}+00:00")


def answer(url: str) -> tuple[int, bytes] | None:
    """The status and body of a GET, or None while nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:
        return None


def get(url: str) -> tuple[int, bytes]:
    """The first answer to a GET of `url` (a server just started answers after a while)."""
    return wait_until(lambda: answer(url), f"an answer from {url}", every=0.5)


@pytest.fixture(scope="module")
def django_images(docker_engine):
    project = make_project("prodhello", {".dkenv.toml": DJANGO, "requirements.txt": REQUIREMENTS,
                                         "requirements-dev.txt": DEV_REQUIREMENTS}, base=EXAMPLE)
    project.dkenv("build")
    project.dev_image = dev_tag(project)
    started = time.monotonic()
    project.prod_image = tag_of(project.dkenv("build", "--production"))
    project.prod_seconds = time.monotonic() - started
    project.built = [project.dev_image, project.prod_image]
    yield project
    for image in {*project.built, project.prod_image.rsplit(":", 1)[0] + ":latest"}:
        docker("rmi", "-f", image, check=False)


def test_the_production_image_has_no_compiler_no_test_tools_no_debugger(django_images):
    dev, prod = django_images.dev_image, django_images.prod_image
    probe = ("command -v gcc || echo no-gcc; for m in pytest debugpy psycopg2 gunicorn; do "
             "python -c \"import $m\" 2>/dev/null && echo has-$m || echo no-$m; done; id -u")
    assert in_image(dev, probe).split() == ["/usr/bin/gcc", "has-pytest", "has-debugpy", "has-psycopg2",
                                            "no-gunicorn", str(os.getuid())]  # the developer's own UID
    # psycopg2 was compiled in the builder and loads libpq5 here, without gcc or the headers
    assert in_image(prod, probe).split() == ["no-gcc", "no-pytest", "no-debugpy", "has-psycopg2",
                                             "has-gunicorn", "10001"]
    assert "libpq-dev" not in in_image(prod, "dpkg -l | grep -o 'libpq[^ ]*' | sort -u")
    assert in_image(prod, "dpkg -l | grep -o 'libpq5' | sort -u").strip() == "libpq5"


def test_the_production_image_is_smaller(django_images):
    dev, prod = size(django_images.dev_image), size(django_images.prod_image)
    print(f"\nDjango example: development {dev / 1e6:.0f} MB, production {prod / 1e6:.0f} MB, "
          f"production build {django_images.prod_seconds:.0f}s")
    assert prod < dev - 100e6  # gcc, the headers, pytest and debugpy stay out


def test_a_code_change_rebuilds_only_the_source_layer(django_images):
    project = django_images
    urls = project.root / "hello" / "urls.py"
    urls.write_text(urls.read_text().replace("hello from dkenv", "hello again from dkenv"))
    started = time.monotonic()
    result = project.dkenv("build", "--production")
    seconds = time.monotonic() - started
    new = tag_of(result)
    assert new != project.prod_image
    log = (project.root / ".dkenv" / "build-production.log").read_text()
    steps = re.split(r"^Step \d+/\d+ : ", log, flags=re.MULTILINE)[1:]
    rebuilt = [s.splitlines()[0] for s in steps if "Using cache" not in s and not s.startswith("FROM ")]
    assert rebuilt[0] == "COPY --chown=10001:10001 . /app", log
    assert all(s.startswith("LABEL ") for s in rebuilt[1:]), rebuilt  # dkenv's build labels, after it
    before, after = layers(project.prod_image), layers(new)
    assert after[:-1] == before[:-1] and after[-1] != before[-1]
    print(f"\nrebuild after a code-only change: {seconds:.1f}s")
    project.prod_image = new
    project.built.append(new)


def test_exported_context_builds_with_docker_and_the_release_migrates_before_the_app(django_images, tmp_path):
    project = django_images
    project.dkenv("export", "production")
    image = f"dkenv/{project.name}-production:latest"
    output = docker("build", "-f", "deploy/Dockerfile", "-t", image, ".", cwd=project.root)
    assert "Successfully built" in output or "writing image" in output
    port, compose = free_port(), ["docker-compose", "-p", project.name, "-f", "deploy/compose.production.yaml"]
    env = {**os.environ, "POSTGRES_PASSWORD": "prod-secret-42", "APP_PORT": str(port)}
    try:
        up = subprocess.run([*compose, "up", "-d"], cwd=project.root, env=env, capture_output=True, text=True,
                            timeout=300)
        assert up.returncode == 0, up.stdout + up.stderr
        status, body = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and body.startswith(b"hello") and body.endswith(b"from dkenv\n")
        release, app = f"{project.name}_release_1", f"{project.name}_app_1"
        assert docker("inspect", "-f", "{{.State.ExitCode}} {{.Config.Cmd}}", release).split()[0] == "0"
        finished = when(docker("inspect", "-f", "{{.State.FinishedAt}}", release))
        assert finished < when(docker("inspect", "-f", "{{.State.StartedAt}}", app))
        assert docker("inspect", "-f", "{{json .Mounts}}", app).strip() == "[]"  # no bind mount: the source is in
        assert "gunicorn" in docker("exec", app, "cat", "/proc/1/cmdline")
        plan = docker("exec", app, "python", "manage.py", "showmigrations", "--plan")
        assert "[X]  hello.0001_initial" in plan and "[ ]" not in plan
        count = subprocess.run([*compose, "exec", "-T", "db", "psql", "-U", "postgres", "-d", "app", "-tAc",
                                "select count(*) from django_migrations"], cwd=project.root, env=env,
                               capture_output=True, text=True, timeout=60)
        assert int(count.stdout.strip()) > 10, count.stdout + count.stderr
    finally:
        subprocess.run([*compose, "down", "-v"], cwd=project.root, env=env, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def flask_images(docker_engine):
    project = make_project("flask-prod", {}, base=corpus("flask-tutorial"))
    init = project.dkenv("init", "--yes", "--base", "python:3.11-slim-bookworm")
    project.init_output = (init.stdout + init.stderr).decode()
    project.dkenv("build")
    project.dev_image = dev_tag(project)
    project.prod_image = tag_of(project.dkenv("build", "--production"))
    yield project
    for image in {project.prod_image, project.prod_image.rsplit(":", 1)[0] + ":latest", project.dev_image}:
        docker("rmi", "-f", image, check=False)


def test_flask_init_names_the_factory_and_gunicorn(flask_images):
    out = flask_images.init_output
    assert "dkenv: production: gunicorn 'flaskr:create_app()' --bind 0.0.0.0:5000" in out
    assert "gunicorn added to the production image" in out
    assert "SECRET_KEY is written in the code" in out


def test_flask_production_image_serves_through_gunicorn_without_a_mount(flask_images):
    port, name = free_port(), f"{flask_images.name}-run"
    docker("run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:5000", flask_images.prod_image)
    try:
        status, body = get(f"http://127.0.0.1:{port}/hello")
        assert (status, body) == (200, b"Hello, World!")
        assert "gunicorn" in docker("exec", name, "cat", "/proc/1/cmdline")
        assert docker("inspect", "-f", "{{json .Mounts}}", name).strip() == "[]"
        assert docker("exec", name, "python", "-c", "import importlib.metadata as m; print(m.version('flaskr'))"
                      ).strip() == "1.0.0"  # the project's own package, installed
        # the app user owns /app: the tutorial's SQLite file goes to its instance folder there
        docker("exec", name, "flask", "--app", "flaskr", "init-db")
        status, body = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and b"Posts" in body
        def verdict() -> str:
            state = docker("inspect", "-f", "{{.State.Health.Status}}", name).strip()
            return "" if state == "starting" else state

        assert wait_until(verdict, "the health check's first verdict", every=1) == "healthy"
    finally:
        docker("rm", "-f", name, check=False)
    dev, prod = size(flask_images.dev_image), size(flask_images.prod_image)
    print(f"\nFlask tutorial: development {dev / 1e6:.0f} MB, production {prod / 1e6:.0f} MB")
    assert prod < dev
    assert in_image(flask_images.prod_image, "python -c 'import pytest' 2>&1 || true").count("No module") == 1
