"""detect/settingshosts.py: settings lines writing localhost where a service is meant."""
from __future__ import annotations

from dkenv.detect import settingshosts
from tests.unit.conftest import tree

SERVICES = {"db": "postgres", "redis": "redis"}

NETBOX_LIKE = """\
DATABASE = {
    'NAME': 'netbox',
    'HOST': 'localhost',
}

REDIS = {
    'tasks': {
        'HOST': 'localhost',
        'PORT': 6379,
    },
}
"""


def test_hosts_in_a_settings_dict_are_named_with_their_service(tmp_path):
    root = tree(tmp_path, {"app/conf/configuration.py": NETBOX_LIKE})
    found = settingshosts.find(root, SERVICES)
    assert [(h.path, h.line, h.service) for h in found] == [
        ("app/conf/configuration.py", 3, "db"), ("app/conf/configuration.py", 8, "redis")]
    note = found[0].note()
    assert note.startswith("app/conf/configuration.py:3: `'HOST': 'localhost',` names this machine")
    assert "the db service is the host 'db'" in note and "DATABASE_URL, PGHOST" in note


def test_urls_by_their_scheme_and_plain_host_variables(tmp_path):
    root = tree(tmp_path, {"settings.py": 'SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://u:p@localhost:5432/x"\n'
                                         'CACHE_HOST = "127.0.0.1"\n'
                                         'DOCS = "http://localhost:8000/docs"\n'})
    found = settingshosts.find(root, SERVICES)
    assert [(h.line, h.service) for h in found] == [(1, "db"), (2, "redis")]


def test_settings_that_read_a_variable_or_comments_or_other_files_are_fine(tmp_path):
    root = tree(tmp_path, {
        "settings.py": "HOST = os.environ.get('DB_HOST', 'localhost')\n# 'HOST': 'localhost',\n"
                       "DATABASES = {'default': env.db('DATABASE_URL', default='postgres://localhost/x')}\n",
        "app/views.py": "DATABASE_HOST = 'localhost'\n",  # not a settings file
        "tests/settings.py": "DATABASE_HOST = 'localhost'\n",  # a test's
        "venv/lib/config.py": "DATABASE_HOST = 'localhost'\n"})
    assert settingshosts.find(root, SERVICES) == []
    assert settingshosts.find(tree(tmp_path / "x", {"config.py": NETBOX_LIKE}), {}) == []  # no service proposed


def test_one_note_per_file_and_service(tmp_path):
    root = tree(tmp_path, {"settings/base.py": "DB_HOST = 'localhost'\nPGHOST = 'localhost'\n"})
    assert [h.line for h in settingshosts.find(root, SERVICES)] == [1]


def test_django_databases_plural_block_means_the_database(tmp_path):
    """netbox's configuration_testing.py: `DATABASES = {'default': {'HOST': 'localhost'}}`,
    no comment naming the database on the line."""
    root = tree(tmp_path, {"mysite/settings.py": "DATABASES = {\n    'default': {\n        'NAME': 'x',\n"
                                                 "        'HOST': 'localhost',\n    }\n}\n"
                                                 "CACHES = {'default': {'HOST': 'localhost'}}\n"})
    # Django's CACHES too: the cache is the redis service
    assert [(h.line, h.service) for h in settingshosts.find(root, SERVICES)] == [(4, "db"), (7, "redis")]


def test_a_web_url_is_a_service_only_on_its_port_and_a_read_over_two_lines_is_fine(tmp_path):
    """Flagsmith: `env.str(` on one line, `"X", default="http://localhost:8080"` on the next,
    was named as ClickHouse's (its url is http://)."""
    services = {"db": "postgres", "clickhouse": "clickhouse"}
    root = tree(tmp_path, {"app/settings/common.py":
                           'FRONTEND = env.str(\n    "FRONTEND_URL", default="http://localhost:8080"\n)\n'
                           'SITE = "http://localhost:8080/"\n'
                           'CLICKHOUSE = "http://localhost:8123/"\n'})
    assert [(h.line, h.service) for h in settingshosts.find(root, services)] == [(5, "clickhouse")]
