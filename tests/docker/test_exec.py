"""`dkenv exec` against a real container: exit codes, argv, stdin, cwd, TTY, signals.

Every test runs twice: through the exec agent (exec/agent) and through `docker exec`
(DKENV_AGENT=0, the fallback), which must behave the same."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pexpect
import pytest

from tests.conftest import REPO
from tests.helpers import dead, wait_until

pytestmark = pytest.mark.docker


@pytest.fixture(params=["agent", "docker"], autouse=True)
def route(request, core_project, monkeypatch):
    """Through the agent, or `docker exec`; proven by the command's token (the agent makes its own)."""
    monkeypatch.setenv("DKENV_AGENT", "1" if request.param == "agent" else "0")
    token = core_project.dkenv("exec", "sh", "-c", 'printf %s "$DKENV_EXEC_TOKEN"').stdout
    assert token.startswith(b"agent-") == (request.param == "agent"), token
    return request.param


@pytest.mark.parametrize("command, code", [
    (["true"], 0),
    (["sh", "-c", "exit 3"], 3),
    (["no-such-command-dkenv"], 127),
    (["sh", "-c", "kill -INT $$"], 130),
    (["sh", "-c", "kill -USR1 $$"], 128 + signal.SIGUSR1),
    (["sh", "-c", "kill -KILL $$"], 128 + signal.SIGKILL),
])
def test_exit_status_is_the_commands_own(core_project, command, code):
    assert core_project.dkenv("exec", *command, check=False).returncode == code


@pytest.mark.parametrize("command, code, message", [
    (["./no-such-file"], 127, b"dkenv: ./no-such-file: no such file in the container\n"),
    (["/tmp"], 126, b"dkenv: /tmp: not executable in the container (a directory)\n"),
    (["/etc/passwd"], 126, b"dkenv: /etc/passwd: not executable in the container (permission denied)\n"),
])
def test_a_command_that_cannot_run_says_why(core_project, command, code, message):
    result = core_project.dkenv("exec", *command, check=False)
    assert (result.returncode, result.stderr) == (code, message)


def test_files_made_inside_belong_to_the_host_user(core_project, route):
    made = core_project.root / f"made-{route}.txt"
    core_project.dkenv("exec", "sh", "-c", f"echo hi > '{made.name}'")
    assert (made.stat().st_uid, made.stat().st_gid) == (os.getuid(), os.getgid())
    made.unlink()


def test_a_missing_command_is_named(core_project):
    result = core_project.dkenv("exec", "no-such-command-dkenv", "--flag", check=False)
    assert result.returncode == 127
    assert result.stderr == b"dkenv: no-such-command-dkenv: command not found in the container\n"


def test_argv_round_trip_keeps_awkward_arguments(core_project):
    awkward = ["a b", "$HOME", "*", "q'uote", 'dq"', "", "-c", "--", "ünïcode", "new\nline", "`id`"]
    script = "import json, sys; print(json.dumps(sys.argv[1:]))"
    out = core_project.dkenv("exec", "python", "-c", script, *awkward).stdout
    import json
    assert json.loads(out) == awkward


def test_runs_in_the_venv_as_the_host_user_at_the_same_cwd(core_project):
    sub = core_project.root / "sub dir"
    out = core_project.dkenv("exec", "python", "-c",
                             "import os, sys; print(sys.prefix); print(os.getcwd()); print(os.getuid(), os.getgid());"
                             "print(open('hello.txt').read().strip())", cwd=sub).stdout.decode().split("\n")
    assert out[0] == "/opt/venv"
    assert out[1] == str(sub)
    assert out[2] == f"{os.getuid()} {os.getgid()}"
    assert out[3] == "hi"


def test_cwd_outside_the_project_is_a_usage_error(core_project, tmp_path):
    result = core_project.dkenv("-C", str(core_project.root), "exec", "true", cwd=tmp_path, check=False)
    assert result.returncode == 0  # -C from outside starts at the root
    env = {"DKENV_PROJECT": str(core_project.root)}
    result = core_project.dkenv("exec", "pwd", cwd=tmp_path, check=False, env=env)
    assert result.returncode == 2
    assert b"outside the project" in result.stderr
    assert b"Traceback" not in result.stderr


