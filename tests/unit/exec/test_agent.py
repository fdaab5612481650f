"""The exec agent's protocol, with server.py run on the host as this user (the "container" is
this machine): what the command gets, statuses and messages, streams, signals, a killed
client, and every way the client falls back with nothing started. The real container is
tested in tests/docker/test_agent.py and test_exec.py."""
from __future__ import annotations

import ast
import os
import shlex
import signal
import socket
import stat
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dkenv.exec import agent
from dkenv.exec.agent import client, server

SERVER = Path(server.__file__)
CLIENT = Path(client.__file__)
USER = f"{os.getuid()}:{os.getgid()}"
ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "AGENT_ONLY": "from the container"}


def wait_until(condition, within: float = 10.0, message: str = "") -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.02)


@pytest.fixture
def run_dir(tmp_path) -> Path:
    folder = tmp_path / "project" / ".dkenv" / "run"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def agent_proc(run_dir):
    proc = subprocess.Popen([sys.executable, "-I", "-S", str(SERVER), str(run_dir)], env=ENV,
                            stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_until(lambda: (run_dir / "agent.sock").exists(), message="the agent did not listen")
    yield proc
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def sock(agent_proc, run_dir) -> Path:
    return run_dir / "agent.sock"


def shim_script(tmp_path: Path) -> Path:
    """What the client runs when it falls back: prints its arguments and DKENV_AGENT."""
    path = tmp_path / "fallback-shim"
    path.write_text('#!/bin/sh\nprintf "fallback %s:" "$DKENV_AGENT"; printf " [%s]" "$@"; echo\n')
    path.chmod(0o755)
    return path


def run_client(sock: Path, *argv: str | bytes, cwd: Path | None = None, env_opts=(), input: bytes | None = None,
               shim: Path | None = None, skip: int = 1, user: str = USER, **kw) -> subprocess.CompletedProcess:
    """client.py as the shims run it (python -I -S, its own stdin/stdout/stderr)."""
    args = [sys.executable, "-I", "-S", str(CLIENT), str(shim or "/bin/false"), str(skip), str(sock),
            str(cwd or sock.parent), user, *env_opts, "--", *argv]
    return subprocess.run(args, input=input, capture_output=True, timeout=60, **kw)


def test_the_socket_is_private_and_replaces_a_stale_one(run_dir):
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(run_dir / "agent.sock"))
    stale.close()  # a socket file nobody listens on, as a killed container leaves it
    proc = subprocess.Popen([sys.executable, "-I", "-S", str(SERVER), str(run_dir)], env=ENV)
    try:
        path = run_dir / "agent.sock"
        wait_until(lambda: client._connect(os.fsencode(path)) is not None, message="no agent on the socket")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert sorted(p.name for p in run_dir.iterdir()) == ["agent.sock"]
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
    assert not (run_dir / "agent.sock").exists()  # removed at a stop


def test_argv_cwd_and_environment(sock, tmp_path):
    awkward = ["a b", "$HOME", "*", "q'uote", 'dq"', "", "-c", "--", "ünïcode", "new\nline", "`id`"]
    script = ("import json, os, sys; print(json.dumps([sys.argv[1:], os.getcwd(), os.environ['AGENT_ONLY'], "
              "os.environ['EXTRA'], os.environ.get('UNSET'), os.environ['PWD'], os.environ['DKENV_EXEC_TOKEN']]))")
    result = run_client(sock, sys.executable, "-c", script, *awkward, cwd=tmp_path,
                        env_opts=["-e", "EXTRA=x=1", "-e", "UNSET"])
    assert result.returncode == 0, result.stderr
    import json

    argv, cwd, agent_only, extra, unset, pwd, token = json.loads(result.stdout)
    assert argv == awkward
    assert cwd == pwd == str(tmp_path)
    assert (agent_only, extra, unset) == ("from the container", "x=1", None)
    assert token.startswith("agent-")


def test_a_variable_named_alone_takes_the_callers_value(sock):
    result = run_client(sock, "sh", "-c", 'printf %s "$PASSED"', env_opts=["-e", "PASSED"],
                        env={**os.environ, "PASSED": "from the caller"})
    assert result.stdout == b"from the caller"


