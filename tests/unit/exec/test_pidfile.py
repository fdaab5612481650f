"""dkenv/exec/pidfile.py: the fast path trusts only a live init of this container,
mounting this root, and only where the environment selects the engine the record names."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from dkenv.exec import pidfile
from tests.helpers import wait_until


@pytest.fixture(params=["docker-init", "podman-init", "catatonit"])
def fake_init(tmp_path, request):
    binary = tmp_path / request.param
    shutil.copy(shutil.which("sleep"), binary)
    proc = subprocess.Popen([str(binary), "60"])
    wait_until(lambda: Path(f"/proc/{proc.pid}/comm").read_text().strip() == request.param,
               f"the fake init to be named {request.param}")
    yield proc
    proc.kill()
    proc.wait()


def record(pid, cid, root="/home/me/app", **kw) -> pidfile.Record:
    return pidfile.Record(pid, cid, str(root), kw.pop("user", "1500:1500"), **kw)


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "my app"
    return SimpleNamespace(work_dir=root / ".dkenv", root=root)


def test_only_an_init_of_this_container_counts(project, fake_init):
    cgroup = Path(f"/proc/{fake_init.pid}/cgroup").read_text().splitlines()[0]
    assert pidfile.known_running(project, env={}) is None  # no file
    pidfile.write(project, record(fake_init.pid, cgroup, project.root))
    assert pidfile.known_running(project, env={}).user == "1500:1500"
    pidfile.write(project, record(fake_init.pid, "another-containers-id", project.root))
    assert pidfile.known_running(project, env={}) is None
    pidfile.write(project, None)
    assert not pidfile.path(project).exists()


def test_the_file_of_a_moved_folder_is_not_trusted(tmp_path, project, fake_init):
    cgroup = Path(f"/proc/{fake_init.pid}/cgroup").read_text().splitlines()[0]
    pidfile.write(project, record(fake_init.pid, cgroup, project.root))
    assert pidfile.path(project).read_text().split("\n")[1] == str(project.root)  # its own line, spaces kept
    assert pidfile.known_running(project, env={}) is not None
    moved = SimpleNamespace(work_dir=project.work_dir, root=tmp_path / "elsewhere" / "my app")
    assert pidfile.known_running(moved, env={}) is None  # its container mounts the old path


@pytest.mark.parametrize("older", [
    "{pid}\n",  # no container id
    "{pid} {cid}\n",  # no root, no engine
    "{pid} {cid} {root}\n",  # the root on the first line, no engine
    "{pid} {cid}\n1500:1500\n\n\nDOCKER_HOST=unix:///var/run/docker.sock\n",  # an engine, no root
    "{pid} {cid}\n{root}\n1500:1500\n\n",  # torn: a fixed line missing
])
def test_older_formats_are_no_record(project, fake_init, older):
    cgroup = Path(f"/proc/{fake_init.pid}/cgroup").read_text().splitlines()[0]
    project.work_dir.joinpath("run").mkdir(parents=True)
    pidfile.path(project).write_text(older.format(pid=fake_init.pid, cid=cgroup, root=project.root))
    assert pidfile.read(project) is None
    assert pidfile.known_running(project, env={}) is None


def test_a_process_that_is_no_init_does_not_count():
    own = Path("/proc/self/cgroup").read_text().splitlines()[0]
    assert not pidfile.verified(subprocess.os.getpid(), own)
    assert not pidfile.verified(0, own)


def test_the_record_round_trips_and_pins_only_the_selecting_variables():
    rec = record(42, "abc123", "/a b/app", selected=("ssh://u@h:22", ""),
                 cli_env={"DOCKER_HOST": "ssh://u@h:22", "PATH": "/evil", "DOCKER_CONFIG": "/a b/.docker"})
    text = rec.text()
    assert text.splitlines() == ["42 abc123", "/a b/app", "1500:1500", "ssh://u@h:22", "",
                                 "DOCKER_HOST=ssh://u@h:22", "DOCKER_CONFIG=/a b/.docker"]
    again = pidfile.parse(text)
    assert again == pidfile.Record(42, "abc123", "/a b/app", "1500:1500", ("ssh://u@h:22", ""),
                                   {"DOCKER_HOST": "ssh://u@h:22", "DOCKER_CONFIG": "/a b/.docker"})
    hidden = pidfile.parse(record(0, "abc123").text())  # "-": the PID is not visible from here
    assert record(0, "abc123").text().startswith("- abc123\n")
    assert hidden.pid == 0 and hidden.container_id == "abc123"
    assert pidfile.parse("garbage\n") is None


@pytest.mark.parametrize("env, applies", [
    ({}, True),  # no explicit choice: the engine the project runs on
    ({"DOCKER_CONTEXT": "dkenv-podman"}, True),  # as at up
    ({"DOCKER_CONTEXT": "other"}, False),
    ({"DOCKER_HOST": "unix:///var/run/docker.sock"}, False),  # up had no DOCKER_HOST: another engine
])
def test_the_record_applies_unless_the_environment_selects_another_engine(env, applies):
    rec = record(1, "abc", selected=("", "dkenv-podman"))
    assert rec.applies(env) is applies


def test_a_pinned_record_of_a_live_init_is_known_running_only_for_its_engine(project, fake_init):
    cgroup = Path(f"/proc/{fake_init.pid}/cgroup").read_text().splitlines()[0]
    pins = {"DOCKER_CONTEXT": "dkenv-podman", "DOCKER_CONFIG": "/home/me/.docker"}
    pidfile.write(project, record(fake_init.pid, cgroup, project.root, selected=("", "dkenv-podman"), cli_env=pins))
    assert pidfile.known_running(project, env={"DOCKER_CONTEXT": "dkenv-podman"}).cli_env == pins
    assert pidfile.known_running(project, env={}).cli_env == pins  # an editor without the shell's variables
    assert pidfile.known_running(project, env={"DOCKER_CONTEXT": "default"}) is None


def test_a_container_just_started_is_waited_for_until_its_init_has_execd(tmp_path):
    """`docker start` can answer while the runtime's init ("runc:[2:INIT]") has not yet
    exec'd docker-init: settled() waits that stage out, verified() does not."""
    stage, init = tmp_path / "runc:[2:INIT]", tmp_path / "docker-init"
    shutil.copy(shutil.which("sleep"), init)
    stage.write_text(f"#!/bin/sh\nsleep 0.3\nexec {init} 60\n")
    stage.chmod(0o755)
    proc = subprocess.Popen([str(stage)])
    try:
        wait_until(lambda: Path(f"/proc/{proc.pid}/comm").read_text().strip() == "runc:[2:INIT]",
                   "the runtime's stage to be named runc:[2:INIT]")  # the script's own name
        cgroup = Path(f"/proc/{proc.pid}/cgroup").read_text().splitlines()[0]
        assert not pidfile.verified(proc.pid, cgroup)
        assert pidfile.settled(proc.pid, cgroup)
        assert not pidfile.settled(proc.pid, "another-containers-id", seconds=0.2)
    finally:
        proc.kill()
        proc.wait()
    assert not pidfile.settled(subprocess.os.getpid(), cgroup)  # no runtime stage: no wait
