"""dkenv/services.py: resolving [services.NAME], connection variables, start order, specs."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from dkenv import catalog, config, services
from dkenv.errors import ConfigError
from dkenv.project import Project
from dkenv.spec import ContainerSpec, Healthcheck, Mount, Port

HEAD = '[project]\nname = "demo"\n'


def make_project(root: Path, body: str, head: str = HEAD) -> Project:
    text = head + body
    path = root / config.CONFIG_NAME
    path.write_text(text)
    return Project(config=config.validate(path, text), name="demo")


def make_app_spec(project: Project) -> ContainerSpec:
    root = str(project.root)
    return ContainerSpec(
        name=project.container, role="app", image="dkenv/demo:0123abcd", entrypoint=["sleep"],
        command=["infinity"], env={"DKENV_PROJECT": root, "FROM_APP": "1"},
        mounts=[Mount(root, root), Mount(str(project.history_dir), "/dkenv-history")],
        user="1000:1000", working_dir=root, data_dirs=["dkenv/history"])


def specs_by_role(project: Project) -> dict[str, ContainerSpec]:
    return {s.role: s for s in services.service_specs(project, make_app_spec(project))}


def config_error(root: Path, body: str) -> str:
    project = make_project(root, body)
    with pytest.raises(ConfigError) as info:
        services.service_specs(project, make_app_spec(project))
    assert info.value.exit_code == 2
    return str(info.value)


# --- every catalog entry's spec ---

# template -> (image, data path or None, a piece of the healthcheck, {injected variable: value}),
# for a service called "svc" with the catalog's defaults
EXPECTED = {
    "postgres": ("postgres:16", "/var/lib/postgresql/data", "pg_isready", {
        "DATABASE_URL": "postgres://postgres:postgres@svc:5432/app", "PGHOST": "svc", "PGPORT": "5432",
        "PGUSER": "postgres", "PGPASSWORD": "postgres", "PGDATABASE": "app"}),
    "mysql": ("mysql:8.4", "/var/lib/mysql", "mysqladmin ping", {
        "DATABASE_URL": "mysql://app:app@svc:3306/app", "MYSQL_HOST": "svc", "MYSQL_PORT": "3306",
        "MYSQL_USER": "app", "MYSQL_PASSWORD": "app", "MYSQL_DATABASE": "app"}),
    "mariadb": ("mariadb:11.4", "/var/lib/mysql", "mariadb-admin ping", {
        "DATABASE_URL": "mysql://app:app@svc:3306/app", "MYSQL_HOST": "svc", "MYSQL_PORT": "3306",
        "MYSQL_USER": "app", "MYSQL_PASSWORD": "app", "MYSQL_DATABASE": "app"}),
    "redis": ("redis:7", "/data", "redis-cli ping", {
        "REDIS_URL": "redis://svc:6379/0", "CELERY_BROKER_URL": "redis://svc:6379/1",
        "CELERY_RESULT_BACKEND": "redis://svc:6379/1"}),
    "memcached": ("memcached:1.6", None, "/dev/tcp/127.0.0.1/11211", {
        "MEMCACHED_URL": "memcache://svc:11211", "MEMCACHED_LOCATION": "svc:11211"}),
    "opensearch": ("opensearchproject/opensearch:2", "/usr/share/opensearch/data", "_cluster/health", {
        "OPENSEARCH_URL": "http://svc:9200"}),
    "elasticsearch": ("elasticsearch:8.15.3", "/usr/share/elasticsearch/data", "_cluster/health", {
        "ELASTICSEARCH_URL": "http://svc:9200"}),
    "manticore": ("manticoresearch/manticore:6.3.8", "/var/lib/manticore", "-P 9306", {
        "MANTICORE_URL": "http://svc:9308", "MANTICORE_HOST": "svc", "MANTICORE_HTTP_PORT": "9308",
        "MANTICORE_MYSQL_PORT": "9306"}),
    "clickhouse": ("clickhouse/clickhouse-server:24.8", "/var/lib/clickhouse", "8123/ping", {
        "CLICKHOUSE_URL": "http://svc:8123", "CLICKHOUSE_HOST": "svc", "CLICKHOUSE_PORT": "8123",
        "CLICKHOUSE_NATIVE_PORT": "9000", "CLICKHOUSE_USER": "app", "CLICKHOUSE_PASSWORD": "app",
        "CLICKHOUSE_DB": "app"}),
    "rabbitmq": ("rabbitmq:3.13-management", "/var/lib/rabbitmq", "rabbitmq-diagnostics", {
        "AMQP_URL": "amqp://app:app@svc:5672/%2F", "CELERY_BROKER_URL": "amqp://app:app@svc:5672/%2F"}),
    "mongodb": ("mongo:7", "/data/db", "mongosh", {
        "MONGODB_URL": "mongodb://mongo:mongo@svc:27017/app?authSource=admin"}),
    "minio": ("minio/minio:latest", "/data", "mc ready local", {
        "AWS_S3_ENDPOINT_URL": "http://svc:9000", "AWS_ENDPOINT_URL_S3": "http://svc:9000",
        "AWS_ACCESS_KEY_ID": "minioadmin", "AWS_SECRET_ACCESS_KEY": "minioadmin",
        "AWS_DEFAULT_REGION": "us-east-1"}),
    "mailpit": ("axllent/mailpit:latest", "/data", "readyz", {
        "EMAIL_HOST": "svc", "EMAIL_PORT": "1025", "MAILPIT_API_URL": "http://svc:8025"}),
}


def test_the_expectations_cover_the_whole_catalog():
    assert sorted(EXPECTED) == sorted(catalog.catalog())


@pytest.mark.parametrize("template", sorted(EXPECTED))
def test_the_spec_of_every_catalog_entry(tmp_path, template):
    image, data_path, health, variables = EXPECTED[template]
    project = make_project(tmp_path, f'[services.svc]\ntemplate = "{template}"\n')
    spec = specs_by_role(project)["svc"]
    entry = catalog.catalog()[template]

    assert spec.name == "dkenv-demo-svc" and spec.role == "svc"
    assert spec.image == image
    assert spec.env == entry.env  # the catalog's env, nothing of the project's
    assert spec.labels == {} and spec.ports == [] and spec.depends_on == [] and spec.health_timeout == 120
    assert isinstance(spec.healthcheck, Healthcheck) and health in spec.healthcheck.test
    assert spec.healthcheck.interval == entry.health_interval
    assert spec.working_dir is None and spec.entrypoint is None
    if data_path:
        assert spec.mounts == [Mount(str(tmp_path / "data" / "svc"), data_path)]
        assert spec.data_dirs == ["svc"]
    else:
        assert spec.mounts == [] and spec.data_dirs == []
    injected = services.connection_env(project)
    assert {k: injected[k] for k in variables} == variables
    assert injected["SVC_HOST"] == "svc" and injected["SVC_PORT"] == str(entry.ports[0])
    assert injected["SVC_URL"] == entry.url.format_map(services._template_context(entry, "svc", entry.env))
    assert set(injected) == set(variables) | {"SVC_URL", "SVC_HOST", "SVC_PORT"}


def test_minio_runs_its_server_command_and_elasticsearch_runs_as_the_host_uid(tmp_path):
    project = make_project(tmp_path, '[services.minio]\n[services.search]\ntemplate = "elasticsearch"\n')
    specs = specs_by_role(project)
    assert specs["minio"].command == ["server", "/data", "--console-address", ":9001"]
    assert specs["minio"].user is None  # the image's default: it starts as root
    assert specs["search"].user == f"{os.getuid()}:0"
    assert specs["search"].command is None


def test_rabbitmq_has_a_fixed_node_name_so_its_data_survives_a_new_container(tmp_path):
    spec = specs_by_role(make_project(tmp_path, "[services.rabbitmq]\n"))["rabbitmq"]
    assert spec.env["RABBITMQ_NODENAME"] == "rabbit@localhost"
    assert spec.healthcheck.interval == 3.0


# --- template defaulting, versions, images ---

def test_the_template_defaults_to_the_name_when_the_name_is_in_the_catalog(tmp_path):
    project = make_project(tmp_path, '[services.redis]\n[services.cache]\ntemplate = "redis"\n')
    specs = specs_by_role(project)
    assert specs["redis"].image == "redis:7" and specs["cache"].image == "redis:7"
    assert services.resolve(project.config.services["redis"]).entry.name == "redis"
    assert specs["redis"].mounts[0].source.endswith("/data/redis")
    assert specs["cache"].mounts[0].source.endswith("/data/cache")


def test_version_replaces_the_tag_and_image_replaces_the_image(tmp_path):
    project = make_project(tmp_path, (
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
        services.resolve(config.ServiceConfig(name="x", template="rediss"))


def test_user_env_overrides_the_catalog_env_in_the_container_and_in_the_url(tmp_path):
    project = make_project(tmp_path, '[services.db]\ntemplate = "postgres"\n'
                                     'env = { POSTGRES_PASSWORD = "s3cr@t/x", POSTGRES_DB = "shop", EXTRA = 1 }\n')
    spec = specs_by_role(project)["db"]
    assert spec.env["POSTGRES_PASSWORD"] == "s3cr@t/x" and spec.env["POSTGRES_USER"] == "postgres"
    assert spec.env["EXTRA"] == "1"
    env = services.connection_env(project)
    assert env["DATABASE_URL"] == "postgres://postgres:s3cr%40t%2Fx@db:5432/shop"
    assert env["PGPASSWORD"] == "s3cr@t/x" and env["PGDATABASE"] == "shop"


def test_command_and_healthcheck_overrides(tmp_path):
    project = make_project(tmp_path, (
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
    assert services.split_command(command) == argv


# --- ports and data ---

def test_listed_ports_are_published_on_the_bind_address(tmp_path):
    project = make_project(tmp_path, '[services.db]\ntemplate = "postgres"\nports = [5432, "15433:5432"]\n',
                           head=HEAD + '[run]\nbind = "0.0.0.0"\n')
    spec = specs_by_role(project)["db"]
    assert spec.ports == [Port("0.0.0.0", 5432, 5432), Port("0.0.0.0", 15433, 5432)]


def test_ports_default_to_the_loopback_bind_and_nothing_is_published_unless_listed(tmp_path):
    project = make_project(tmp_path, '[services.redis]\nports = ["6380:6379"]\n[services.db]\ntemplate = "postgres"\n')
    specs = specs_by_role(project)
    assert specs["redis"].ports == [Port("127.0.0.1", 6380, 6379)]
    assert specs["db"].ports == []


def test_data_false_gives_no_mount_and_no_data_dir(tmp_path):
    project = make_project(tmp_path, '[services.db]\ntemplate = "postgres"\ndata = false\n')
    spec = specs_by_role(project)["db"]
    assert spec.mounts == [] and spec.data_dirs == []


def test_data_changes_the_config_hash(tmp_path):
    kept = specs_by_role(make_project(tmp_path, "[services.redis]\n"))["redis"]
    thrown = specs_by_role(make_project(tmp_path, "[services.redis]\ndata = false\n"))["redis"]
    assert kept.config_hash() != thrown.config_hash()


# --- project-image and custom-image services ---

WORKER = """\
[services.db]
template = "postgres"
[services.redis]
[services.worker]
command = "celery -A proj worker -l info"
depends_on = ["db", "redis"]
env = { WORKER_ONLY = "yes" }
"""


def test_a_project_image_worker_inherits_the_app_and_gets_the_connection_env(tmp_path):
    project = make_project(tmp_path, WORKER)
    app = make_app_spec(project)
    worker = {s.role: s for s in services.service_specs(project, app)}["worker"]
    assert worker.name == "dkenv-demo-worker"
    assert worker.image == app.image
    assert worker.mounts == app.mounts and worker.mounts is not app.mounts
    assert worker.user == app.user and worker.working_dir == app.working_dir
    assert worker.data_dirs == app.data_dirs
    assert worker.entrypoint is None  # not the app's `sleep`
    assert worker.command == ["celery", "-A", "proj", "worker", "-l", "info"]
    assert worker.env["FROM_APP"] == "1" and worker.env["WORKER_ONLY"] == "yes"
    assert worker.env["DATABASE_URL"] == "postgres://postgres:postgres@db:5432/app"
    assert worker.env["REDIS_URL"] == "redis://redis:6379/0"
    assert "POSTGRES_PASSWORD" not in worker.env  # the db's own env stays in the db
    assert worker.healthcheck is None and worker.ports == []
    assert worker.depends_on == ["db", "redis"]


def test_a_project_image_service_gets_a_healthcheck_only_when_given(tmp_path):
    project = make_project(tmp_path, '[services.web2]\ncommand = "python -m http.server"\n'
                                     'healthcheck = "python -c 1"\n')
    assert specs_by_role(project)["web2"].healthcheck == Healthcheck(test="python -c 1")


def test_a_project_image_service_needs_a_command(tmp_path):
    message = config_error(tmp_path, "[services.worker]\ndepends_on = []\n")
    assert "[services.worker]" in message and "no template, no image and no command" in message
    assert f"{config.CONFIG_NAME}:3:" in message


def test_a_project_image_service_takes_no_version(tmp_path):
    message = config_error(tmp_path, '[services.worker]\ncommand = "x"\nversion = "2"\n')
    assert "services.worker.version" in message


def test_a_custom_image_service_is_taken_as_given(tmp_path):
    project = make_project(tmp_path, '[services.search]\nimage = "getmeili/meilisearch:v1.8"\n'
                                     'env = { MEILI_ENV = "development" }\nports = [7700]\n')
    spec = specs_by_role(project)["search"]
    assert spec.image == "getmeili/meilisearch:v1.8" and spec.env == {"MEILI_ENV": "development"}
    assert spec.mounts == [] and spec.healthcheck is None and spec.command is None
    assert spec.ports == [Port("127.0.0.1", 7700, 7700)]
    assert services.connection_env(project) == {}


def test_image_of(tmp_path):
    project = make_project(tmp_path, WORKER + '[services.search]\nimage = "meili:1"\n')
    found = {name: services.image_of(s) for name, s in project.config.services.items()}
    assert found == {"db": "postgres:16", "redis": "redis:7", "worker": "", "search": "meili:1"}


# --- connection variables: precedence ---

@pytest.mark.parametrize("order", [("redis", "rabbitmq"), ("rabbitmq", "redis")])
def test_rabbitmq_is_the_celery_broker_whatever_the_order(tmp_path, order):
    project = make_project(tmp_path, "".join(f"[services.{name}]\n" for name in order))
    env = services.connection_env(project)
    assert env["CELERY_BROKER_URL"] == "amqp://app:app@rabbitmq:5672/%2F"
    assert env["CELERY_RESULT_BACKEND"] == "redis://redis:6379/1"
    assert env["REDIS_URL"] == "redis://redis:6379/0"


def test_redis_alone_is_the_celery_broker(tmp_path):
    env = services.connection_env(make_project(tmp_path, '[services.cache]\ntemplate = "redis"\n'))
    assert env["CELERY_BROKER_URL"] == "redis://cache:6379/1"
    assert env["CACHE_URL"] == "redis://cache:6379/0"


def test_two_services_of_one_template_the_first_gets_the_plain_names(tmp_path):
    project = make_project(tmp_path, '[services.db]\ntemplate = "postgres"\n'
                                     '[services.db2]\ntemplate = "postgres"\nenv = { POSTGRES_DB = "other" }\n')
    env = services.connection_env(project)
    assert env["DATABASE_URL"] == "postgres://postgres:postgres@db:5432/app" and env["PGHOST"] == "db"
    assert env["DB_URL"] == env["DATABASE_URL"]
    assert env["DB2_URL"] == "postgres://postgres:postgres@db2:5432/other"
    assert env["DB2_HOST"] == "db2" and env["DB2_PORT"] == "5432"


def test_postgres_and_mysql_the_first_in_the_file_owns_database_url(tmp_path):
    env = services.connection_env(make_project(tmp_path, "[services.mysql]\n[services.postgres]\n"))
    assert env["DATABASE_URL"].startswith("mysql://") and env["PGHOST"] == "postgres"
    assert env["POSTGRES_URL"].startswith("postgres://") and env["MYSQL_HOST"] == "mysql"


def test_prefixed_variables_win_over_the_plain_ones(tmp_path):
    project = make_project(tmp_path, '[services.db]\ntemplate = "postgres"\n'
                                     '[services.database]\ntemplate = "postgres"\n')
    env = services.connection_env(project)
    assert env["DATABASE_URL"] == "postgres://postgres:postgres@database:5432/app"
    assert env["PGHOST"] == "db"


def test_a_name_that_makes_no_variable_name_gets_no_prefixed_variables(tmp_path):
    env = services.connection_env(make_project(tmp_path, '[services.2cache]\ntemplate = "redis"\n'))
    assert env["REDIS_URL"] == "redis://2cache:6379/0"
    assert not any(k.startswith("2") for k in env)


def test_dashes_become_underscores_in_prefixes(tmp_path):
    env = services.connection_env(make_project(tmp_path, '[services.main-db]\ntemplate = "postgres"\n'))
    assert env["MAIN_DB_HOST"] == "main-db"


def test_what_the_user_sets_in_run_env_or_env_file_is_never_injected(tmp_path):
    (tmp_path / ".env").write_text("REDIS_URL=redis://elsewhere:6379/0\n")
    head = HEAD + '[run]\nenv = { DATABASE_URL = "sqlite:///x" }\nenv_file = ".env"\n'
    env = services.connection_env(make_project(tmp_path, '[services.db]\ntemplate = "postgres"\n'
                                                         '[services.redis]\n', head=head))
    assert "DATABASE_URL" not in env and "REDIS_URL" not in env
    assert env["PGHOST"] == "db" and env["DB_URL"].startswith("postgres://")


def test_no_services_no_variables(tmp_path):
    assert services.connection_env(make_project(tmp_path, "")) == {}


# --- start order ---

def order_of(tmp_path, body: str) -> list[str]:
    return services.start_order(make_project(tmp_path, body).config.services)


def test_start_order_puts_dependencies_first(tmp_path):
    assert order_of(tmp_path, WORKER.replace("[services.db]", "[services.zz]").replace('"db"', '"zz"')) == \
        ["zz", "redis", "worker"]
    body = ('[services.worker]\ncommand = "w"\ndepends_on = ["redis", "db"]\n'
            '[services.db]\ntemplate = "postgres"\n[services.redis]\n')
    assert order_of(tmp_path, body) == ["redis", "db", "worker"]


def test_start_order_is_the_file_order_without_dependencies(tmp_path):
    names = ["mailpit", "redis", "db", "minio"]
    body = "".join(f'[services.{n}]\n' + ('template = "postgres"\n' if n == "db" else "") for n in names)
    assert order_of(tmp_path, body) == names


def test_start_order_of_a_diamond_keeps_each_service_once(tmp_path):
    body = ('[services.app2]\ncommand = "x"\ndepends_on = ["left", "right"]\n'
            '[services.left]\ncommand = "x"\ndepends_on = ["base"]\n'
            '[services.right]\ncommand = "x"\ndepends_on = ["base"]\n'
            '[services.base]\ntemplate = "redis"\n')
    assert order_of(tmp_path, body) == ["base", "left", "right", "app2"]


def test_service_specs_come_in_start_order(tmp_path):
    project = make_project(tmp_path, '[services.worker]\ncommand = "w"\ndepends_on = ["redis"]\n[services.redis]\n')
    assert [s.role for s in services.service_specs(project, make_app_spec(project))] == ["redis", "worker"]


def test_start_order_refuses_a_cycle_it_is_handed():
    cyclic = {"a": config.ServiceConfig(name="a", depends_on=["b"]),
              "b": config.ServiceConfig(name="b", depends_on=["a"])}
    with pytest.raises(ConfigError, match="cycle"):
        services.start_order(cyclic)


def test_changing_one_service_changes_only_its_hash(tmp_path):
    before = specs_by_role(make_project(tmp_path, WORKER))
    after = specs_by_role(make_project(tmp_path, WORKER.replace("[services.redis]\n",
                                                                '[services.redis]\ncommand = "redis-server --save 1 1"\n')))
    changed = {role for role in before if before[role].config_hash() != after[role].config_hash()}
    assert changed == {"redis"}