def test_arguments_are_bytes_exact(sock):
    result = run_client(sock, b"printf", b"%s", b"\xff\xfe latin-1 \xe9")
    assert result.stdout == b"\xff\xfe latin-1 \xe9"


@pytest.mark.parametrize("command, code", [
    (["true"], 0),
    (["sh", "-c", "exit 3"], 3),
    (["sh", "-c", "kill -INT $$"], 130),
    (["sh", "-c", "kill -USR1 $$"], 128 + signal.SIGUSR1),
])
def test_the_status_is_the_commands(sock, command, code):
    assert run_client(sock, *command).returncode == code


@pytest.mark.parametrize("command, code, message", [
    (["no-such-command-dkenv", "--flag"], 127, "dkenv: no-such-command-dkenv: command not found in the container\n"),
    (["./no-such-file"], 127, "dkenv: ./no-such-file: no such file in the container\n"),
    (["/tmp"], 126, "dkenv: /tmp: not executable in the container (a directory)\n"),
    (["./data.txt"], 126, "dkenv: ./data.txt: not executable in the container (permission denied)\n"),
])
def test_a_command_that_cannot_run_gets_the_launchers_message(sock, tmp_path, command, code, message):
    (tmp_path / "data.txt").write_text("not a program\n")
    result = run_client(sock, *command, cwd=tmp_path)
    assert (result.returncode, result.stderr.decode()) == (code, message)


def test_a_script_without_a_shebang_runs_with_sh(sock, tmp_path):
    script = tmp_path / "plain"
    script.write_text('echo "plain $1"\n')
    script.chmod(0o755)
    assert run_client(sock, str(script), "arg", cwd=tmp_path).stdout == b"plain arg\n"


def test_a_missing_cwd_is_126(sock, tmp_path):
    result = run_client(sock, "true", cwd=tmp_path / "gone")
    assert result.returncode == 126
    assert b"cannot change to" in result.stderr


def test_twenty_megabytes_through_stdin_and_stdout(sock):
    data = os.urandom(20 * 1024 * 1024)
    result = run_client(sock, "cat", input=data)
    assert result.returncode == 0
    assert result.stdout == data


