"""containers/datakinds.py: another service's data refused, a changed credential said."""
from __future__ import annotations

import json

import pytest

from dkenv.containers import datakinds
from dkenv.errors import FatalError
from tests.unit.conftest import make_config_project

PG = '[services.db]\ntemplate = "postgres"\nversion = "15"\n'
PG_PASSWORD = PG + '[services.db.env]\nPOSTGRES_PASSWORD = "new-secret"\n'
REDIS = '[services.db]\ntemplate = "redis"\nversion = "7"\n'


def started(project, fresh):
    """As `up` leaves it: the service wrote its files, then dkenv recorded them."""
    folder = project.data_dir / "db"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "PG_VERSION").write_text("15\n")
    datakinds.record(project, fresh)


def test_the_record_names_the_template_and_hashes_the_credentials(tmp_path):
    project = make_config_project(tmp_path, PG)
    assert datakinds.check(project, False, print) == {"db"}  # nothing there yet: it starts fresh
    started(project, {"db"})
    record = json.loads((tmp_path / "data" / ".dkenv.json").read_text())
    assert record["db"]["template"] == "postgres"
    assert "POSTGRES_PASSWORD" in record["db"]["credentials"]
    assert "postgres" not in json.dumps(record["db"]["credentials"])  # hashes, never the values


def test_another_services_data_is_refused_before_anything(tmp_path):
    started(make_config_project(tmp_path, PG), {"db"})
    redis = make_config_project(tmp_path, REDIS)
    with pytest.raises(FatalError, match=r"holds data written by postgres.*now redis.*--force"):
        datakinds.check(redis, False, print)
    datakinds.check(redis, True, print)  # forced: allowed


def test_a_changed_password_is_said_once_and_the_old_one_stays_recorded(tmp_path):
    started(make_config_project(tmp_path, PG), {"db"})
    said = []
    changed = make_config_project(tmp_path, PG_PASSWORD)
    assert datakinds.check(changed, False, said.append) == set()
    assert len(said) == 1 and "POSTGRES_PASSWORD of db changed" in said[0] and "down --purge db" in said[0]
    datakinds.record(changed, set())
    said.clear()
    datakinds.check(changed, False, said.append)
    assert said, "the database still has the password it was created with"


def test_a_fresh_start_records_the_new_credentials(tmp_path):
    started(make_config_project(tmp_path, PG), {"db"})
    changed = make_config_project(tmp_path, PG_PASSWORD)
    for f in (tmp_path / "data" / "db").iterdir():
        f.unlink()  # purged
    fresh = datakinds.check(changed, False, print)
    started(changed, fresh)
    said = []
    datakinds.check(changed, False, said.append)
    assert said == []


def test_data_without_a_record_is_adopted(tmp_path):
    project = make_config_project(tmp_path, REDIS)
    (tmp_path / "data" / "db").mkdir(parents=True)
    (tmp_path / "data" / "db" / "dump.rdb").write_text("x")
    assert datakinds.check(project, False, print) == set()
    datakinds.record(project, set())
    assert json.loads((tmp_path / "data" / ".dkenv.json").read_text())["db"]["template"] == "redis"


def test_a_broken_record_is_ignored(tmp_path):
    project = make_config_project(tmp_path, PG)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / ".dkenv.json").write_bytes(b"\xff\x00[")
    assert datakinds.check(project, False, print) == {"db"}
