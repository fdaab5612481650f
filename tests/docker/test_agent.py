"""The exec agent in a real project container: its socket, its user, the environment it gives,
a restart with the container, a stale socket, and another UID refused.

The semantics every command keeps through it (and through the docker exec fallback) are in
test_exec.py; the protocol itself, run on the host, in tests/unit/exec/test_agent.py.
"""
from __future__ import annotations

import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from dkenv.exec.agent import client
from tests.conftest import make_project
from tests.docker.conftest import SLIM_PYTHON

pytestmark = pytest.mark.docker

CLIENT = Path(client.__file__)


@pytest.fixture(scope="module")
def agent_project(docker_engine):
    """A project of its own (the tests stop its agent and its container), up."""
    project = make_project("agent", {".dkenv.toml": SLIM_PYTHON})
    project.dkenv("up")
    project.dkenv("rehash")
    project.dkenv("allow")  # a shim may start it again
    project.sock = project.root / ".dkenv" / "agent" / "agent.sock"
    wait_for_agent(project)
    return project


def answers(project) -> bool:
    """The agent runs a command (`true`) for us: its status, 0."""
    return client.call(os.fsencode(project.sock), os.fsencode(project.root), [], [b"true"],
                       f"{os.getuid()}:{os.getgid()}".encode()) == 0


def wait_for_agent(project, within: float = 60) -> None:
    deadline = time.monotonic() + within
    while not answers(project):
        assert time.monotonic() < deadline, "the agent did not answer"
        time.sleep(0.2)


def token(project, **env) -> bytes:
    return project.dkenv("exec", "sh", "-c", 'printf %s "$DKENV_EXEC_TOKEN"', env=env).stdout


def container_processes(project) -> list[tuple[int, str]]:
    """(uid, command line) of every process in the container."""
    script = ("import os\nfor p in filter(str.isdigit, os.listdir('/proc')):\n    try:\n"
              "        uid = os.stat(f'/proc/{p}').st_uid\n"
              "        cmd = open(f'/proc/{p}/cmdline', 'rb').read().replace(b'\\0', b' ').replace(b'\\n', b' ').decode()\n"
              "        print(uid, cmd)\n    except OSError: pass\n")
    out = subprocess.run(["docker", "exec", project.container, "python", "-c", script],
                         capture_output=True, text=True, check=True).stdout
    return [(int(line.split(" ", 1)[0]), line.split(" ", 1)[1]) for line in out.splitlines()]


def is_agent(cmd: str) -> bool:
    return cmd.startswith("/opt/venv/bin/python -I -S ") and "agent.py" in cmd


def test_the_socket_is_the_host_users_alone(agent_project):
    st = agent_project.sock.stat()
    assert stat.S_ISSOCK(st.st_mode)
    assert stat.S_IMODE(st.st_mode) == 0o600
    assert st.st_uid == os.getuid()
    agents = [uid for uid, cmd in container_processes(agent_project) if is_agent(cmd)]
    assert agents == [os.getuid()]  # one agent, the host user's UID


def test_the_agent_gives_the_environment_docker_exec_gives(agent_project):
    def env(switch: str) -> set[str]:
        out = agent_project.dkenv("exec", "env", env={"DKENV_AGENT": switch}).stdout.decode()
        return {line for line in out.splitlines() if not line.startswith("DKENV_EXEC_TOKEN=")}

    assert env("1") == env("0")
    assert token(agent_project).startswith(b"agent-")


def test_a_shim_goes_through_the_agent(agent_project):
    shim = agent_project.root / ".dkenv" / "shims" / "python"
    env = {**os.environ, "PWD": str(agent_project.root)}
    env.pop("DKENV_AGENT", None)
    result = subprocess.run([str(shim), "-c", "import os; print(os.environ['DKENV_EXEC_TOKEN'])"],
                            cwd=agent_project.root, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"agent-")


@pytest.mark.parametrize("switch", ["1", "0"], ids=["agent", "docker-exec"])
def test_a_killed_pip_shim_ends_pip_in_the_container(agent_project, switch):
    """The pip shim stays to rehash after pip, so pip is its client's child (the agent's
    client or docker exec), not the shim's own process: killing the shim (SIGKILL, nothing
    can be forwarded) must end pip in the container all the same, as it would end a local pip."""
    shim = agent_project.root / ".dkenv" / "shims" / "pip"
    env = {**os.environ, "PWD": str(agent_project.root), "DKENV_AGENT": switch}
    proc = subprocess.Popen([str(shim), "install", "-r", "/dev/stdin"], cwd=agent_project.root, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)

    def pip_runs() -> bool:
        return any("install -r /dev/stdin" in cmd and not is_agent(cmd) for _, cmd in container_processes(agent_project))

    try:
        deadline = time.monotonic() + 60
        while not pip_runs():  # pip waits for its requirements on the open pipe
            assert proc.poll() is None and time.monotonic() < deadline, "pip did not start through the shim"
            time.sleep(0.2)
        proc.kill()  # the shim's shell only
        proc.wait()
        deadline = time.monotonic() + 20
        while pip_runs():
            assert time.monotonic() < deadline, "pip outlived its killed shim"
            time.sleep(0.2)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the shim's client, left if it did not end
        except ProcessLookupError:
            pass
        proc.stdin.close()


