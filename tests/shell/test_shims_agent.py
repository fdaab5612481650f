"""The shim's agent block (2b in shell/shim.sh), run by the real /bin/sh with the real agent
(server.py on the host, as this user) on the project's socket, a fake `docker` and a fake
`dkenv` (test_shims_protocol.py's rig): the agent when it answers, `docker exec` otherwise,
each command run once, and the rehash after `pip install` once on either path."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from dkenv.exec import agent, pidfile
from dkenv.exec.agent import server
from tests.shell.test_shims_protocol import HOSTILE, Rig
from tests.unit.exec.test_agent import wait_until

pytestmark = pytest.mark.shell

USER = f"{os.getuid()}:{os.getgid()}"
# the "container's" commands: print what they got; `pip` too (its status from FAKE_PIP_STATUS)
TOOL = """#!/bin/sh
printf '%s in %s:' "${0##*/}" "$PWD"; printf ' [%s]' "$@"; echo " token=${DKENV_EXEC_TOKEN%%-*}"
exit "${FAKE_TOOL_STATUS:-0}"
"""


def bound_socket(path: Path) -> socket.socket:
    """A socket bound at `path` (through its folder's descriptor: a hostile path is long), not listening."""
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(f"/proc/self/fd/{folder}/{path.name}")
    finally:
        os.close(folder)
    return sock


@pytest.fixture(params=["plain", "hostile"])
def rig(request, tmp_path):
    r = Rig(tmp_path, "app" if request.param == "plain" else HOSTILE, user=USER)
    r.start_container()
    r.inside = tmp_path / "inside"  # the commands the agent finds on its PATH
    r.inside.mkdir()
    for name in ("python", "pip"):
        (r.inside / name).write_text(TOOL)
        (r.inside / name).chmod(0o755)
    r.sock = Path(agent.socket_path(r.project))
    yield r
    r.close()


@pytest.fixture
def served(rig):
    """The agent, listening on the project's socket."""
    env = {"PATH": f"{rig.inside}:/usr/bin:/bin", "FAKE_TOOL_STATUS": "0"}
    rig.sock.parent.mkdir(mode=0o700, exist_ok=True)  # .dkenv/agent/, as `up` makes it
    proc = subprocess.Popen([sys.executable, "-I", "-S", server.__file__, str(rig.sock.parent)], env=env)
    wait_until(rig.sock.exists, message="the agent did not listen")
    yield rig
    proc.terminate()
    proc.wait(timeout=10)


def test_the_agent_runs_the_command_and_docker_is_not_called(served):
    rig = served
    (rig.root / "sub").mkdir()
    result = rig.run("python", "-c", "a b", "", cwd=rig.root / "sub", input=b"")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == f"python in {rig.root / 'sub'}: [-c] [a b] [] token=agent\n"
    assert rig.docker_calls() == []
    assert rig.dkenv_calls() == []


def test_the_status_is_the_commands(served):
    assert served.run("python", "-c", "x", input=b"", env={}).returncode == 0
    script = served.inside / "python"
    script.write_text("#!/bin/sh\nexit 7\n")
    assert served.run("python", input=b"").returncode == 7


def test_manage_py_is_python_with_the_nearest_manage_py(served):
    rig = served
    (rig.root / "manage.py").write_text("")
    result = rig.run("manage.py", "check", input=b"")
    assert result.stdout.decode().startswith(f"python in {rig.root}: [{rig.root}/manage.py] [check]")


def test_disabled_agent_uses_docker_exec(served):
    result = served.run("python", "-V", input=b"", env={"DKENV_AGENT": "0"})
    assert result.returncode == 0
    assert len(served.docker_calls()) == 1 and "exec" in served.docker_calls()[0]


def test_a_terminal_on_both_ends_uses_docker_exec_it(served):
    import pexpect

    child = pexpect.spawn(str(served.shims / "python"), ["-V"], cwd=str(served.root),
                          env={**served.env(), "PWD": str(served.root)}, timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    calls = served.docker_calls()
    assert calls and "-it" in calls[0]


def test_a_stale_socket_falls_back_to_docker_exec_once(rig):
    bound_socket(rig.sock).close()  # nobody listens: a stale socket
    result = rig.run("python", "-c", "pass", input=b"", env={"FAKE_STATUS": "5"})
    assert result.returncode == 5
    calls = rig.docker_calls()
    assert len(calls) == 1 and calls[0][:2] == ["exec", "-i"]
    assert calls[0][-3:] == ["python", "-c", "pass"]


@pytest.mark.root  # CI runs it as root
def test_another_users_socket_is_not_used(rig, tmp_path):
    """A socket this user does not own: the shim does not even start the client."""
    if os.getuid() != 0:
        pytest.skip("needs root to give the socket away")
    listening = bound_socket(rig.sock)
    listening.listen(4)
    os.chown(rig.sock, 65534, 65534)
    try:
        assert rig.run("python", "-V", input=b"").returncode == 0
        assert len(rig.docker_calls()) == 1
        listening.setblocking(False)
        with pytest.raises(BlockingIOError):
            listening.accept()  # no client ever connected
    finally:
        listening.close()


def test_a_link_in_place_of_the_socket_is_not_followed(rig, tmp_path):
    """The container may write the socket's folder: a link there to another socket of this
    user's (it passes -S and -O, and SO_PEERCRED) is not used; docker exec runs the command."""
    elsewhere = bound_socket(tmp_path / "elsewhere" / "agent.sock")
    elsewhere.listen(4)
    rig.sock.parent.mkdir(parents=True, exist_ok=True)
    rig.sock.symlink_to(tmp_path / "elsewhere" / "agent.sock")
    try:
        assert rig.run("python", "-V", input=b"").returncode == 0
        assert len(rig.docker_calls()) == 1
        elsewhere.setblocking(False)
        with pytest.raises(BlockingIOError):
            elsewhere.accept()  # no client ever connected
    finally:
        elsewhere.close()


@pytest.mark.parametrize("path", ["agent", "fallback"])
def test_pip_install_rehashes_once(served, path):
    rig = served
    if path == "fallback":
        rig.sock.unlink()
        bound_socket(rig.sock).close()
    result = rig.run("pip", "install", "tabulate", input=b"")
    assert result.returncode == 0, result.stderr
    assert [call[-1] for call in rig.dkenv_calls()] == ["rehash"]
    assert len(rig.docker_calls()) == (1 if path == "fallback" else 0)


def test_a_user_the_agent_refuses_falls_back_pinned_and_without_dkenv(served):
    """The record's user is not the agent's (as a record of another identity would be): the
    agent starts nothing, the client runs the shim again, which (the docker CLI not yet
    pinned when the agent was tried) still finds the record, and runs docker exec once,
    as that user, pinned to the record's engine; never the slow `dkenv exec`."""
    rig = served
    pidfile.write(rig.project, pidfile.Record(rig.init.pid, rig.cgroup, str(rig.project.root), "0:12345",
                                              ("", ""), {"DOCKER_HOST": "unix:///run/engine.sock"}))
    result = rig.run("python", "-V", input=b"", env={"FAKE_STATUS": "0"})
    assert result.returncode == 0, result.stderr
    (call,) = rig.docker_calls()
    assert call[:2] == ["exec", "-i"] and call[call.index("-u") + 1] == "0:12345"
    assert rig.dkenv_calls() == []


def test_a_remote_engines_container_never_tries_the_agent(served):
    """PID "-": the container runs on another machine (asked with `container inspect`); a
    socket at its path here is not its agent's, and the client is not started."""
    from tests.shell.test_shims_engines import FAKE_DOCKER

    rig = served
    rig.docker.write_text(FAKE_DOCKER)  # `container inspect` says it runs
    pidfile.write(rig.project, pidfile.Record(0, rig.cgroup, str(rig.project.root), USER))
    result = rig.run("python", "-V", input=b"")
    calls = rig.docker_calls()
    assert [c[0] for c in calls] == ["container", "exec"], (calls, result.stderr)
    assert rig.dkenv_calls() == []
