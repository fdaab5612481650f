"""The connection URL a catalog database injects works, unchanged, in the clients projects
use: SQLAlchemy's create_engine and Django through dj-database-url, against a real
postgres:15 service (docs/services.md, "URL schemes")."""
from __future__ import annotations

import pytest

from tests.conftest import make_project
from tests.docker.conftest import PIP_HEAD

pytestmark = pytest.mark.docker

CONFIG = PIP_HEAD + """\
[services.db]
template = "postgres"
version = "15"
"""

# installed from PyPI by the image build, as a project's requirements would be. SQLAlchemy
# before 2.1, whose default driver for postgresql:// is psycopg2 (2.1's is psycopg 3:
# docs/services.md)
REQUIREMENTS = "SQLAlchemy>=2,<2.1\npsycopg2-binary>=2.9\ndj-database-url>=2\nDjango>=4.2,<5.3\n"

SQLALCHEMY = """
import os, sqlalchemy
engine = sqlalchemy.create_engine(os.environ["DATABASE_URL"])
with engine.connect() as connection:
    database = connection.execute(sqlalchemy.text("select current_database()")).scalar()
    print(engine.dialect.name, engine.dialect.driver, database)
"""

DJANGO = """
import dj_database_url, django
from django.conf import settings
settings.configure(DATABASES={"default": dj_database_url.config()})
django.setup()
from django.db import connection
connection.ensure_connection()
with connection.cursor() as cursor:
    cursor.execute("select current_user")
    print(connection.vendor, connection.settings_dict["NAME"], cursor.fetchone()[0])
"""


@pytest.fixture(scope="module")
def clients(docker_engine):
    """A pip project with the clients installed and a postgres `db`, up."""
    project = make_project("dburls", {".dkenv.toml": CONFIG, "requirements.txt": REQUIREMENTS})
    project.dkenv("up")
    yield project
    project.dkenv("down", check=False)


def test_the_injected_url_uses_the_scheme_every_client_accepts(clients):
    url = clients.dkenv("exec", "printenv", "DATABASE_URL").stdout.decode().strip()
    assert url == "postgresql://postgres:postgres@db:5432/app"


def test_sqlalchemy_connects_with_the_url_as_it_is(clients):
    result = clients.dkenv("exec", "python", "-c", SQLALCHEMY, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().split() == ["postgresql", "psycopg2", "app"]


def test_django_connects_through_dj_database_url(clients):
    result = clients.dkenv("exec", "python", "-c", DJANGO, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().split() == ["postgresql", "app", "postgres"]