def test_the_agent_restarts_with_the_container(agent_project):
    subprocess.run(["docker", "restart", agent_project.container], check=True, capture_output=True)
    wait_for_agent(agent_project)
    assert token(agent_project).startswith(b"agent-")  # dkenv exec finds it again (the pid file renewed)


def test_a_stale_socket_falls_back_to_docker_exec(agent_project):
    """The agent gone (killed: its socket stays): the container goes on (sleep), commands
    go through docker exec, once each; the next start of the container brings the agent back."""
    kill = ("import os\nfor p in filter(str.isdigit, os.listdir('/proc')):\n"
            "    if int(p) != os.getpid() and open(f'/proc/{p}/comm').read().strip() != 'sh' and "
            "b'agent.py' in open(f'/proc/{p}/cmdline', 'rb').read(): os.kill(int(p), 9)\n")
    subprocess.run(["docker", "exec", agent_project.container, "python", "-c", kill], check=True)
    deadline = time.monotonic() + 20
    while any(is_agent(cmd) for _, cmd in container_processes(agent_project)):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert agent_project.sock.exists()  # stale
    assert client.call(os.fsencode(agent_project.sock), os.fsencode(agent_project.root), [], [b"true"],
                       f"{os.getuid()}:{os.getgid()}".encode()) is None
    marker = agent_project.root / "ran-once.txt"
    result = agent_project.dkenv("exec", "sh", "-c", f"echo x >> '{marker}'; printf %s \"$DKENV_EXEC_TOKEN\"")
    assert not result.stdout.startswith(b"agent-") and marker.read_text() == "x\n"
    shim = agent_project.root / ".dkenv" / "shims" / "python"
    env = {**os.environ, "PWD": str(agent_project.root)}
    env.pop("DKENV_AGENT", None)
    code = f"open({str(marker)!r}, 'a').write('y\\n')"
    ran = subprocess.run([str(shim), "-c", code], cwd=agent_project.root, env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert marker.read_text() == "x\ny\n"  # the shim's client fell back, and the command ran once
    marker.unlink()
    subprocess.run(["docker", "restart", agent_project.container], check=True, capture_output=True)
    wait_for_agent(agent_project)


def test_a_stale_socket_of_a_gone_container_falls_back(agent_project):
    """`docker kill`: the socket stays behind; the next command starts the container (a new agent)."""
    subprocess.run(["docker", "kill", agent_project.container], check=True, capture_output=True)
    assert agent_project.sock.exists()
    assert client.call(os.fsencode(agent_project.sock), os.fsencode(agent_project.root), [], [b"true"],
                       f"{os.getuid()}:{os.getgid()}".encode()) is None
    shim = agent_project.root / ".dkenv" / "shims" / "python"
    env = {**os.environ, "PWD": str(agent_project.root)}
    env.pop("DKENV_AGENT", None)
    ran = subprocess.run([str(shim), "-c", "print('ran')"], cwd=agent_project.root, env=env,
                         stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == b"ran\n"
    wait_for_agent(agent_project)


@pytest.mark.root
def test_another_user_cannot_use_the_socket(agent_project):
    """As `nobody`: the socket's mode refuses the connection; with the mode opened, the agent
    refuses the peer's UID. Both fall back (the client's SHIM runs), and nothing runs inside."""
    if os.getuid() != 0:
        pytest.skip("needs root (runs the client as nobody)")
    nobody = pwd.getpwnam("nobody")
    folder = Path(tempfile.mkdtemp(prefix="dkenv-other-user-"))  # nobody can read it (not pytest's 0700 tmp)
    folder.chmod(0o755)
    shutil.copy(CLIENT, folder / "client.py")
    fallback = folder / "fallback"
    fallback.write_text("#!/bin/sh\necho fell back\n")
    fallback.chmod(0o755)
    marker = agent_project.root / "ran-as-nobody.txt"
    sockets = agent_project.sock.parent

    def as_nobody() -> subprocess.CompletedProcess:
        # from inside .dkenv/agent (the socket by its relative name: nobody may not search the project's parents)
        return subprocess.run(["runuser", "-u", "nobody", "--", "/usr/bin/python3", "-I", "-S", str(folder / "client.py"),
                               str(fallback), "1", "agent.sock", str(agent_project.root),
                               f"{os.getuid()}:{os.getgid()}", "--", "sh", "-c", f"touch '{marker}'"],
                              cwd=sockets, capture_output=True, timeout=60)

    mode = stat.S_IMODE(sockets.stat().st_mode)
    try:
        sockets.chmod(0o755)
        refused = as_nobody()
        assert refused.stdout == b"fell back\n", refused.stderr  # the socket's mode (0600)
        agent_project.sock.chmod(0o666)
        refused = as_nobody()
        assert refused.stdout == b"fell back\n", refused.stderr  # SO_PEERCRED: not the agent's UID
    finally:
        agent_project.sock.chmod(0o600)
        sockets.chmod(mode)
        shutil.rmtree(folder)
    assert nobody.pw_uid != os.getuid()
    assert not marker.exists()
    assert answers(agent_project)

