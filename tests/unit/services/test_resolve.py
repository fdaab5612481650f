"""dkenv/services/resolve.py: resolving [services.NAME] and the connection variables."""
from __future__ import annotations

import pytest

from dkenv.engine.spec import Healthcheck
from dkenv.errors import ConfigError
from dkenv.project import config
from dkenv.services import resolve
from tests.unit.conftest import (
    HEAD,
    WORKER,
    config_error,
    make_config_project,
    specs_by_role,
)

# --- template defaulting, versions, images ---

def test_the_template_defaults_to_the_name_when_the_name_is_in_the_catalog(tmp_path):
    project = make_config_project(tmp_path, '[services.redis]\n[services.cache]\ntemplate = "redis"\n')
    specs = specs_by_role(project)
    assert specs["redis"].image == "redis:7" and specs["cache"].image == "redis:7"
    assert resolve.resolve(project.config.services["redis"]).entry.name == "redis"
    assert specs["redis"].mounts[0].source.endswith("/data/redis")
    assert specs["cache"].mounts[0].source.endswith("/data/cache")


def test_version_replaces_the_tag_and_image_replaces_the_image(tmp_path):
    project = make_config_project(tmp_path, (
        '[services.db]\ntemplate = "postgres"\nversion = "15"\n'
        '[services.db2]\ntemplate = "postgres"\nimage = "registry.local:5000/pg:15-custom"\n'
        '[services.db3]\ntemplate = "postgres"\nimage = "registry.local:5000/pg"\nversion = "14"\n'))
    specs = specs_by_role(project)
    assert specs["db"].image == "postgres:15"
    assert specs["db2"].image == "registry.local:5000/pg:15-custom"
    assert specs["db3"].image == "registry.local:5000/pg:14"
    assert "pg_isready" in specs["db2"].healthcheck.test  # still the catalog's healthcheck


def test_an_image_with_a_tag_and_a_version_is_refused(tmp_path):
    message = config_error(tmp_path, '[services.db]\ntemplate = "postgres"\nimage = "pg:15"\nversion = "16"\n')
    assert "services.db.version" in message and "has a tag already" in message


def test_an_unknown_template_names_the_line_and_the_closest_entry(tmp_path):
    message = config_error(tmp_path, '[services.db]\ntemplate = "postgress"\n')
    assert message.startswith(f"dkenv: {tmp_path / config.CONFIG_NAME}:4: services.db.template: ")
    assert "unknown template 'postgress'" in message and 'did you mean "postgres"' in message
    message = config_error(tmp_path, '[services.db]\ntemplate = "oracle"\n')
    assert "did you mean" not in message and "the catalog: postgres, mysql" in message


def test_resolve_without_a_config_still_explains(tmp_path):
    with pytest.raises(ConfigError, match=r'^dkenv: services.x.template: unknown template \'rediss\' '
                                          r'\(did you mean "redis"\?\)'):
        resolve.resolve(config.ServiceConfig(name="x", template="rediss"))


def test_user_env_overrides_the_catalog_env_in_the_container_and_in_the_url(tmp_path):
    project = make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\n'
                                     'env = { POSTGRES_PASSWORD = "s3cr@t/x", POSTGRES_DB = "shop", EXTRA = 1 }\n')
    spec = specs_by_role(project)["db"]
    assert spec.env["POSTGRES_PASSWORD"] == "s3cr@t/x" and spec.env["POSTGRES_USER"] == "postgres"
    assert spec.env["EXTRA"] == "1"
    env = resolve.connection_env(project)
    assert env["DATABASE_URL"] == "postgresql://postgres:s3cr%40t%2Fx@db:5432/shop"
    assert env["PGPASSWORD"] == "s3cr@t/x" and env["PGDATABASE"] == "shop"


def test_command_and_healthcheck_overrides(tmp_path):
    project = make_config_project(tmp_path, (
        '[services.redis]\nversion = "7"\ncommand = "redis-server --save 1 1"\n'
        'healthcheck = "redis-cli -p 6379 ping"\ntimeout = 7\n'))
    spec = specs_by_role(project)["redis"]
    assert spec.command == ["redis-server", "--save", "1", "1"]
    assert spec.healthcheck == Healthcheck(test="redis-cli -p 6379 ping")
    assert spec.health_timeout == 7


@pytest.mark.parametrize("command, argv", [
    ("celery -A proj worker -l info", ["celery", "-A", "proj", "worker", "-l", "info"]),
    ("python -c 'print(1)'", ["sh", "-c", "python -c 'print(1)'"]),
    ("./manage.py rqworker 'high prio'", ["./manage.py", "rqworker", "high prio"]),
    ("python a.py && python b.py", ["sh", "-c", "python a.py && python b.py"]),
    ("echo $HOME", ["sh", "-c", "echo $HOME"]),
    ("DEBUG=1 python w.py", ["sh", "-c", "DEBUG=1 python w.py"]),
    ("  ", None),
    (None, None),
])
def test_split_command(command, argv):
    assert resolve.split_command(command) == argv


