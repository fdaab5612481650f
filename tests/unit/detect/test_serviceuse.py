"""dkenv/detect/serviceuse.py: a suggested service the app does not need is proposed commented,
with why (through detection.inspect)."""
from __future__ import annotations

from dkenv.catalog.entries import catalog
from dkenv.detect import detection, serviceuse
from tests.unit.conftest import tree

CONFIG = """\
import os
class Config:
    DATABASE_URL = os.environ.get('DATABASE_URL', '') or 'sqlite://'
    REDIS_URL = os.environ.get('REDIS_URL') or 'redis://'
    ELASTICSEARCH_URL = os.environ.get('ELASTICSEARCH_URL')
"""
APP = """\
def create_app(config):
    app.search = Search(app.config['ELASTICSEARCH_URL']) if app.config['ELASTICSEARCH_URL'] else None
"""


def test_a_setting_read_with_no_default_that_the_code_tests_makes_the_service_optional(tmp_path):
    tree(tmp_path, {"requirements.txt": "flask\npsycopg2-binary\nredis\nelasticsearch\n",
                    "config.py": CONFIG, "app/__init__.py": APP})
    found = detection.inspect(tmp_path)
    assert found.services == ["postgres", "redis", "elasticsearch"]
    assert list(found.service_commented) == ["elasticsearch"]
    why = found.service_commented["elasticsearch"]
    assert "config.py" in why and "os.environ.get('ELASTICSEARCH_URL')" in why and "app/__init__.py" in why
    assert any(n.startswith("service: elasticsearch (for elasticsearch): proposed commented") for n in found.notes)


def test_read_with_no_default_but_never_tested_stays_active(tmp_path):
    tree(tmp_path, {"requirements.txt": "elasticsearch\n", "config.py": CONFIG,
                    "app/__init__.py": "search = Search(Config.ELASTICSEARCH_URL)\n"})
    assert detection.inspect(tmp_path).service_commented == {}


def test_any_other_read_of_its_variables_keeps_it_active(tmp_path):
    entry = catalog()["elasticsearch"]
    for other in ("URL = os.environ['ELASTICSEARCH_URL']\n", "URL = env('ELASTICSEARCH_URL')\n",
                  "URL = os.getenv('ELASTICSEARCH_URL', 'http://localhost:9200')\n"):
        tree(tmp_path, {"config.py": CONFIG, "app/__init__.py": APP, "settings.py": other})
        assert serviceuse.optional(tmp_path, entry) is None, other
    (tmp_path / "settings.py").unlink()
    assert serviceuse.optional(tmp_path, entry)
    assert serviceuse.optional(tmp_path, catalog()["redis"]) is None  # `or 'redis://'`: a default


def test_tests_and_migrations_are_not_the_settings(tmp_path):
    tree(tmp_path, {"tests/test_search.py": "URL = os.environ['ELASTICSEARCH_URL']\n",
                    "config.py": CONFIG, "app/__init__.py": APP})
    assert serviceuse.optional(tmp_path, catalog()["elasticsearch"])


def test_a_service_only_development_dependencies_suggest_is_commented(tmp_path):
    tree(tmp_path, {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["django", "psycopg2-binary"]\n'
                                      '[dependency-groups]\ntest = ["mysqlclient"]\n'})
    found = detection.inspect(tmp_path)
    assert found.services == ["postgres", "mysql"]
    assert found.service_commented == {
        "mysql": "mysqlclient is not among the app's main dependencies (only in an extra, a dependency group, a "
                 "development requirements file or production ones the app does not run on here: tests, tools, "
                 "options, deployment)"}


def test_pip_development_files_and_projects_with_no_main_file(tmp_path):
    tree(tmp_path, {"requirements.txt": "flask\n", "requirements-dev.txt": "-r requirements.txt\npsycopg2-binary\n"})
    assert list(detection.inspect(tmp_path).service_commented) == ["postgres"]
    tree(tmp_path / "only", {"requirements-dev.txt": "psycopg2-binary\n"})
    assert detection.inspect(tmp_path / "only").service_commented == {}  # nothing else: it counts


def test_dev_only_names_every_suggesting_dependency():
    assert serviceuse.dev_only(["celery[redis]", "redis"], {"celery"}) is None
    assert serviceuse.dev_only(["celery[redis]"], None) is None
    assert "celery, redis are not among the app's main dependencies" in serviceuse.dev_only(["celery[redis]", "redis"], {"x"})


def test_an_optional_extra_is_not_a_main_dependency(tmp_path):
    tree(tmp_path, {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["flask"]\n'
                                      '[project.optional-dependencies]\nsearch = ["elasticsearch"]\n'})
    assert list(detection.inspect(tmp_path).service_commented) == ["elasticsearch"]


FLAGSMITH_LIKE = """\
CLICKHOUSE_URL = env.str("CLICKHOUSE_URL", default=None)
CLICKHOUSE_HOST = env.str("CLICKHOUSE_HOST", default=None)
CLICKHOUSE_PORT = env.int("CLICKHOUSE_PORT", default=None)
CLICKHOUSE_USER = env.str("CLICKHOUSE_USER", default=None)
CLICKHOUSE_ENABLED = bool(CLICKHOUSE_URL or CLICKHOUSE_HOST)
"""


def test_django_environ_reads_defaulting_to_none_gated_by_bool_make_it_optional(tmp_path):
    """Flagsmith: ClickHouse is on only when CLICKHOUSE_URL or CLICKHOUSE_HOST is set; its port
    and user are read the same way, untested (they say nothing of whether it is there)."""
    entry = catalog()["clickhouse"]
    tree(tmp_path, {"app/settings/common.py": FLAGSMITH_LIKE})
    why = serviceuse.optional(tmp_path, entry)
    assert why and 'CLICKHOUSE_URL = env.str("CLICKHOUSE_URL", default=None)' in why
    assert "bool(CLICKHOUSE_URL or CLICKHOUSE_HOST" in why
    # env('V') with no default raises when unset: required
    tree(tmp_path, {"app/settings/common.py": FLAGSMITH_LIKE.replace('env.str("CLICKHOUSE_HOST", default=None)',
                                                                     'env.str("CLICKHOUSE_HOST")')})
    assert serviceuse.optional(tmp_path, entry) is None
    # the host read bare but never asked about: used as if always set
    tree(tmp_path, {"app/settings/common.py": FLAGSMITH_LIKE.replace("CLICKHOUSE_ENABLED = bool(CLICKHOUSE_URL or "
                                                                     "CLICKHOUSE_HOST)", "X = 1")})
    assert serviceuse.optional(tmp_path, entry) is None