def test_closed_stdin_reads_as_empty(sock):
    result = run_client(sock, "sh", "-c", "cat; echo end", stdin=subprocess.DEVNULL, pass_fds=())
    closed = subprocess.run(f"exec 0<&-; {sys.executable} -I -S {CLIENT} /bin/false 1 {sock} {sock.parent} {USER} "
                            "-- sh -c 'cat; echo end'", shell=True, capture_output=True, timeout=60)
    assert result.stdout == closed.stdout == b"end\n"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_to_the_client_reaches_the_command(sock, signum):
    proc = subprocess.Popen([sys.executable, "-I", "-S", str(CLIENT), "/bin/false", "1", str(sock), str(sock.parent),
                             USER, "--", sys.executable, "-c",
                             "import signal, sys, time\n"
                             "signal.signal(signal.SIGINT, signal.SIG_DFL)\n"
                             "print('ready', flush=True); time.sleep(60)"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    assert proc.stdout.readline() == b"ready\n"
    proc.send_signal(signum)
    assert proc.wait(timeout=30) == 128 + signum


def test_sigpipe_ends_the_command(sock):
    """`yes | head`: the command writes to the host's pipe itself, and dies of SIGPIPE."""
    pipeline = subprocess.run(f"{sys.executable} -I -S {CLIENT} /bin/false 1 {sock} {sock.parent} {USER} -- yes "
                              "| head -c 4; echo \" ${PIPESTATUS[0]}\"", shell=True, executable="/bin/bash",
                              capture_output=True, timeout=60)
    assert pipeline.stdout == b"y\ny\n %d\n" % (128 + signal.SIGPIPE)


def _alive(marker: str) -> bool:
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                return not (entry / "stat").read_text().rsplit(") ", 1)[1].startswith("Z")
        except OSError:
            continue
    return False


def test_a_killed_client_ends_the_command(sock):
    marker = f"dkenv-agent-test-{os.getpid()}-killed"
    proc = subprocess.Popen([sys.executable, "-I", "-S", str(CLIENT), "/bin/false", "1", str(sock), str(sock.parent),
                             USER, "--", sys.executable, "-c",
                             f"import time; print('ready', flush=True); time.sleep(300)  # {marker}"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout.readline() == b"ready\n"
    wait_until(lambda: _alive(marker), message="the command did not start")
    proc.kill()
    proc.wait()
    wait_until(lambda: not _alive(marker), within=15, message="the command outlived its killed client")


@pytest.mark.parametrize("watched", [True, False])
def test_a_killed_shim_that_waited_ends_the_command(sock, watched):
    """A shim that stays to rehash (pip) runs the client with DKENV_AGENT_PARENT=$$: killing
    that shim ends the command, as it would have ended a local pip. Without the variable the
    client is the command's only link (it keeps running, as a local child of a killed shell)."""
    marker = f"dkenv-agent-test-{os.getpid()}-shim-{watched}"
    client_argv = shlex.join([
        sys.executable, "-I", "-S", str(CLIENT), "/bin/false", "1", str(sock), str(sock.parent), USER, "--",
        sys.executable, "-c", f"import time; print('ready', flush=True); time.sleep(300)  # {marker}"])
    line = f"DKENV_AGENT_PARENT=$$ {client_argv}; echo rehash" if watched else f"{client_argv}; echo rehash"
    shim = subprocess.Popen(["/bin/sh", "-c", line], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert shim.stdout.readline() == b"ready\n"
        shim.kill()
        shim.wait()
        if watched:
            wait_until(lambda: not _alive(marker), within=15, message="the command outlived its killed shim")
        else:
            time.sleep(1.5)  # three of the client's watch periods: nothing watches, the command runs on
            assert _alive(marker)
    finally:
        os.killpg(shim.pid, signal.SIGKILL)  # the orphaned client, if any
        wait_until(lambda: not _alive(marker), within=15, message="the command outlived its client")


def test_no_socket_falls_back_to_the_shim_without_its_first_words(tmp_path):
    shim = shim_script(tmp_path)
    result = run_client(tmp_path / "absent.sock", "python", "-c", "pass", shim=shim, skip=1)
    assert result.stdout == b"fallback fallback: [-c] [pass]\n"
    result = run_client(tmp_path / "absent.sock", "python", "/x/manage.py", "check", shim=shim, skip=2)
    assert result.stdout == b"fallback fallback: [check]\n"


def test_a_stale_socket_falls_back(tmp_path):
    path = tmp_path / "agent.sock"
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(path))
    stale.close()
    assert client.call(os.fsencode(path), b"/", [], [b"true"], USER.encode()) is None


def test_another_user_requested_is_refused_and_nothing_runs(sock, tmp_path):
    marker = tmp_path / "ran"
    result = run_client(sock, "touch", str(marker), user="0:12345", shim=shim_script(tmp_path))
    assert result.stdout.startswith(b"fallback")
    assert not marker.exists()


def _raw_request(sock: Path, fields: list[bytes]) -> socket.socket:
    conn = socket.socket(socket.AF_UNIX)
    conn.connect(str(sock))
    body = b"\0".join(fields)
    conn.sendmsg([struct.pack(">I", len(body)) + body], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                                          struct.pack("3i", 0, 1, 2))])
    return conn


def test_nothing_runs_before_the_clients_go(sock, tmp_path):
    marker = tmp_path / "ran"
    conn = _raw_request(sock, [client.VERSION, USER.encode(), b"", os.fsencode(tmp_path), b"0", b"touch",
                               os.fsencode(marker)])
    assert conn.recv(16) == b"R\n"
    conn.close()  # gives up (a timeout, a Ctrl-C) before `G`
    time.sleep(0.5)
    assert not marker.exists()


def test_another_protocol_is_refused(sock):
    conn = _raw_request(sock, [b"dkenv-agent-0", USER.encode(), b"", b"/", b"0", b"true"])
    assert conn.recv(100).startswith(b"N ")
    conn.close()


def test_a_long_socket_path(tmp_path):
    deep = tmp_path / ("d" * 60) / ("e" * 60) / "run"
    deep.mkdir(parents=True)
    proc = subprocess.Popen([sys.executable, "-I", "-S", str(SERVER), str(deep)], env=ENV)
    try:
        path = deep / "agent.sock"
        assert len(os.fsencode(path)) > 108
        wait_until(path.exists)
        assert client.call(os.fsencode(path), os.fsencode(tmp_path), [], [b"true"], USER.encode()) == 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_boot_runs_the_agent_and_stops_it(run_dir):
    """The agent's file in .dkenv/run/ (read-only in the container), its socket in .dkenv/agent/."""
    script, sockets = run_dir / "agent.py", run_dir.parent / "agent"
    script.write_text(agent.script_text())
    sockets.mkdir()
    boot = subprocess.Popen(["/bin/sh", "-c", agent.BOOT, "dkenv-agent", str(script), sys.executable, str(sockets)],
                            env=ENV)
    path = sockets / "agent.sock"
    wait_until(lambda: client._connect(os.fsencode(path)) is not None, message="BOOT did not start the agent")
    assert sorted(p.name for p in run_dir.iterdir()) == ["agent.py"]  # nothing written beside the file
    boot.terminate()  # docker stop: SIGTERM to the container's process
    assert boot.wait(timeout=10) == 143
    assert not path.exists()


def test_the_entrypoint_names_the_file_the_python_and_the_sockets_folder(tmp_path):
    class Project:
        root = tmp_path

    entrypoint, command = agent.entrypoint(Project())
    assert entrypoint == ["/bin/sh", "-c", agent.BOOT, "dkenv-agent"]
    assert command == [str(tmp_path / ".dkenv" / "run" / "agent.py"), agent.PYTHON, str(tmp_path / ".dkenv" / "agent")]
    assert agent.socket_path(Project()) == str(tmp_path / ".dkenv" / "agent" / "agent.sock")


def test_a_link_in_place_of_the_socket_is_not_followed(sock, tmp_path, monkeypatch):
    """The container may write the socket's folder: a link there to another of this user's
    sockets on the host (the agent's here) is refused by the client and by `usable`, and the
    shim's client falls back with nothing started."""
    folder = tmp_path / "project" / ".dkenv" / "agent"
    folder.mkdir()
    (folder / "agent.sock").symlink_to(sock)
    assert client.call(os.fsencode(sock), os.fsencode(tmp_path), [], [b"true"], USER.encode()) == 0  # the real one
    assert client.call(os.fsencode(folder / "agent.sock"), os.fsencode(tmp_path), [], [b"true"], USER.encode()) is None
    marker = tmp_path / "ran"
    result = run_client(folder / "agent.sock", "touch", str(marker), shim=shim_script(tmp_path))
    assert result.stdout.startswith(b"fallback fallback:") and not marker.exists()

    class Project:
        root = tmp_path / "project"

    monkeypatch.delenv("DKENV_AGENT", raising=False)
    assert not agent.usable(Project(), tty=False)
    (folder / "agent.sock").unlink()
    os.link(sock, folder / "agent.sock")  # the socket itself (a hard link): usable
    assert agent.usable(Project(), tty=False)


def test_boot_without_the_agent_sleeps(run_dir):
    boot = subprocess.Popen(["/bin/sh", "-c", agent.BOOT, "dkenv-agent", str(run_dir / "agent.py"), sys.executable,
                             str(run_dir)], env=ENV)
    try:
        wait_until(lambda: Path(f"/proc/{boot.pid}/comm").read_text().strip() == "sleep")
    finally:
        boot.kill()
        boot.wait()


def test_the_client_imports_builtin_modules_only():
    """What keeps `python3 -I -S client.py` near 8 ms (`import socket` alone doubles it)."""
    out = subprocess.run([sys.executable, "-I", "-S", "-X", "importtime", str(CLIENT)],
                         capture_output=True, text=True).stderr
    imported = {line.split("|")[-1].strip() for line in out.splitlines() if line.startswith("import time:")}
    assert {"socket", "os", "signal", "selectors", "subprocess"}.isdisjoint(imported), imported


@pytest.mark.parametrize("module", [SERVER, CLIENT])
def test_runs_on_python_3_8(module):
    """The agent runs on the project's Python (3.8 to 3.14); the client on dkenv's."""
    ast.parse(module.read_text(), feature_version=(3, 8))


def test_the_agent_file_carries_dkenvs_mark():
    from dkenv import fileio

    assert fileio.MARK in agent.script_text()[:512]


def test_switch(monkeypatch):
    monkeypatch.delenv("DKENV_AGENT", raising=False)
    assert agent.enabled()
    for value in ("0", "fallback"):
        monkeypatch.setenv("DKENV_AGENT", value)
        assert not agent.enabled()
