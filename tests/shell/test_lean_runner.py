"""The lean `dkenv exec` without the agent becomes the shims' own docker exec runner
(shell/exec.sh sourcing shell/run.sh): the real dkenv, a fake `docker` and a fake container
init (the shim rig's). Same docker arguments as a shim's, and the same semantics: status,
signals forwarded by token, the watchdog when dkenv is killed, SIGPIPE at its default."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dkenv.commands import _lean
from dkenv.exec import execution, watchdog
from tests.helpers import wait_until
from tests.conftest import REPO
from tests.shell.test_shims_protocol import HOSTILE, Rig, gone

pytestmark = pytest.mark.shell


@pytest.fixture(params=["plain", "hostile"])
def rig(request, tmp_path):
    from tests.shell.conftest import require

    require("setsid")
    r = Rig(tmp_path, "app" if request.param == "plain" else HOSTILE)
    r.start_container()
    _lean.remember(r.project)  # what the full CLI leaves for the lean path
    yield r
    r.close()


def dkenv_exec(rig: Rig, *args: str, **kwargs) -> subprocess.Popen:
    env = rig.env(PATH=f"{rig.bin}:/usr/bin:/bin", PYTHONPATH=str(REPO), PWD=str(rig.root), DKENV_AGENT="0",
                  **kwargs.pop("env", {}))
    return subprocess.Popen([sys.executable, "-m", "dkenv", "exec", *args], cwd=rig.root, env=env, **kwargs)


def test_the_docker_call_is_the_shims(rig):
    proc = dkenv_exec(rig, "-e", "A=1 2", "python", "-c", "pass", env={"FAKE_STATUS": "3"},
                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.wait(timeout=30) == 3, proc.stderr.read()
    (call,) = rig.docker_calls()
    token = call[call.index("-e") + 1]
    assert call[:call.index("-e")] == ["exec", "-i", "-u", "1234:5678", "-w", str(rig.root)]
    assert token.startswith("DKENV_EXEC_TOKEN=") and len(token) > len("DKENV_EXEC_TOKEN=") + 8
    assert call[call.index("-e") + 2:] == ["-e", "A=1 2", "dkenv-app", "sh", "-c", execution.LAUNCHER, "dkenv",
                                           "python", "-c", "pass"]
    assert Path(f"{rig.log}.sid").read_text().strip() != str(os.getsid(0))  # setsid
    assert fifos_gone(rig.root / ".dkenv" / "run")


def fifos_gone(run: Path) -> bool:
    """The watchdog removes its fifo a moment after it starts (later under load): wait for it."""
    wait_until(lambda: not list(run.glob("*.fifo")), "the watchdog's fifo to be removed",
               detail=lambda: list(run.glob("*.fifo")))
    return True


def test_no_python_waits_and_sigint_is_forwarded_by_token(rig):
    proc = dkenv_exec(rig, "python", env={"FAKE_SLEEP": "30"}, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                      stderr=subprocess.PIPE)
    assert proc.stderr.readline() == b"ready\n"
    assert Path(f"/proc/{proc.pid}/comm").read_text().strip() == "sh"  # dkenv became the runner
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 130
    main, killer = rig.docker_calls()
    token = main[main.index("-e") + 1].split("=", 1)[1]
    assert killer[:5] == ["exec", "-u", "1234:5678", "dkenv-app", "sh"]
    assert killer[5:] == ["-c", execution.KILLER_SCRIPT, "dkenv-kill", token, "INT"]


def test_a_killed_dkenv_leaves_nothing_behind(rig):
    proc = dkenv_exec(rig, "python", env={"FAKE_SLEEP": "30"}, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                      stderr=subprocess.PIPE)
    assert proc.stderr.readline() == b"ready\n"
    command = int(Path(f"{rig.log}.pid").read_text())
    proc.kill()
    proc.wait()
    assert gone(command), "the command in the container outlived the killed dkenv"
    main, reaper = rig.docker_calls()
    token = main[main.index("-e") + 1].split("=", 1)[1]
    assert reaper[5:] == ["-c", watchdog.REAPER, "dkenv-reap", token]


def test_a_reader_gone_ends_the_command_with_sigpipe(rig):
    """Python ignores SIGPIPE; the runner it becomes, and the command, must not."""
    data = subprocess.Popen(["yes"], stdout=subprocess.PIPE)
    proc = dkenv_exec(rig, "cat", env={"FAKE_CAT": "1"}, stdin=data.stdout, stdout=subprocess.PIPE)
    data.stdout.close()
    assert proc.stdout.read(10) == b"y\n" * 5
    proc.stdout.close()
    assert proc.wait(timeout=20) == 128 + signal.SIGPIPE  # `cat` of an endless `yes` ends only by the signal
    data.kill()
    data.wait()
    killer = rig.docker_calls()[-1]
    assert killer[-1] == "PIPE"


@pytest.mark.parametrize("through", ["dkenv exec", "shim"])
def test_a_closed_stdin_is_an_empty_one(rig, through):
    """`cmd <&-`: docker gets /dev/null (the runner's fd 3 copy of stdin must not fail)."""
    command = ([sys.executable, "-m", "dkenv", "exec", "python"] if through == "dkenv exec"
               else [str(rig.shims / "python")])  # the fake docker runs cat
    env = rig.env(PATH=f"{rig.bin}:/usr/bin:/bin", PYTHONPATH=str(REPO), PWD=str(rig.root), DKENV_AGENT="0",
                  FAKE_CAT="1")
    result = subprocess.run(["sh", "-c", 'exec "$@" <&-', "sh", *command], cwd=rig.root, env=env,
                            capture_output=True, timeout=30)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
    assert len(rig.docker_calls()) == 1