# --- project-image and custom-image services ---

def test_a_project_image_service_needs_a_command(tmp_path):
    message = config_error(tmp_path, "[services.worker]\ndepends_on = []\n")
    assert "[services.worker]" in message and "no template, no image and no command" in message
    assert f"{config.CONFIG_NAME}:3:" in message


def test_a_project_image_service_takes_no_version(tmp_path):
    message = config_error(tmp_path, '[services.worker]\ncommand = "x"\nversion = "2"\n')
    assert "services.worker.version" in message


def test_image_of(tmp_path):
    project = make_config_project(tmp_path, WORKER + '[services.search]\nimage = "meili:1"\n')
    found = {name: resolve.image_of(s) for name, s in project.config.services.items()}
    assert found == {"db": "postgres:16", "redis": "redis:7", "worker": "", "search": "meili:1"}


# --- connection variables: precedence ---

@pytest.mark.parametrize("order", [("redis", "rabbitmq"), ("rabbitmq", "redis")])
def test_rabbitmq_is_the_celery_broker_whatever_the_order(tmp_path, order):
    project = make_config_project(tmp_path, "".join(f"[services.{name}]\n" for name in order))
    env = resolve.connection_env(project)
    assert env["CELERY_BROKER_URL"] == "amqp://app:app@rabbitmq:5672/%2F"
    assert env["CELERY_RESULT_BACKEND"] == "redis://redis:6379/1"
    assert env["REDIS_URL"] == "redis://redis:6379/0"


def test_redis_alone_is_the_celery_broker(tmp_path):
    env = resolve.connection_env(make_config_project(tmp_path, '[services.cache]\ntemplate = "redis"\n'))
    assert env["CELERY_BROKER_URL"] == "redis://cache:6379/1"
    assert env["CACHE_URL"] == "redis://cache:6379/0"


def test_two_services_of_one_template_the_first_gets_the_plain_names(tmp_path):
    project = make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\n'
                                     '[services.db2]\ntemplate = "postgres"\nenv = { POSTGRES_DB = "other" }\n')
    env = resolve.connection_env(project)
    assert env["DATABASE_URL"] == "postgresql://postgres:postgres@db:5432/app" and env["PGHOST"] == "db"
    assert env["DB_URL"] == env["DATABASE_URL"]
    assert env["DB2_URL"] == "postgresql://postgres:postgres@db2:5432/other"
    assert env["DB2_HOST"] == "db2" and env["DB2_PORT"] == "5432"


def test_postgres_and_mysql_the_first_in_the_file_owns_database_url(tmp_path):
    env = resolve.connection_env(make_config_project(tmp_path, "[services.mysql]\n[services.postgres]\n"))
    assert env["DATABASE_URL"].startswith("mysql://") and env["PGHOST"] == "postgres"
    assert env["POSTGRES_URL"].startswith("postgresql://") and env["MYSQL_HOST"] == "mysql"


def test_prefixed_variables_win_over_the_plain_ones(tmp_path):
    project = make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\n'
                                     '[services.database]\ntemplate = "postgres"\n')
    env = resolve.connection_env(project)
    assert env["DATABASE_URL"] == "postgresql://postgres:postgres@database:5432/app"
    assert env["PGHOST"] == "db"


def test_a_name_that_makes_no_variable_name_gets_no_prefixed_variables(tmp_path):
    env = resolve.connection_env(make_config_project(tmp_path, '[services.2cache]\ntemplate = "redis"\n'))
    assert env["REDIS_URL"] == "redis://2cache:6379/0"
    assert not any(k.startswith("2") for k in env)


def test_dashes_become_underscores_in_prefixes(tmp_path):
    env = resolve.connection_env(make_config_project(tmp_path, '[services.main-db]\ntemplate = "postgres"\n'))
    assert env["MAIN_DB_HOST"] == "main-db"


def test_what_the_user_sets_in_run_env_or_env_file_is_never_injected(tmp_path):
    (tmp_path / ".env").write_text("REDIS_URL=redis://elsewhere:6379/0\n")
    head = HEAD + '[run]\nenv = { DATABASE_URL = "sqlite:///x" }\nenv_file = ".env"\n'
    env = resolve.connection_env(make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\n'
                                                         '[services.redis]\n', head=head))
    assert "DATABASE_URL" not in env and "REDIS_URL" not in env
    assert env["PGHOST"] == "db" and env["DB_URL"].startswith("postgresql://")


def test_no_services_no_variables(tmp_path):
    assert resolve.connection_env(make_config_project(tmp_path, "")) == {}
