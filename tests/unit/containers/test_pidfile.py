"""dkenv/containers/pidfile.py: the fast path trusts only a live init of this container, and
only where the environment selects the engine the record names."""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from dkenv.containers import pidfile


@pytest.fixture(params=["docker-init", "podman-init", "catatonit"])
def fake_init(tmp_path, request):
    binary = tmp_path / request.param
    shutil.copy(shutil.which("sleep"), binary)
    proc = subprocess.Popen([str(binary), "60"])
    for _ in range(100):  # vfork returns before the kernel renames the child
        if Path(f"/proc/{proc.pid}/comm").read_text().strip() == request.param:
            break
        time.sleep(0.01)
    yield proc
    proc.kill()
    proc.wait()


def record(pid, cid, **kw) -> pidfile.Record:
    return pidfile.Record(pid, cid, kw.pop("user", "1500:1500"), **kw)


def test_only_an_init_of_this_container_counts(tmp_path, fake_init):
    project = SimpleNamespace(work_dir=tmp_path / ".dkenv")
    cgroup = Path(f"/proc/{fake_init.pid}/cgroup").read_text().splitlines()[0]
    assert pidfile.known_running(project, env={}) is None  # no file
    pidfile.write(project, record(fake_init.pid, cgroup))
    assert pidfile.known_running(project, env={}).user == "1500:1500"
    pidfile.write(project, record(fake_init.pid, "another-containers-id"))
    assert pidfile.known_running(project, env={}) is None
    pidfile.path(project).write_text(f"{fake_init.pid}\n")  # written by an older dkenv: no id
    assert pidfile.known_running(project, env={}) is None
    pidfile.write(project, None)
    assert not pidfile.path(project).exists()


def test_a_process_that_is_no_init_does_not_count(tmp_path):
    own = Path("/proc/self/cgroup").read_text().splitlines()[0]
    assert not pidfile.verified(subprocess.os.getpid(), own)
    assert not pidfile.verified(0, own)


def test_the_record_round_trips_and_pins_only_the_selecting_variables():
    rec = record(42, "abc123", selected=("ssh://u@h:22", ""),
                 cli_env={"DOCKER_HOST": "ssh://u@h:22", "PATH": "/evil", "DOCKER_CONFIG": "/a b/.docker"})
    text = rec.text()
    assert text.splitlines() == ["42 abc123", "1500:1500", "ssh://u@h:22", "",
                                 "DOCKER_HOST=ssh://u@h:22", "DOCKER_CONFIG=/a b/.docker"]
    again = pidfile.parse(text)
    assert again.pid == 42 and again.container_id == "abc123" and again.selected == ("ssh://u@h:22", "")
    assert again.cli_env == {"DOCKER_HOST": "ssh://u@h:22", "DOCKER_CONFIG": "/a b/.docker"}
    hidden = pidfile.parse(record(0, "abc123").text())  # "-": the PID is not visible from here
    assert text.startswith("42 ") and record(0, "abc123").text().startswith("- abc123\n")
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
