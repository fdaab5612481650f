"""dkenv/detect/needs.py: the Debian packages and services a project's dependencies need (through detection.inspect)."""
from __future__ import annotations

import re

import pytest

from dkenv.detect import detection
from dkenv.manifests.dependencies import normalize
from dkenv.detect.needs import apt_needs
from tests.unit.conftest import tree


def test_psycopg2_binary_needs_no_apt_but_proposes_postgres(tmp_path):
    tree(tmp_path, {"requirements.txt": "psycopg2-binary==2.9.9\n"})
    found = detection.inspect(tmp_path)
    assert found.apt == []
    assert found.services == ["postgres"]
    assert found.service_for == {"postgres": ["psycopg2-binary"]}


@pytest.mark.parametrize("spec, apt", [
    ("psycopg[binary]", []),
    ("psycopg[c]", ["build-essential", "libpq-dev", "libpq5"]),
    ("psycopg", ["libpq5"]),
])
def test_psycopg_extras_decide_the_apt_packages(tmp_path, spec, apt):
    tree(tmp_path, {"requirements.txt": spec + "\n"})
    assert detection.inspect(tmp_path).apt == apt


def test_lxml_is_only_a_hint_because_wheels_exist(tmp_path):
    tree(tmp_path, {"requirements.txt": "lxml\n"})
    found = detection.inspect(tmp_path)
    assert found.apt == []
    assert any("libxml2-dev" in note and "from source" in note for note in found.notes)


def test_apt_needs_data_is_well_formed():
    needs = apt_needs()
    assert {"psycopg2", "mysqlclient", "gdal", "python-ldap", "lxml", "psycopg", "pyodbc"} <= set(needs)
    assert "psycopg2-binary" not in needs
    debian = re.compile(r"^[a-z0-9][a-z0-9+.-]*$")  # what config.validate accepts, without versions
    for name, entry in needs.items():
        assert name == normalize(name), name
        assert set(entry) <= {"apt", "why", "when", "unless_extras", "extras"}, name
        assert entry.get("when", "always") in ("always", "source"), name
        assert entry["why"], name
        for item in [entry, *entry.get("extras", {}).values()]:
            assert item["apt"] and all(debian.match(p) for p in item["apt"]), name
            assert not any(p.startswith("python3") for p in item["apt"]), name  # headers come with the image


def test_markers_are_evaluated_for_the_pythons_the_project_allows(tmp_path):
    """Linux, CPython, requires-python's versions: a Windows-only or an old-Python-only
    dependency proposes no apt package and no service."""
    tree(tmp_path, {"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.10"\n',
                    "requirements.txt": 'psycopg2; python_version < "3.9"\n'
                                        'mysqlclient; sys_platform == "win32"\n'
                                        'redis; python_version >= "3.8"\n'})
    found = detection.inspect(tmp_path)
    assert found.dependencies == ["redis"]
    assert (found.apt, found.services) == ([], ["redis"])
    tree(tmp_path, {"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.8"\n'})
    assert detection.inspect(tmp_path).apt == ["build-essential", "libpq-dev"]  # 3.8 may be the image's
