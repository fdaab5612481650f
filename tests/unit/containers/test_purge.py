"""dkenv/containers/purge.py: what `down --purge` deletes, and how: on the host for the host
user's data, through a root container only for another UID's."""
from __future__ import annotations

import os

import pytest

from dkenv.containers import purge
from dkenv.engine.spec import Mount
from dkenv.errors import FatalError
from tests.unit import fakeengine
from tests.unit.conftest import Captured, make_config_project


def db_data(tmp_path):
    project = make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\n')
    base = project.data_dir / "db" / "base"
    base.mkdir(parents=True)
    (base / "1").write_text("row")
    return project


def test_the_host_users_data_is_removed_on_the_host_with_no_container(tmp_path):
    project = db_data(tmp_path)
    locked = project.data_dir / "db" / "locked"
    locked.mkdir()
    (locked / "f").write_text("x")
    locked.chmod(0)  # a folder of theirs they cannot list: opened up, then removed
    outside = tmp_path / "outside.txt"
    outside.write_text("kept")
    (project.data_dir / "db" / "link").symlink_to(outside)
    engine, out = fakeengine.engine(), Captured()
    found = purge.targets(project, ["db"])
    assert [(t.service, t.path, t.image) for t in found] == [("db", project.data_dir / "db", "postgres:16")]
    purge.delete(project, engine, found, out=out.say)
    assert not (project.data_dir / "db").exists()
    assert outside.read_text() == "kept"  # a link is removed, never followed
    assert engine.api.runs == []
    assert out.lines == [f"dkenv: deleting {project.data_dir / 'db'}"]


def test_another_uids_data_is_removed_by_a_root_container_of_the_service_image(tmp_path, monkeypatch):
    project = db_data(tmp_path)
    monkeypatch.setattr(os, "getuid", lambda: 4242)  # the files are this process's: another UID's
    engine = fakeengine.engine()
    purge.delete(project, engine, purge.targets(project, ["db"]), out=Captured().say)
    assert engine.api.runs == [("postgres:16", ["rm", "-rf", "/purge/db"], [Mount(str(project.data_dir), "/purge")],
                                "0:0", None)]


@pytest.mark.parametrize("link", ["data", "data/db"])
def test_a_link_is_refused_before_anything_is_deleted(tmp_path, link):
    project = make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\n')
    real = tmp_path / "real"
    (real / "db").mkdir(parents=True)
    if link == "data":
        project.data_dir.symlink_to(real)
    else:
        project.data_dir.mkdir()
        (project.data_dir / "db").symlink_to(real / "db")
    engine = fakeengine.engine()
    with pytest.raises(FatalError, match="is a symbolic link"):
        purge.delete(project, engine, [purge.Target("db", project.data_dir / "db", "postgres:16")],
                     out=Captured().say)
    assert (real / "db").is_dir() and engine.api.runs == []
