"""dkenv/services/edit.py: the [services.NAME] block of a catalog entry, and `dkenv add`."""
from __future__ import annotations

import stat

import pytest

from dkenv.commands import add as add_command
from dkenv.errors import ConfigError, UsageError
from dkenv.project import config
from dkenv.services import catalog, edit
from tests.unit.conftest import options
from tests.unit.services.test_catalog import ALL_TEMPLATES

HEAD = '[project]\nname = "demo"\n'


# --- the block: dkenv init --service, dkenv add ---

@pytest.mark.parametrize("template", ALL_TEMPLATES)
def test_service_toml_is_valid_commented_or_not(tmp_path, template):
    block = edit.service_toml("svc", template)
    assert block.endswith("\n") and f"[services.svc]\ntemplate = \"{template}\"\n" in block
    entry = catalog.catalog()[template]
    assert f'# version = "{entry.tag}"' in block
    path = tmp_path / config.CONFIG_NAME
    commented = config.validate(path, HEAD + block).services["svc"]
    assert commented.template == template and commented.version is None and commented.ports == []
    # every commented key, uncommented, is a valid value: the catalog's defaults
    uncommented = "\n".join(line[2:] if line.startswith("# ") and " = " in line.split("#")[1] else line
                            for line in block.splitlines())
    service = config.validate(path, HEAD + uncommented).services["svc"]
    assert service.version == entry.tag and service.env == entry.env
    assert service.healthcheck == entry.healthcheck and service.timeout == 120
    assert service.ports == [str(p) for p in entry.ports]
    assert service.data is True or not entry.data


# --- dkenv add ---

CONFIG_WITH_COMMENTS = """\
# my project  -- hand-written comments stay
[project]
name = "demo"   # trailing comment

[run]
command = "python app.py"  # keep me
# env = { X = "1" }

[services.db]
template = "postgres"  # the database
"""


def test_add_service_appends_and_keeps_every_byte(tmp_path):
    path = tmp_path / config.CONFIG_NAME
    path.write_text(CONFIG_WITH_COMMENTS)
    path.chmod(0o640)
    assert edit.add_service(path, "redis", None) == "redis"
    text = path.read_text()
    assert text.startswith(CONFIG_WITH_COMMENTS)
    assert text == CONFIG_WITH_COMMENTS + "\n" + edit.service_toml("redis", "redis")
    cfg = config.validate(path, text)
    assert list(cfg.services) == ["db", "redis"] and cfg.services["redis"].template == "redis"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == [config.CONFIG_NAME]  # no temporary file left


def test_add_service_as_another_name_without_final_newline_and_with_crlf(tmp_path):
    path = tmp_path / config.CONFIG_NAME
    original = CONFIG_WITH_COMMENTS.replace("\n", "\r\n").rstrip("\r\n").encode()
    path.write_bytes(original)
    assert edit.add_service(path, " Redis ", "cache") == "cache"
    data = path.read_bytes()
    assert data.startswith(original + b"\r\n\r\n# Redis")
    assert b"[services.cache]\r\ntemplate = \"redis\"\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")  # no bare LF mixed in
    assert "cache" in config.validate(path, data.decode()).services


def test_add_service_to_an_empty_file(tmp_path):
    path = tmp_path / config.CONFIG_NAME
    path.write_text("")
    edit.add_service(path, "mailpit", None)
    assert path.read_text() == edit.service_toml("mailpit", "mailpit")


def test_add_service_refuses_an_existing_name_and_leaves_the_file_alone(tmp_path):
    path = tmp_path / config.CONFIG_NAME
    path.write_text(CONFIG_WITH_COMMENTS)
    with pytest.raises(UsageError, match="a service named 'db' exists already") as info:
        edit.add_service(path, "mysql", "db")
    assert info.value.exit_code == 2
    assert path.read_text() == CONFIG_WITH_COMMENTS


def test_add_service_refuses_an_unknown_template_with_a_suggestion(tmp_path):
    path = tmp_path / config.CONFIG_NAME
    path.write_text(CONFIG_WITH_COMMENTS)
    with pytest.raises(ConfigError, match='did you mean "rabbitmq"'):
        edit.add_service(path, "rabitmq", None)
    with pytest.raises(UsageError, match="lowercase letters"):
        edit.add_service(path, "redis", "My_Cache")
    assert path.read_text() == CONFIG_WITH_COMMENTS


def test_add_service_refuses_when_the_result_would_be_invalid(tmp_path):
    path = tmp_path / config.CONFIG_NAME
    broken = '[project]\nname = "demo"\nservices = { }\n'  # an inline table cannot be extended
    path.write_text(broken)
    with pytest.raises(ConfigError):
        edit.add_service(path, "redis", None)
    assert path.read_text() == broken


def test_the_add_command_finds_the_project_from_a_subfolder(tmp_path):
    (tmp_path / config.CONFIG_NAME).write_text(CONFIG_WITH_COMMENTS)
    (tmp_path / "src").mkdir()
    opts = options(tmp_path / "src")
    out = opts.out.lines
    assert add_command.run(opts, template="rabbitmq", as_name="broker") == 0
    assert "[services.broker]" in (tmp_path / config.CONFIG_NAME).read_text()
    assert "added [services.broker] (rabbitmq:3.13-management)" in out[0]
    assert "BROKER_URL" in out[1] and "CELERY_BROKER_URL" in out[1]


def test_the_add_command_keeps_an_approval_it_invalidated(tmp_path):
    from dkenv.shell import allow

    (tmp_path / config.CONFIG_NAME).write_text(CONFIG_WITH_COMMENTS)
    allow.allow(tmp_path)
    add_command.run(options(tmp_path), template="redis", as_name=None)
    assert allow.is_allowed(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / config.CONFIG_NAME).write_text(CONFIG_WITH_COMMENTS)
    add_command.run(options(other), template="redis", as_name=None)
    assert not allow.is_allowed(other)  # never approved: adding does not approve it


# --- init scripts: written set with where they came from, else commented, with the image's rule ---

def test_the_init_scripts_found_are_written_set_with_their_source_and_the_rule(tmp_path):
    from dkenv.detect.initscripts import Scripts

    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "create.sql").write_text("CREATE DATABASE web_test;\n")
    (tmp_path / "db" / "initdb.d").mkdir()
    found = Scripts(["db/create.sql", "db/initdb.d/"], "db/Dockerfile (built by docker-compose.yml, services.web-db)")
    block = edit.service_toml("db", "postgres", init=found)
    assert 'init = ["db/create.sql", "db/initdb.d/"]\n' in block
    assert ("# the init scripts db/Dockerfile (built by docker-compose.yml, services.web-db) gives it "
            "(/docker-entrypoint-initdb.d): run only when data/db is empty; `dkenv down --purge db` runs them again"
            in block)
    service = config.validate(tmp_path / config.CONFIG_NAME, HEAD + block).services["db"]
    assert service.init == ["db/create.sql", "db/initdb.d/"]


@pytest.mark.parametrize("template", ALL_TEMPLATES)
def test_init_is_offered_commented_only_where_the_image_runs_scripts(template):
    block = edit.service_toml("svc", template)
    assert ("# init = []  # scripts of the project" in block) == bool(catalog.catalog()[template].init_dir)
    assert "\ninit =" not in block