def test_stdin_is_streamed_byte_exact(core_project):
    data = os.urandom(20 * 1024 * 1024)
    copy = "import shutil, sys; shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)"
    out = core_project.dkenv("exec", "python", "-c", copy, input=data).stdout
    assert hashlib.sha256(out).hexdigest() == hashlib.sha256(data).hexdigest()


def test_env_option_sets_a_variable(core_project):
    out = core_project.dkenv("exec", "-e", "GREETING=a b=c", "sh", "-c", 'printf %s "$GREETING"').stdout
    assert out == b"a b=c"


def test_user_root(core_project):
    assert core_project.dkenv("exec", "--user", "root", "id", "-u").stdout.strip() == b"0"


def test_a_tty_only_when_stdin_and_stdout_are_terminals(core_project):
    check = "import sys; print('tty', sys.stdin.isatty(), sys.stdout.isatty())"
    assert b"tty False False" in core_project.dkenv("exec", "python", "-c", check).stdout
    child = pexpect.spawn(sys.executable, ["-m", "dkenv", "exec", "python", "-c", check],
                          cwd=str(core_project.root), env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    child.expect(pexpect.EOF)
    assert b"tty True True" in child.before
    child.close()
    assert child.exitstatus == 0


def test_ctrl_c_reaches_a_tty_command(core_project):
    child = pexpect.spawn(sys.executable, ["-m", "dkenv", "exec", "python", "-c",
                                           "import time; print('ready', flush=True); time.sleep(60)"],
                          cwd=str(core_project.root), env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    child.expect("ready")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1 or child.signalstatus is None  # KeyboardInterrupt: python exits 1
    assert b"KeyboardInterrupt" in child.before


def _port_open(port: int) -> bool:
    """An HTTP answer on the published port (docker's proxy accepts connections regardless)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _container_commands(project) -> str:
    listing = ("for p in /proc/[0-9]*; do printf '%s\\n' \"$(tr '\\0' ' ' < $p/cmdline 2>/dev/null)\"; done")
    return subprocess.run(["docker", "exec", project.container, "sh", "-c", listing],
                          capture_output=True, text=True).stdout


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_without_tty_stops_the_server_and_frees_the_port(core_project, signum):
    port = core_project.port
    proc = subprocess.Popen([sys.executable, "-m", "dkenv", "exec", "python", "-m", "http.server", str(port)],
                            cwd=core_project.root, env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_until(lambda: _port_open(port), "http.server to answer", alive=proc, every=0.2)
    assert "http.server" in _container_commands(core_project)
    proc.send_signal(signum)
    code = proc.wait(timeout=60)
    assert code in (0, 128 + signum, 130)  # http.server exits 0 on KeyboardInterrupt
    wait_until(lambda: "http.server" not in _container_commands(core_project), "http.server to end in the container",
               every=0.2, detail=lambda: _container_commands(core_project))
    wait_until(lambda: not _port_open(port), f"port {port} to be free", every=0.2)


def test_shell_fed_by_a_pipe_runs_the_script_quietly(core_project):
    result = core_project.dkenv("shell", input=b'echo "in $PWD as $(id -u)"\nexit 4\n', check=False)
    assert result.returncode == 4
    assert result.stdout == f"in {core_project.root} as {os.getuid()}\n".encode()
    assert result.stderr == b""


def test_sigpipe_on_the_host_ends_the_command_in_the_container(core_project):
    """`dkenv exec yes | head -c 10`: when head leaves, yes must not keep running inside."""
    marker = f"yes dkenv-sigpipe-{os.getpid()}"
    dkenv = subprocess.Popen([*core_project.command("exec", "yes", f"dkenv-sigpipe-{os.getpid()}")],
                             cwd=core_project.root, env=core_project.env(),
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    assert dkenv.stdout.read(10) == b"dkenv-sigp"
    dkenv.stdout.close()  # the reader goes away
    assert dkenv.wait(timeout=60) == 128 + signal.SIGPIPE
    wait_until(lambda: marker not in _container_commands(core_project), "yes to end in the container", every=0.2)


def _runs(project, marker: str) -> bool:
    return marker in _container_commands(project)


def _reap(project, marker: str) -> None:
    """Clean up after a failed test: SIGKILL the marked command in the container."""
    reap = ("import os\nfor p in filter(str.isdigit, os.listdir('/proc')):\n    try:\n"
            f"        if {marker.encode()!r} in open(f'/proc/{{p}}/cmdline', 'rb').read(): os.kill(int(p), 9)\n"
            "    except OSError: pass\n")
    subprocess.run(["docker", "exec", project.container, "python", "-c", reap], capture_output=True)


def test_a_killed_dkenv_leaves_neither_a_docker_client_nor_the_command_behind(core_project, route):
    proc = subprocess.Popen([*core_project.command("exec", "sleep", "301")], cwd=core_project.root,
                            env=core_project.env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        wait_until(lambda: _runs(core_project, "sleep 301"), "the command to run in the container", alive=proc,
                   every=0.2)
        clients = _docker_clients(proc.pid)
        # docker exec: dkenv runs the docker client as its child; the agent needs none
        assert bool(clients) == (route == "docker")
        proc.kill()
        proc.wait()
        wait_until(lambda: all(dead(int(pid)) for pid in clients), "the docker exec client to end with dkenv")
        wait_until(lambda: not _runs(core_project, "sleep 301"), "the command to end with the killed dkenv", every=0.2)
    finally:
        _reap(core_project, "sleep\x00301")


def _docker_clients(parent: int) -> list[str]:
    children = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True).stdout.split()
    return [p for p in children if b"\0exec\0-i\0" in Path(f"/proc/{p}/cmdline").read_bytes()]


@pytest.fixture(scope="module")
def shimmed_core(core_project):
    """The core project with its shims (`dkenv rehash`): PATH and PWD for a shell using them."""
    core_project.dkenv("rehash")
    env = {**core_project.env(), "PATH": f"{core_project.root}/.dkenv/shims:{os.environ['PATH']}",
           "PWD": str(core_project.root)}
    return core_project, env


def test_a_killed_shim_leaves_neither_a_docker_client_nor_the_command_behind(shimmed_core, route):
    project, env = shimmed_core
    env = {**env, "DKENV_AGENT": os.environ["DKENV_AGENT"]}
    marker = "import time; time.sleep(302)"
    proc = subprocess.Popen(["python", "-c", marker], cwd=project.root, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: _runs(project, marker), "the command to run in the container", alive=proc, every=0.2)
        clients = _docker_clients(proc.pid)
        assert bool(clients) == (route == "docker"), "the shim runs docker exec as its child, not the agent's client"
        proc.kill()  # SIGKILL: the shim's traps cannot run
        proc.wait()
        wait_until(lambda: not _runs(project, marker), "the command to end with the killed shim", every=0.2)
        wait_until(lambda: all(dead(int(pid)) for pid in clients), "the docker client to end with the shim")
        fifos = project.root / ".dkenv" / "run"
        wait_until(lambda: not list(fifos.glob("*.fifo")), "the watchdog's fifo to be removed",
                   detail=lambda: list(fifos.glob("*.fifo")))
    finally:
        _reap(project, "time.sleep(302)")


@pytest.mark.parametrize("stdin", ["/dev/null", "terminal"])
def test_a_shimmed_command_ends_when_its_interactive_shell_is_killed(shimmed_core, stdin):
    """SIGKILL of the user's shell (its terminal hangs up): the command in the container ends,
    with a terminal (docker exec -t) or without one (the agent, or docker exec -i)."""
    project, env = shimmed_core
    env = {**env, "DKENV_AGENT": os.environ["DKENV_AGENT"]}
    marker = f"import time; time.sleep(303) # {stdin}"
    shell = pexpect.spawn("bash", ["--norc", "--noprofile", "-i"], cwd=str(project.root),
                          env={**env, "PS1": "$ "}, timeout=60)
    try:
        redirect = " </dev/null >/dev/null" if stdin == "/dev/null" else ""
        shell.sendline(f"python -c '{marker}'{redirect}")
        wait_until(lambda: _runs(project, marker), "the command to run in the container", every=0.2,
                   detail=lambda: shell.before)
        os.kill(shell.pid, signal.SIGKILL)
        wait_until(lambda: not _runs(project, marker), "the command to end with its killed shell", every=0.2)
    finally:
        shell.close(force=True)
        _reap(project, "time.sleep(303)")
