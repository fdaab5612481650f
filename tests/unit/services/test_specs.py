"""dkenv/services/specs.py: the ContainerSpec of every service, and the start order."""
from __future__ import annotations

import pytest

from dkenv import fileio
from dkenv.engine.spec import Healthcheck, Mount, Port
from dkenv.services import catalog, resolve, specs
from tests.unit.conftest import (
    HEAD,
    WORKER,
    make_app_spec,
    make_config_project,
    specs_by_role,
)

# --- every catalog entry's spec ---

# template -> (image, data path or None, a piece of the healthcheck, {injected variable: value}),
# for a service called "svc" with the catalog's defaults
EXPECTED = {
    "postgres": ("postgres:16", "/var/lib/postgresql/data", "pg_isready", {
        "DATABASE_URL": "postgresql://postgres:postgres@svc:5432/app", "PGHOST": "svc", "PGPORT": "5432",
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
def test_the_spec_of_every_catalog_entry(tmp_path, template, host_user):
    image, data_path, health, variables = EXPECTED[template]
    project = make_config_project(tmp_path, f'[services.svc]\ntemplate = "{template}"\n')
    spec = specs_by_role(project)["svc"]
    entry = catalog.catalog()[template]

    assert spec.name == "dkenv-demo-svc" and spec.role == "svc"
    assert spec.image == image
    assert spec.env == entry.env  # the catalog's env, nothing of the project's
    assert spec.ports == [] and spec.depends_on == [] and spec.health_timeout == 120
    assert isinstance(spec.healthcheck, Healthcheck) and health in spec.healthcheck.test
    assert spec.healthcheck.interval == entry.health_interval
    assert spec.working_dir is None and spec.entrypoint is None
    if data_path:
        passwd = [Mount(str(tmp_path / ".dkenv" / "passwd"), "/etc/passwd", read_only=True)] if entry.passwd else []
        assert spec.mounts == [Mount(str(tmp_path / "data" / "svc"), data_path), *passwd]
        assert spec.data_dirs == ["svc"]
    else:
        assert spec.mounts == [] and spec.data_dirs == []
    injected = resolve.connection_env(project)
    assert {k: injected[k] for k in variables} == variables
    assert injected["SVC_HOST"] == "svc" and injected["SVC_PORT"] == str(entry.ports[0])
    assert injected["SVC_URL"] == entry.url.format_map(resolve._template_context(entry, "svc", entry.env))
    assert set(injected) == set(variables) | {"SVC_URL", "SVC_HOST", "SVC_PORT"}


def test_minio_runs_its_server_command_and_elasticsearch_runs_as_the_host_uid(tmp_path, host_user):
    project = make_config_project(tmp_path, '[services.minio]\n[services.search]\ntemplate = "elasticsearch"\n')
    specs = specs_by_role(project)
    assert specs["minio"].command == ["server", "/data", "--console-address", ":9001"]
    assert specs["minio"].user == "1500:1600"
    assert specs["search"].user == "1500:0"
    assert specs["search"].command is None


def test_rabbitmq_has_a_fixed_node_name_so_its_data_survives_a_new_container(tmp_path):
    spec = specs_by_role(make_config_project(tmp_path, "[services.rabbitmq]\n"))["rabbitmq"]
    assert spec.env["RABBITMQ_NODENAME"] == "rabbit@localhost"
    assert spec.healthcheck.interval == 3.0


# --- ports and data ---

def test_listed_ports_are_published_on_the_bind_address(tmp_path):
    project = make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\nports = [5432, "15433:5432"]\n',
                           head=HEAD + '[run]\nbind = "0.0.0.0"\n')
    spec = specs_by_role(project)["db"]
    assert spec.ports == [Port("0.0.0.0", 5432, 5432), Port("0.0.0.0", 15433, 5432)]


def test_ports_default_to_the_loopback_bind_and_nothing_is_published_unless_listed(tmp_path):
    project = make_config_project(tmp_path, '[services.redis]\nports = ["6380:6379"]\n[services.db]\ntemplate = "postgres"\n')
    specs = specs_by_role(project)
    assert specs["redis"].ports == [Port("127.0.0.1", 6380, 6379)]
    assert specs["db"].ports == []


def test_data_false_gives_no_mount_and_no_data_dir(tmp_path):
    project = make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\ndata = false\n')
    spec = specs_by_role(project)["db"]
    assert spec.mounts == [] and spec.data_dirs == []


def test_data_changes_the_config_hash(tmp_path):
    kept = specs_by_role(make_config_project(tmp_path, "[services.redis]\n"))["redis"]
    thrown = specs_by_role(make_config_project(tmp_path, "[services.redis]\ndata = false\n"))["redis"]
    assert kept.config_hash() != thrown.config_hash()


# --- project-image and custom-image services ---

def test_a_project_image_worker_runs_in_the_apps_folder(tmp_path):
    """A worker is the app's process: with image.workdir it runs there, as `dkenv run` does
    (a compose file's `celery -A worker.celery worker` built from ./project)."""
    (tmp_path / "project").mkdir()
    project = make_config_project(tmp_path, '[image]\nworkdir = "project"\n' + WORKER)
    worker = {s.role: s for s in specs.service_specs(project, make_app_spec(project))}["worker"]
    assert worker.working_dir == str(tmp_path / "project")


def test_a_project_image_worker_inherits_the_app_and_gets_the_connection_env(tmp_path):
    project = make_config_project(tmp_path, WORKER)
    app = make_app_spec(project)
    worker = {s.role: s for s in specs.service_specs(project, app)}["worker"]
    assert worker.name == "dkenv-demo-worker"
    assert worker.image == app.image
    assert worker.mounts == app.mounts and worker.mounts is not app.mounts
    assert worker.user == app.user and worker.working_dir == app.working_dir == str(project.root)
    assert worker.data_dirs == app.data_dirs
    assert worker.entrypoint is None  # not the app's `sleep`
    assert worker.command == ["celery", "-A", "proj", "worker", "-l", "info"]
    assert worker.env["FROM_APP"] == "1" and worker.env["WORKER_ONLY"] == "yes"
    assert worker.env["DATABASE_URL"] == "postgresql://postgres:postgres@db:5432/app"
    assert worker.env["REDIS_URL"] == "redis://redis:6379/0"
    assert "POSTGRES_PASSWORD" not in worker.env  # the db's own env stays in the db
    assert worker.healthcheck is None and worker.ports == []
    assert worker.depends_on == ["db", "redis"]


def test_a_project_image_service_gets_a_healthcheck_only_when_given(tmp_path):
    project = make_config_project(tmp_path, '[services.web2]\ncommand = "python -m http.server"\n'
                                     'healthcheck = "python -c 1"\n')
    assert specs_by_role(project)["web2"].healthcheck == Healthcheck(test="python -c 1")


def test_a_custom_image_service_is_taken_as_given(tmp_path):
    project = make_config_project(tmp_path, '[services.search]\nimage = "getmeili/meilisearch:v1.8"\n'
                                     'env = { MEILI_ENV = "development" }\nports = [7700]\n')
    spec = specs_by_role(project)["search"]
    assert spec.image == "getmeili/meilisearch:v1.8" and spec.env == {"MEILI_ENV": "development"}
    assert spec.mounts == [] and spec.healthcheck is None and spec.command is None
    assert spec.ports == [Port("127.0.0.1", 7700, 7700)]
    assert resolve.connection_env(project) == {}


# --- start order ---

def order_of(tmp_path, body: str) -> list[str]:
    return specs.start_order(make_config_project(tmp_path, body).config.services)


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
    project = make_config_project(tmp_path, '[services.worker]\ncommand = "w"\ndepends_on = ["redis"]\n[services.redis]\n')
    assert [s.role for s in specs.service_specs(project, make_app_spec(project))] == ["redis", "worker"]


def test_changing_one_service_changes_only_its_hash(tmp_path):
    before = specs_by_role(make_config_project(tmp_path, WORKER))
    after = specs_by_role(make_config_project(tmp_path, WORKER.replace("[services.redis]\n",
                                                                '[services.redis]\ncommand = "redis-server --save 1 1"\n')))
    changed = {role for role in before if before[role].config_hash() != after[role].config_hash()}
    assert changed == {"redis"}


# --- who a service runs as ---

@pytest.fixture
def host_user(monkeypatch):
    """dkenv run by alice, UID 1500, GID 1600."""
    from dkenv import hostuser

    monkeypatch.setattr(hostuser, "ids", lambda: "1500:1600")
    monkeypatch.setattr(hostuser, "current", lambda: hostuser.User("alice", 1500, 1600))


def test_services_with_data_run_as_the_host_user(tmp_path, host_user):
    project = make_config_project(tmp_path, "[services.redis]\n[services.db]\ntemplate = \"mysql\"\n"
                                            "[services.mongodb]\n[services.minio]\n")
    for role, spec in specs_by_role(project).items():
        assert spec.user == "1500:1600", role
        assert spec.group_add == [] and spec.host_files == {}, role
        assert [m.target for m in spec.mounts] == [catalog.catalog()[
            {"db": "mysql"}.get(role, role)].data], role


def test_postgres_runs_as_the_host_user_with_its_group_and_a_passwd_entry(tmp_path, host_user):
    project = make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\n')
    spec = specs_by_role(project)["db"]
    passwd = str(tmp_path / ".dkenv" / "passwd")
    assert spec.user == "1500:1600" and spec.group_add == ["postgres"]
    assert spec.mounts == [Mount(str(tmp_path / "data" / "db"), "/var/lib/postgresql/data"),
                           Mount(passwd, "/etc/passwd", read_only=True)]
    text = spec.host_files[passwd]
    assert fileio.MARK in text.splitlines()[0]
    assert text.splitlines()[1:] == ["root:x:0:0:root:/root:/bin/sh", "alice:x:1500:1600:alice:/tmp:/bin/sh"]


def test_without_data_or_when_the_image_cannot_a_service_runs_as_its_images_user(tmp_path, host_user):
    project = make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\ndata = false\n'
                                            "[services.opensearch]\n[services.manticore]\n[services.memcached]\n"
                                            '[services.custom]\nimage = "example/thing:1"\n')
    for role, spec in specs_by_role(project).items():
        assert spec.user is None and spec.group_add == [] and spec.host_files == {}, role
        assert all(m.target != "/etc/passwd" for m in spec.mounts), role


def test_as_root_every_service_runs_as_its_images_user(tmp_path, monkeypatch):
    from dkenv import hostuser

    monkeypatch.setattr(hostuser, "ids", lambda: "0:0")
    monkeypatch.setattr(hostuser, "current", lambda: hostuser.User("root", 0, 0))
    project = make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\n[services.redis]\n')
    for spec in specs_by_role(project).values():
        assert spec.user is None and spec.group_add == [] and spec.host_files == {}


def test_the_entrys_own_user_wins(tmp_path, host_user):
    spec = specs_by_role(make_config_project(tmp_path, "[services.elasticsearch]\n"))["elasticsearch"]
    assert spec.user == "1500:0" and spec.group_add == []


def test_running_as_the_host_user_changes_the_config_hash(tmp_path, monkeypatch, host_user):
    from dkenv import hostuser

    project = make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\n')
    as_user = specs_by_role(project)["db"].config_hash()
    monkeypatch.setattr(hostuser, "ids", lambda: "0:0")
    monkeypatch.setattr(hostuser, "current", lambda: hostuser.User("root", 0, 0))
    assert specs_by_role(project)["db"].config_hash() != as_user


# --- on other engines: the identity (engine/identity.py) ---

def engine_specs(project, kind: str) -> dict:
    from dkenv import hostuser
    from dkenv.engine import identity

    ident = identity.for_kind(kind, hostuser.current())
    return {s.role: s for s in specs.service_specs(project, make_app_spec(project), ident)}


def test_on_rootless_docker_the_host_user_is_root_so_services_run_as_their_images_user(tmp_path, host_user):
    project = make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\n[services.redis]\n'
                                            "[services.elasticsearch]\n")
    by_role = engine_specs(project, "docker-rootless")
    for role in ("db", "redis"):  # container root is the host user, and PostgreSQL refuses root
        assert by_role[role].user is None and by_role[role].host_files == {} and by_role[role].userns is None
    assert by_role["elasticsearch"].user == "0:0"  # the entry's own template, with the identity's ids


def test_on_rootless_podman_services_get_keep_id_and_the_host_uid(tmp_path, host_user):
    project = make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\n[services.memcached]\n'
                                            '[services.worker]\ncommand = "w"\n')
    app = make_app_spec(project)
    app.userns = "keep-id"
    from dkenv import hostuser
    from dkenv.engine import identity

    ident = identity.for_kind("podman", hostuser.current())
    by_role = {s.role: s for s in specs.service_specs(project, app, ident)}
    assert by_role["db"].user == "1500:1600" and by_role["db"].userns == "keep-id"
    assert "alice:x:1500:1600:" in next(iter(by_role["db"].host_files.values()))
    assert by_role["memcached"].user is None and by_role["memcached"].userns == "keep-id"
    assert by_role["worker"].userns == "keep-id"  # a project-image service: the app's
    rootful = engine_specs(project, "docker")
    assert rootful["db"].user == "1500:1600" and rootful["db"].userns is None
