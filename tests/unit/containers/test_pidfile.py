"""dkenv/containers/pidfile.py: the fast path trusts only a live docker-init of this container."""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from dkenv.containers import pidfile


@pytest.fixture
def fake_init(tmp_path):
    binary = tmp_path / "docker-init"
    shutil.copy(shutil.which("sleep"), binary)
    proc = subprocess.Popen([str(binary), "60"])
    deadline = time.monotonic() + 10
    while Path(f"/proc/{proc.pid}/comm").read_text().strip() != "docker-init":  # not exec'd yet
        assert time.monotonic() < deadline
        time.sleep(0.01)
    yield proc
    proc.kill()
    proc.wait()


def test_only_a_docker_init_of_this_container_counts(tmp_path, fake_init):
    project = SimpleNamespace(work_dir=tmp_path / "my app" / ".dkenv", root=tmp_path / "my app")
    cgroup = Path(f"/proc/{fake_init.pid}/cgroup").read_text().splitlines()[0]
    assert not pidfile.known_running(project)  # no file
    pidfile.write(project, fake_init.pid, cgroup)
    assert pidfile.path(project).read_text() == f"{fake_init.pid} {cgroup} {project.root}\n"
    assert pidfile.known_running(project)
    moved = SimpleNamespace(work_dir=project.work_dir, root=tmp_path / "elsewhere" / "my app")
    assert not pidfile.known_running(moved)  # the file of a moved folder: its container mounts the old path
    pidfile.path(project).write_text(f"{fake_init.pid} {cgroup}\n")  # written by an older dkenv: no root
    assert not pidfile.known_running(project)
    pidfile.write(project, fake_init.pid, "another-containers-id")
    assert not pidfile.known_running(project)
    pidfile.path(project).write_text(f"{fake_init.pid}\n")  # written by an older dkenv: no id
    assert not pidfile.known_running(project)
    pidfile.write(project, 0)
    assert not pidfile.path(project).exists()
