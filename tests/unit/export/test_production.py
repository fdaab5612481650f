"""dkenv/production/compose.py: compose.production.yaml for the production image."""
from __future__ import annotations

import pytest
import yaml

from dkenv.production import compose as compose_production
from dkenv.image import plan
from dkenv.production import plan as image_production
from tests.unit.conftest import make_config_project, tree

BODY = """\
[image]
install = "pip"
[run]
ports = ["8001:8000"]
env = { DJANGO_DEBUG = "1" }
[production]
env = { DJANGO_DEBUG = "0", DJANGO_SECRET_KEY = "", PRICE = "5$" }
[services.db]
template = "postgres"
env = { POSTGRES_PASSWORD = "dev-only" }
[services.cache]
template = "redis"
[services.worker]
command = "celery -A hello worker"
depends_on = ["db"]
"""
DJANGO = {"manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hello.settings")\n',
          "hello/settings.py": 'WSGI_APPLICATION = "hello.wsgi.application"\n', "requirements.txt": "django\n"}


@pytest.fixture(autouse=True)
def no_host_cas(tmp_path, monkeypatch):
    monkeypatch.setattr(plan, "HOST_CA_DIR", tmp_path / "none")


def exported(tmp_path, body=BODY, folder="deploy"):
    tree(tmp_path, DJANGO)
    project = make_config_project(tmp_path, body)
    inputs = image_production.make(project, f"{folder}/Dockerfile")
    doc, needed = compose_production.document(project, inputs, folder)
    text = compose_production.render(doc, folder, needed)
    return yaml.safe_load(text), needed, text


def test_release_runs_once_before_the_app(tmp_path):
    doc, _, _ = exported(tmp_path)
    services = doc["services"]
    assert list(services) == ["db", "cache", "worker", "release", "app"]
    release, app = services["release"], services["app"]
    assert release["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert release["restart"] == "no" and release["image"] == app["image"] == "dkenv/demo-production:latest"
    assert release["depends_on"] == {"db": {"condition": "service_healthy"}, "cache": {"condition": "service_healthy"},
                                     "worker": {"condition": "service_started"}}
    assert app["depends_on"]["release"] == {"condition": "service_completed_successfully"}
    assert app["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert app["ports"] == ["${APP_PORT:-8000}:8000"] and app["restart"] == "unless-stopped"


def test_services_in_production_style(tmp_path):
    doc, needed, text = exported(tmp_path)
    db = doc["services"]["db"]
    assert "ports" not in db and "user" not in db
    assert db["volumes"] == ["db-data:/var/lib/postgresql/data"] and doc["volumes"] == {"db-data": {}, "cache-data": {}}
    assert db["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert "dev-only" not in text  # a development credential never reaches production
    assert db["healthcheck"]["test"][1].startswith("pg_isready")
    worker = doc["services"]["worker"]
    assert worker["image"] == "dkenv/demo-production:latest" and worker["command"] == ["celery", "-A", "hello", "worker"]
    assert "cache-data" in doc["volumes"]
    assert needed == ["DJANGO_SECRET_KEY", "POSTGRES_PASSWORD"]
    assert "POSTGRES_PASSWORD=... DJANGO_SECRET_KEY=..." in text or "DJANGO_SECRET_KEY=... POSTGRES_PASSWORD=..." in text


def test_the_app_environment(tmp_path):
    doc, _, _ = exported(tmp_path)
    env = doc["services"]["app"]["environment"]
    assert env["DATABASE_URL"] == "postgresql://postgres:${POSTGRES_PASSWORD}@db:5432/app"
    assert env["PGPASSWORD"] == "${POSTGRES_PASSWORD}"
    assert env["DJANGO_DEBUG"] == "0" and env["PRICE"] == "5$$"  # $ kept literal for Compose
    assert env["DJANGO_SECRET_KEY"] == "${DJANGO_SECRET_KEY:?set DJANGO_SECRET_KEY (production.env)}"
    assert doc["services"]["worker"]["environment"] == env


def test_without_release_nor_services(tmp_path):
    body = '[image]\ninstall = "pip"\n[production]\nrelease = ""\n'
    doc, needed, _ = exported(tmp_path, body, folder="ops/prod")
    assert list(doc["services"]) == ["app"] and needed == []
    app = doc["services"]["app"]
    assert "depends_on" not in app and "environment" not in app and "volumes" not in doc
    assert app["build"] == {"context": "../..", "dockerfile": "ops/prod/Dockerfile"}


def test_two_services_with_the_same_secret_get_two_variables(tmp_path):
    body = '[image]\ninstall = "pip"\n[services.db]\ntemplate = "postgres"\n[services.db2]\ntemplate = "postgres"\n'
    doc, needed, _ = exported(tmp_path, body)
    assert needed == ["DB2_POSTGRES_PASSWORD", "POSTGRES_PASSWORD"]
    assert doc["services"]["db2"]["environment"]["POSTGRES_PASSWORD"].startswith("${DB2_POSTGRES_PASSWORD:?")
    assert doc["services"]["app"]["environment"]["DB2_URL"] == "postgresql://postgres:${DB2_POSTGRES_PASSWORD}@db2:5432/app"
