"""dkenv/containers/desired.py prepare_dirs: the data/ folders and the files dkenv mounts,
made as the host user before any container starts."""
from __future__ import annotations

import pytest

from dkenv import fileio
from dkenv.containers import desired
from dkenv.engine.spec import ContainerSpec
from dkenv.errors import FatalError
from tests.unit.conftest import make_config_project

PASSWD = f"# {fileio.MARK}\nroot:x:0:0:root:/root:/bin/sh\nalice:x:1500:1500:alice:/tmp:/bin/sh\n"


def db(project) -> ContainerSpec:
    return ContainerSpec(name="dkenv-demo-db", role="db", image="postgres:16", data_dirs=["db"],
                         host_files={str(project.work_dir / "passwd"): PASSWD})


def test_data_folders_and_host_files_are_made_before_anything_starts(tmp_path):
    project = make_config_project(tmp_path, "")
    desired.prepare_dirs(project, [db(project)])
    assert (project.data_dir / "db").is_dir()
    passwd = project.work_dir / "passwd"
    assert passwd.read_text() == PASSWD and passwd.stat().st_mode & 0o777 == 0o644
    inode = passwd.stat().st_ino
    desired.prepare_dirs(project, [db(project)])
    assert passwd.stat().st_ino == inode  # unchanged text: not rewritten (a running container mounts it)


def test_a_file_dkenv_did_not_write_is_never_replaced(tmp_path):
    project = make_config_project(tmp_path, "")
    project.work_dir.mkdir()
    (project.work_dir / "passwd").write_text("mine\n")
    with pytest.raises(FatalError, match="was not written by dkenv"):
        desired.prepare_dirs(project, [db(project)])
    assert (project.work_dir / "passwd").read_text() == "mine\n"
