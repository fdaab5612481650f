"""The shims and the pid file's record (exec/pidfile.py), run by the real /bin/sh
with a fake docker: the record's user and engine are used, an environment that selects
another engine takes the slow path, and a container whose PID this machine cannot see
is reached straight through docker once the engine says it runs."""
from __future__ import annotations

from pathlib import Path

import pytest

from dkenv.exec import pidfile
from tests.shell.test_shims_protocol import Rig, calls

pytestmark = pytest.mark.shell

# logs each call's arguments and the engine variables it got; `container inspect` says $FAKE_RUNNING
FAKE_DOCKER = r"""#!/bin/sh
{ for a in "$@"; do printf '%s\n' "$a"; done; echo; } >> "$FAKE_LOG.docker"
printf '%s|%s|%s|%s\n' "${DOCKER_HOST-unset}" "${DOCKER_CONTEXT-unset}" "${DOCKER_CONFIG-unset}" \
    "${DOCKER_CERT_PATH-unset}" >> "$FAKE_LOG.env"
if [ "$1" = container ]; then echo "${FAKE_RUNNING:-true}"; exit 0; fi
exit "${FAKE_STATUS:-0}"
"""


@pytest.fixture
def rig(tmp_path):
    from tests.shell.conftest import require

    require("sh")
    r = Rig(tmp_path)
    r.docker.write_text(FAKE_DOCKER)
    yield r
    r.close()


def write_record(rig: Rig, *, visible: bool = True, selected=("", ""), pins=None, user="42:43") -> None:
    rig.start_container(record=False)
    pins = {"DOCKER_CONTEXT": "dkenv-podman", "DOCKER_CONFIG": "/home/u/my docker"} if pins is None else pins
    pidfile.write(rig.project, pidfile.Record(rig.init.pid if visible else 0, rig.cgroup, str(rig.project.root),
                                              user, selected, pins))


def engine_env(rig: Rig) -> list[str]:
    path = Path(f"{rig.log}.env")
    return path.read_text().splitlines() if path.exists() else []


def test_the_record_gives_the_user_and_pins_the_engine(rig):
    write_record(rig)
    result = rig.run("python", "-V", env={"DOCKER_HOST": "", "DOCKER_CERT_PATH": "/stale", "DOCKER_CONFIG": "/x"})
    assert result.returncode == 0, result.stderr
    (call,) = calls(Path(f"{rig.log}.docker"))
    assert call[call.index("-u") + 1] == "42:43"
    # the context and its config folder, nothing of the environment's own selection
    assert engine_env(rig) == ["unset|dkenv-podman|/home/u/my docker|unset"]
    assert rig.dkenv_calls() == []


def test_a_record_without_pins_keeps_the_environments_engine(rig):
    write_record(rig, selected=("unix:///mine.sock", ""), pins={})
    rig.run("python", "-V", env={"DOCKER_HOST": "unix:///mine.sock"})
    (call,) = calls(Path(f"{rig.log}.docker"))
    assert call[call.index("-u") + 1] == "42:43"
    assert engine_env(rig) == ["unix:///mine.sock|unset|unset|unset"]


def test_an_older_pid_file_is_no_record_and_asks_no_engine(rig):
    rig.start_container(record=False)  # the engines' lines, but no root: written by an older dkenv
    pidfile.path(rig.project).parent.mkdir(parents=True, exist_ok=True)
    pidfile.path(rig.project).write_text(f"- {rig.cgroup}\n42:43\n\n\nDOCKER_HOST=ssh://me@box\n")
    assert rig.run("python", "-V").returncode == 0
    assert calls(Path(f"{rig.log}.docker")) == []  # not even `container inspect`
    assert rig.dkenv_calls() == [["-C", str(rig.root), "exec", "--", "python", "-V"]]


def test_a_moved_folders_record_of_a_hidden_pid_is_not_asked_for(rig):
    write_record(rig, visible=False, pins={"DOCKER_HOST": "ssh://me@box"})
    text = pidfile.path(rig.project).read_text().split("\n")
    text[1] = "/the/old/place"
    pidfile.path(rig.project).write_text("\n".join(text))
    assert rig.run("python", "-V").returncode == 0
    assert calls(Path(f"{rig.log}.docker")) == []
    assert rig.dkenv_calls() == [["-C", str(rig.root), "exec", "--", "python", "-V"]]


@pytest.mark.parametrize("env, fast", [
    ({}, True),  # nothing selected: the engine the project runs on
    ({"DOCKER_HOST": "ssh://me@box"}, True),  # as at `up`
    ({"DOCKER_HOST": "unix:///var/run/docker.sock"}, False),  # another engine: dkenv decides
    ({"DOCKER_CONTEXT": "other"}, False),
])
def test_an_environment_selecting_another_engine_takes_the_slow_path(rig, env, fast):
    write_record(rig, selected=("ssh://me@box", ""), pins={"DOCKER_HOST": "ssh://me@box"})
    assert rig.run("python", "-V", env=env).returncode == 0
    assert (rig.dkenv_calls() == []) is fast
    assert (len(calls(Path(f"{rig.log}.docker"))) == 1) is fast


def test_a_container_not_visible_from_here_is_asked_for_then_reached_directly(rig):
    write_record(rig, visible=False, pins={"DOCKER_HOST": "ssh://me@box"})
    assert pidfile.path(rig.project).read_text().startswith("- ")
    result = rig.run("python", "-c", "pass", input=b"")
    assert result.returncode == 0, result.stderr
    inspect, run = calls(Path(f"{rig.log}.docker"))
    assert inspect == ["container", "inspect", "-f", "{{.State.Running}}", "dkenv-app"]
    assert run[0] == "exec" and "dkenv-app" in run
    assert engine_env(rig) == ["ssh://me@box|unset|unset|unset"] * 2
    assert rig.dkenv_calls() == []


def test_a_container_not_visible_and_not_running_goes_through_dkenv(rig):
    write_record(rig, visible=False)
    assert rig.run("python", "-V", env={"FAKE_RUNNING": "false"}).returncode == 0
    assert len(calls(Path(f"{rig.log}.docker"))) == 1  # the question only
    assert rig.dkenv_calls() == [["-C", str(rig.root), "exec", "--", "python", "-V"]]
