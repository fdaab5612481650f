"""dkenv/services/catalog.py: the catalog file, its entries, and `dkenv services`."""
from __future__ import annotations

from pathlib import Path

import pytest

from dkenv import tomltext
from dkenv.catalog import entries
from dkenv.commands import services as services_command
from dkenv.services import catalog, resolve
from tests.unit.conftest import options

# --- the catalog file ---

ALL_TEMPLATES = ["postgres", "mysql", "mariadb", "redis", "memcached", "opensearch", "elasticsearch",
                 "manticore", "clickhouse", "rabbitmq", "mongodb", "minio", "mailpit"]


def test_the_catalog_has_exactly_the_documented_entries():
    assert list(catalog.catalog()) == ALL_TEMPLATES


@pytest.mark.parametrize("template", ALL_TEMPLATES)
def test_every_entry_has_every_required_field(template):
    raw = tomltext.loads(entries.CATALOG_FILE.read_text())[template]
    assert set(entries.REQUIRED_FIELDS) <= set(raw)
    assert set(raw) <= set(entries.REQUIRED_FIELDS) | set(entries.OPTIONAL_FIELDS)
    entry = catalog.catalog()[template]
    for text_field in ("description", "image", "tag", "healthcheck", "url"):
        assert getattr(entry, text_field).strip(), text_field
    assert entry.ports and all(isinstance(p, int) and 0 < p < 65536 for p in entry.ports)
    assert entry.connection, "every entry injects something"
    assert entry.data == "" or entry.data.startswith("/")
    assert set(entry.weak) <= set(entry.connection)
    # every template renders with the entry's own env
    variables = resolve.entry_variables(entry, "svc", entry.env)
    assert set(variables) == set(entry.connection)
    assert all("{" not in v and "}" not in v for v in variables.values())


@pytest.mark.parametrize("template", ALL_TEMPLATES)
def test_a_service_named_after_its_template_gets_consistent_prefixed_variables(template):
    """NAME_URL/_HOST/_PORT never contradict the entry's own variables of the same name."""
    entry = catalog.catalog()[template]
    own = resolve.entry_variables(entry, template, entry.env)
    prefixed = resolve.prefixed_variables(entry, template, entry.env)
    for key in set(own) & set(prefixed):
        assert own[key] == prefixed[key], key


def test_a_catalog_entry_without_a_required_field_is_refused():
    with pytest.raises(ValueError, match=r"\[broken\]: missing \['healthcheck'"):
        entries.parse_catalog('[broken]\ndescription = "x"\nimage = "x"\ntag = "1"\nports = [1]\ndata = ""\n'
                              'env = {}\nurl = "x"\nconnection = { X = "y" }\n')
    with pytest.raises(ValueError, match="unknown \\['colour'\\]"):
        text = entries.CATALOG_FILE.read_text().replace('[redis]\n', '[redis]\ncolour = "red"\n')
        entries.parse_catalog(text)


# --- text: dkenv services ---

def test_format_catalog_lists_every_entry_with_its_image_port_and_variables():
    text = catalog.format_catalog()
    lines = text.splitlines()
    assert lines[0].split() == ["NAME", "IMAGE", "PORTS", "INJECTS"]
    for entry in catalog.catalog().values():
        row = next(line for line in lines if line.startswith(entry.name + " "))
        assert entry.default_image in row and str(entry.ports[0]) in row
        assert all(var in row for var in entry.connection)
    assert "NAME_URL" in text


def test_the_services_command_prints_the_catalog():
    out = []
    opts = options()
    out = opts.out.lines
    assert services_command.run(opts) == 0
    assert out == [catalog.format_catalog()]


def test_the_docs_describe_every_catalog_entry():
    docs = (Path(__file__).resolve().parents[3] / "docs" / "services.md").read_text()
    for entry in catalog.catalog().values():
        assert f"### {entry.name}\n" in docs
        section = docs.split(f"### {entry.name}\n")[1].split("###")[0]
        assert f"`{entry.default_image}`" in section, entry.name
        assert (entry.data and f"`{entry.data}`" in section) or (not entry.data and "nothing persisted" in section)
        for variable in entry.connection:
            assert variable in section, (entry.name, variable)
        for key in entry.env:
            assert key in section, (entry.name, key)


# --- who each entry runs as ---

RUN_AS_HOST_USER = {"postgres", "mysql", "mariadb", "redis", "clickhouse", "rabbitmq", "mongodb", "minio",
                    "mailpit"}
IMAGE_USER = {"opensearch", "manticore"}  # their images cannot run as an arbitrary UID


def test_the_entries_that_persist_data_say_whether_they_can_run_as_the_host_user():
    entries = catalog.catalog()
    assert {n for n, e in entries.items() if e.data and e.run_as_host_user and not e.user} == RUN_AS_HOST_USER
    assert {n for n, e in entries.items() if not e.run_as_host_user} == IMAGE_USER
    assert entries["elasticsearch"].user == "{uid}:0"  # its own way: any uid in group 0


def test_every_entry_that_cannot_run_as_the_host_user_says_why():
    lines = entries.CATALOG_FILE.read_text().splitlines()
    for number, line in enumerate(lines):
        if line.startswith("run_as_host_user"):
            assert line == "run_as_host_user = false"  # true is the default: never written
            assert lines[number - 1].startswith("# "), "a comment above says why"


def test_postgres_gets_the_socket_folders_group_and_a_passwd_entry_and_nothing_else_does():
    entries = catalog.catalog()
    assert entries["postgres"].groups == ["postgres"] and entries["postgres"].passwd is True
    assert [n for n, e in entries.items() if e.groups or e.passwd] == ["postgres"]


def test_the_identity_fields_have_their_defaults_and_types():
    entry = entries.parse_catalog('[x]\ndescription = "x"\nimage = "x"\ntag = "1"\nports = [1]\ndata = "/d"\n'
                                  'healthcheck = "true"\nenv = {}\nurl = "x"\nconnection = { X = "y" }\n')["x"]
    assert entry.run_as_host_user is True and entry.groups == [] and entry.passwd is False
