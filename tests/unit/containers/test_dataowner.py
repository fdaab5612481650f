"""dkenv/containers/dataowner.py: finding another user's files under data/, and taking them over."""
from __future__ import annotations

import os

import pytest

from dkenv.containers import dataowner
from dkenv.engine.spec import ContainerSpec, Mount
from dkenv.errors import FatalError
from tests.unit import fakeengine
from tests.unit.conftest import Captured, make_config_project

ME = os.getuid()


def test_a_tree_of_ones_own_is_nobodys_else(tmp_path):
    (tmp_path / "db" / "base").mkdir(parents=True)
    (tmp_path / "db" / "base" / "1").write_text("x")
    assert dataowner.foreign_owner(tmp_path / "db", ME) is None
    assert dataowner.foreign_owner(tmp_path / "db", ME + 1) == ME  # the first entry tells


def test_links_are_looked_at_never_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "file").write_text("x")
    if ME == 0:
        os.chown(elsewhere, 4242, 4242)
        os.chown(elsewhere / "file", 4242, 4242)
    else:
        elsewhere = "/etc"  # root's, and the link to it is ours
    data = tmp_path / "data" / "db"
    data.mkdir(parents=True)
    (data / "link").symlink_to(elsewhere)
    (data / "dangling").symlink_to(tmp_path / "nothing")
    assert dataowner.foreign_owner(data, ME) is None


def test_a_missing_folder_has_no_foreign_files(tmp_path):
    assert dataowner.foreign_owner(tmp_path / "absent", ME) is None


def test_the_owner_is_the_host_user_only_when_the_spec_runs_as_them(monkeypatch):
    monkeypatch.setattr(os, "getuid", lambda: 1500)
    spec = ContainerSpec(name="p-db", role="db", image="postgres:16", user="1500:1600")
    assert dataowner.host_owner(spec) == (1500, 1600)
    for user in (None, "999:999", "1500", "postgres", "1500:0x"):
        assert dataowner.host_owner(ContainerSpec(name="p-db", role="db", image="i", user=user)) is None
    monkeypatch.setattr(os, "getuid", lambda: 0)
    assert dataowner.host_owner(ContainerSpec(name="p-db", role="db", image="i", user="0:0")) is None


def an_engine(chown_to: int | None = None):
    """An Engine whose throwaway containers (`.api.runs`) change nothing, or, with `chown_to`,
    make the files of their first mount that UID's."""
    eng = fakeengine.engine()

    def on_run(image, argv, mounts, user):
        for folder, dirs, files in os.walk(mounts[0].source):
            for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                os.lchown(name, chown_to, chown_to)
        return 0, b""

    if chown_to is not None:
        eng.api.on_run = on_run
    return eng


def db_spec(project, user: str) -> ContainerSpec:
    return ContainerSpec(name="dkenv-demo-db", role="db", image="postgres:16", user=user, data_dirs=["db"],
                         mounts=[Mount(str(project.data_dir / "db"), "/var/lib/postgresql/data")])


def test_nothing_runs_when_the_data_is_the_host_users_already(tmp_path, monkeypatch):
    project = make_config_project(tmp_path, "")
    (project.data_dir / "db" / "base").mkdir(parents=True)
    uid = ME or 1500  # root stands in for 1500 by giving them the files
    if ME == 0:
        for path in (project.data_dir / "db", project.data_dir / "db" / "base"):
            os.chown(path, uid, uid)
    monkeypatch.setattr(os, "getuid", lambda: uid)
    engine, out = an_engine(), Captured()
    dataowner.take_over(project, engine, db_spec(project, f"{uid}:{uid}"), out.say)
    assert engine.api.runs == [] and out.lines == []


def test_a_data_folder_that_is_a_link_is_refused_before_any_container_runs(tmp_path, monkeypatch):
    project = make_config_project(tmp_path, "")
    project.data_dir.mkdir()
    (tmp_path / "real").mkdir()
    (project.data_dir / "db").symlink_to(tmp_path / "real")
    monkeypatch.setattr(os, "getuid", lambda: 1500)
    engine = an_engine()
    with pytest.raises(FatalError, match="is a symbolic link"):
        dataowner.take_over(project, engine, db_spec(project, "1500:1500"), Captured().say)
    assert engine.api.runs == []


def test_another_users_data_is_chowned_by_a_root_container_and_checked(tmp_path, monkeypatch):
    """The host user is 4242 here: the files (this process's) are another UID's."""
    project = make_config_project(tmp_path, "")
    (project.data_dir / "db" / "base").mkdir(parents=True)
    monkeypatch.setattr(os, "getuid", lambda: 4242)
    engine, out = an_engine(), Captured()
    with pytest.raises(FatalError, match=r"could not take ownership .*sudo chown -R -h 4242:4343 "):
        dataowner.take_over(project, engine, db_spec(project, "4242:4343"), out.say)
    assert out.lines == [f"dkenv: data/db: taking ownership from UID {ME} (made by an earlier dkenv, which ran "
                         "db as its image's user) for UID 4242"]
    [(image, argv, mounts, user, userns)] = engine.api.runs
    assert image == "postgres:16" and user == "0:0"
    assert argv == ["chown", "-R", "-h", "4242:4343", "/dkenv-data"]  # -h: a link itself, never its target
    assert mounts == [Mount(str(project.data_dir / "db"), "/dkenv-data")]
    assert userns is None


def test_on_rootless_podman_the_takeover_runs_in_the_services_user_namespace(tmp_path, monkeypatch):
    """keep-id: the host UID is itself inside; without it, chown to 4242 would give the files
    to a subordinate UID of the host user's."""
    project = make_config_project(tmp_path, "")
    (project.data_dir / "db" / "base").mkdir(parents=True)
    monkeypatch.setattr(os, "getuid", lambda: 4242)
    spec = db_spec(project, "4242:4343")
    spec.userns = "keep-id"
    engine = an_engine()
    with pytest.raises(FatalError):  # the fake changes nothing: still another UID's
        dataowner.take_over(project, engine, spec, Captured().say)
    assert [run[4] for run in engine.api.runs] == ["keep-id"]


@pytest.mark.root  # CI runs it as root
@pytest.mark.skipif(ME != 0, reason="makes files of another UID")
def test_after_the_takeover_the_data_is_theirs_and_nothing_runs_again(tmp_path, monkeypatch):
    project = make_config_project(tmp_path, "")
    (project.data_dir / "db" / "base").mkdir(parents=True)
    os.chown(project.data_dir / "db", 999, 999)
    monkeypatch.setattr(os, "getuid", lambda: 1500)
    engine, out = an_engine(chown_to=1500), Captured()
    dataowner.take_over(project, engine, db_spec(project, "1500:1500"), out.say)
    dataowner.take_over(project, engine, db_spec(project, "1500:1500"), out.say)
    assert len(engine.api.runs) == 1 and len(out.lines) == 1 and "from UID 999" in out.lines[0]
    assert dataowner.foreign_owner(project.data_dir / "db", 1500) is None
