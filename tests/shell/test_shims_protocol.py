"""The shim protocol, run by the real /bin/sh with a fake `docker`, a fake `dkenv` and a
fake container init (a process named docker-init): routing, fall-through, no recursion,
the docker exec arguments, exit status, stdin, signal forwarding, manage.py, pip."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dkenv.exec import execution, pidfile, watchdog
from dkenv.project import config as config_mod
from dkenv.project.project import Project
from dkenv.shell import shims
from tests.helpers import dead, wait_until
from tests.shell.conftest import write_project

pytestmark = pytest.mark.shell

HOSTILE = "my 'proj' \"x\" $HOME `id` ünï✓"

FAKE_DOCKER = r"""#!/bin/sh
# logs its arguments (one per line, a blank line after the call), then acts like docker exec
log=$FAKE_LOG
{ for a in "$@"; do printf '%s\n' "$a"; done; echo; } >> "$log.docker"
sid=$(cut -d' ' -f6 /proc/$$/stat)
case " $* " in
    *" dkenv-kill "*)  # the killer: signal the "container process" (the main fake docker)
        kill -s "$(eval echo \${$#})" "$(cat "$FAKE_LOG.pid")"
        exit 0 ;;
    *" dkenv-reap "*)  # the watchdog's reaper: SIGTERM to the "container process"
        kill -s TERM "$(cat "$FAKE_LOG.pid")"
        exit 0 ;;
esac
echo "$sid" > "$log.sid"
if [ -n "$FAKE_CAT" ]; then exec cat; fi
if [ -n "$FAKE_SLEEP" ]; then
    # "the process in the container": dies of the signal the killer sends it
    "$FAKE_PYTHON" -c 'import signal, sys, time; signal.signal(signal.SIGINT, signal.SIG_DFL)
sys.stderr.write("ready\n"); sys.stderr.flush(); time.sleep(30)' &
    echo $! > "$log.pid"
    wait $!
    exit $?
fi
exit "${FAKE_STATUS:-0}"
"""

FAKE_DKENV = """#!/bin/sh
{ for a in "$@"; do printf '%s\\n' "$a"; done; echo; } >> "$FAKE_LOG.dkenv"
exit "${FAKE_DKENV_STATUS:-0}"
"""

HOST_TOOL = """#!/bin/sh
printf 'host %s:' "${0##*/}"; printf ' %s' "$@"; echo
exit "${FAKE_HOST_STATUS:-0}"
"""


def calls(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [block.split("\n") for block in path.read_text().split("\n\n") if block.strip()]


class Rig:
    """A project with shims baked against fakes, and a way to run them."""

    def __init__(self, tmp: Path, folder_name: str = "app", commands=None, user: str = "1234:5678"):
        self.tmp = tmp
        self.root = write_project(tmp / folder_name, "app")
        if commands is not None:
            (self.root / ".dkenv.toml").write_text(
                '[project]\nname = "app"\n[shims]\ncommands = [%s]\n' % ", ".join(f'"{c}"' for c in commands))
        self.bin = tmp / "fakes"
        self.bin.mkdir()
        self.docker = self._script("docker", FAKE_DOCKER)
        self.dkenv = self._script("dkenv", FAKE_DKENV)
        self.host = tmp / "hostbin"
        self.host.mkdir()
        for tool in ("python", "pip", "manage.py", "black"):
            self._script(tool, HOST_TOOL, folder=self.host)
        self.log = tmp / "log"
        cfg = config_mod.load(self.root)
        self.project = Project(config=cfg, name="app")
        baked = shims.Baked(dkenv_command=[str(self.dkenv)], docker=str(self.docker), user=user)
        shims.rehash(self.project, ["black"], baked)
        self.shims = self.project.shims_dir
        self.init = None
        self.user = user

    def _script(self, name: str, text: str, folder: Path | None = None) -> Path:
        path = (folder or self.bin) / name
        path.write_text(text)
        path.chmod(0o755)
        return path

    def start_container(self, record: bool = True) -> None:
        """A process whose comm is docker-init, its pid in the pid file's record (this root,
        the baked user, no engine pinned) with, as the container id, its own cgroup (what a
        real container's id is a part of)."""
        fake_init = self.tmp / "docker-init"
        shutil.copy(shutil.which("sleep"), fake_init)
        self.init = subprocess.Popen([str(fake_init), "300"])
        wait_until(lambda: Path(f"/proc/{self.init.pid}/comm").read_text().strip() == "docker-init",
                   "the fake init to be named docker-init")  # not exec'd yet
        self.cgroup = Path(f"/proc/{self.init.pid}/cgroup").read_text().splitlines()[0]
        if record:
            pidfile.write(self.project, pidfile.Record(self.init.pid, self.cgroup, str(self.project.root), self.user))

    def env(self, **extra) -> dict[str, str]:
        env = {"PATH": f"{self.shims}:{self.host}:/usr/bin:/bin", "FAKE_LOG": str(self.log), "HOME": str(self.tmp),
               "FAKE_PYTHON": sys.executable}
        env.update(extra)
        return env

    def run(self, name: str, *args: str, cwd: Path | None = None, env: dict | None = None,
            input: bytes | None = None) -> subprocess.CompletedProcess:
        cwd = cwd or self.root
        full_env = self.env(**(env or {}))
        full_env.setdefault("PWD", str(cwd))
        return subprocess.run([str(self.shims / name), *args], cwd=cwd, env=full_env, input=input,
                              capture_output=True, timeout=30)

    def docker_calls(self):
        return calls(Path(f"{self.log}.docker"))

    def dkenv_calls(self):
        return calls(Path(f"{self.log}.dkenv"))

    def close(self):
        if self.init:
            self.init.kill()
            self.init.wait()


@pytest.fixture(params=["plain", "hostile"])
def rig(request, tmp_path):
    folder = "app" if request.param == "plain" else HOSTILE
    r = Rig(tmp_path, folder)
    yield r
    r.close()


@pytest.fixture
def sh():
    from tests.shell.conftest import require

    return require("sh")


def test_outside_the_project_runs_the_next_command_on_path(rig, sh, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = rig.run("python", "-c", "x y", cwd=elsewhere, env={"FAKE_HOST_STATUS": "4"})
    assert result.stdout.decode() == "host python: -c x y\n"
    assert result.returncode == 4
    assert rig.docker_calls() == [] and rig.dkenv_calls() == []


def test_a_sibling_folder_sharing_the_prefix_is_outside(tmp_path, sh):
    rig = Rig(tmp_path, "app")
    sibling = tmp_path / "app2"
    sibling.mkdir()
    result = rig.run("python", "-V", cwd=sibling)
    assert result.stdout.decode() == "host python: -V\n"


def test_disabled_falls_through_inside_the_project(rig, sh):
    result = rig.run("python", "-V", env={"DKENV_DISABLE": "1"})
    assert result.stdout.decode() == "host python: -V\n"
    assert rig.dkenv_calls() == []


def test_no_recursion_with_the_shims_twice_on_path(rig, sh, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    twice = f"{rig.shims}:{rig.shims}/:{rig.shims}:{rig.host}"
    assert rig.run("python", "ok", cwd=elsewhere, env={"PATH": twice}).stdout.decode() == "host python: ok\n"
    # nothing else on PATH: a clear message and 127, not a loop
    result = rig.run("python", cwd=elsewhere, env={"PATH": f"{rig.shims}:{rig.shims}"})
    assert result.returncode == 127
    assert result.stderr.decode() == f"dkenv: python: command not found outside the project {rig.root}\n"
    result = rig.run("python", env={"PATH": f"{rig.shims}:{rig.shims}", "DKENV_DISABLE": "1"})
    assert result.returncode == 127 and "DKENV_DISABLE" in result.stderr.decode()


def test_another_projects_shims_are_skipped_too(rig, sh, tmp_path):
    other = Rig(tmp_path / "o", "other")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    path = f"{rig.shims}:{other.shims}:{rig.host}"
    assert rig.run("python", "1", cwd=elsewhere, env={"PATH": path}).stdout.decode() == "host python: 1\n"


def test_container_not_running_goes_through_dkenv_exec(rig, sh):
    (rig.root / "sub dir").mkdir()
    result = rig.run("python", "-c", "print('a b')", cwd=rig.root / "sub dir")
    assert result.returncode == 0, result.stderr
    assert rig.dkenv_calls() == [["-C", str(rig.root), "exec", "--", "python", "-c", "print('a b')"]]
    assert rig.docker_calls() == []


def test_another_containers_init_is_not_this_container(rig, sh):
    rig.start_container()
    pidfile.write(rig.project, pidfile.Record(rig.init.pid, "0123456789abcdef-another-container",
                                              str(rig.project.root), "1234:5678"))
    rig.run("python", "-V")
    assert len(rig.dkenv_calls()) == 1 and rig.docker_calls() == []  # the slow path, through dkenv


@pytest.mark.parametrize("older", [
    "{pid}\n",  # no container id
    "{pid} {cid}\n",  # no root, no engine
    "{pid} {cid} {root}\n",  # the root on the first line, no engine
    "{pid} {cid}\n1234:5678\n\n\nDOCKER_HOST=unix:///x.sock\n",  # an engine, no root
    "{pid} {cid}\n{root}\n1234:5678\n\n",  # torn: a fixed line missing
])
def test_an_older_dkenvs_pid_file_is_no_record(rig, sh, older):
    """As pidfile.parse: the slow path, which writes a new record."""
    rig.start_container(record=False)
    pid_file = pidfile.path(rig.project)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(older.format(pid=rig.init.pid, cid=rig.cgroup, root=rig.project.root))
    assert pidfile.read(rig.project) is None
    rig.run("python", "-V")
    assert len(rig.dkenv_calls()) == 1 and rig.docker_calls() == []


def test_the_pid_file_of_a_moved_folder_is_not_trusted(rig, sh):
    """A moved folder carries the record of its old container, which mounts the old path."""
    rig.start_container()
    pidfile.write(rig.project, pidfile.Record(rig.init.pid, rig.cgroup, str(rig.tmp / "old place"), "1234:5678"))
    rig.run("python", "-V")
    assert rig.dkenv_calls() == [["-C", str(rig.root), "exec", "--", "python", "-V"]] and rig.docker_calls() == []


def test_a_stale_pid_file_is_not_running(rig, sh):
    pid_file = pidfile.path(rig.project)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(f"{os.getpid()}\n")  # alive, but not a docker-init
    rig.run("python", "-V")
    assert len(rig.dkenv_calls()) == 1 and rig.docker_calls() == []
    pid_file.write_text("garbage\n")
    rig.run("python", "-V")
    assert len(rig.dkenv_calls()) == 2 and rig.docker_calls() == []


def test_running_container_without_tty_uses_docker_exec_with_a_token_in_its_own_session(rig, sh):
    rig.start_container()
    result = rig.run("python", "-c", "pass", input=b"")
    assert result.returncode == 0, result.stderr
    assert rig.dkenv_calls() == []
    (call,) = rig.docker_calls()
    token_arg = call[call.index("-e") + 1]
    assert token_arg.startswith("DKENV_EXEC_TOKEN=") and len(token_arg) > len("DKENV_EXEC_TOKEN=") + 8
    assert call[:call.index("-e")] == ["exec", "-i", "-u", "1234:5678", "-w", str(rig.root)]
    assert call[call.index("-e") + 2:] == ["dkenv-app", "sh", "-c", execution.LAUNCHER, "dkenv", "python", "-c", "pass"]
    assert Path(f"{rig.log}.sid").read_text().strip() != str(os.getsid(0))  # setsid


def test_the_exit_status_and_stdin_pass_through(rig, sh):
    rig.start_container()
    assert rig.run("python", env={"FAKE_STATUS": "3"}).returncode == 3
    data = bytes(range(256)) * 64 + b"\r\n\0end"
    result = rig.run("python", env={"FAKE_CAT": "1"}, input=data)
    assert result.returncode == 0 and result.stdout == data


def test_sigint_is_forwarded_by_token_and_the_status_is_130(rig, sh):
    rig.start_container()
    proc = subprocess.Popen([str(rig.shims / "python"), "-c", "sleep"], cwd=rig.root,
                            env=rig.env(FAKE_SLEEP="30", PWD=str(rig.root)),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stderr.readline() == b"ready\n"
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 130  # before the 30 s sleep could end by itself: the signal ended it
    main, killer = rig.docker_calls()
    token = main[main.index("-e") + 1].split("=", 1)[1]
    assert killer[:5] == ["exec", "-u", "1234:5678", "dkenv-app", "sh"]  # as the command's own user
    assert killer[5:] == ["-c", execution.KILLER_SCRIPT, "dkenv-kill", token, "INT"]


def sleeping_shim(rig) -> subprocess.Popen:
    """A shimmed command with no terminal, "running in the container" (the fake docker's child)."""
    proc = subprocess.Popen([str(rig.shims / "python"), "-c", "sleep"], cwd=rig.root,
                            env=rig.env(FAKE_SLEEP="30", PWD=str(rig.root)),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stderr.readline() == b"ready\n"
    return proc


def gone(pid: int) -> bool:
    """The process has ended (or is a zombie) within the deadline; False, after waiting it, if not."""
    try:
        return wait_until(lambda: dead(pid), f"process {pid} to end")
    except AssertionError:
        return False


def watchers(rig) -> list[int]:
    """The rig's watchdogs still running, and the fake docker they exec to reap."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and os.fsencode(rig.docker) in (entry / "cmdline").read_bytes() \
                    and not dead(int(entry.name)):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_a_killed_shim_leaves_neither_the_client_nor_the_command_behind(rig, sh):
    rig.start_container()
    proc = sleeping_shim(rig)
    command = int(Path(f"{rig.log}.pid").read_text())
    (main,) = rig.docker_calls()
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    (client,) = [int(p) for p in children if b"\0exec\0-i\0" in Path(f"/proc/{p}/cmdline").read_bytes()]
    proc.kill()  # SIGKILL: no trap runs
    proc.wait()
    wait_until(lambda: dead(command), "the command in the container to end with the killed shim")
    wait_until(lambda: dead(client), "the docker client to end with the killed shim")
    token = main[main.index("-e") + 1].split("=", 1)[1]
    reaper = rig.docker_calls()[1]
    assert reaper[:5] == ["exec", "-u", "1234:5678", "dkenv-app", "sh"]  # as the command's own user
    assert reaper[5:] == ["-c", watchdog.REAPER, "dkenv-reap", token]
    assert list((rig.root / ".dkenv" / "run").glob("*.fifo")) == []


def test_a_normal_end_tells_the_watchdog_and_nothing_is_reaped(rig, sh):
    rig.start_container()
    assert rig.run("python", "-c", "pass", input=b"").returncode == 0
    # the watchdog ends (told `done`); one that wrongly reaped would exec the fake docker, and end too
    wait_until(lambda: not watchers(rig), "the watchdog to end", detail=lambda: watchers(rig))
    assert len(rig.docker_calls()) == 1
    assert list((rig.root / ".dkenv" / "run").glob("*.fifo")) == []


@pytest.mark.parametrize("status, signame", [(129, "HUP"), (141, "PIPE")])
def test_a_client_killed_by_a_signal_passes_it_to_the_command(rig, sh, status, signame):
    """docker itself died (its terminal closed, its reader went away): the command gets the same signal."""
    rig.start_container()
    assert rig.run("python", env={"FAKE_STATUS": str(status)}, input=b"").returncode == status
    main, killer = rig.docker_calls()
    token = main[main.index("-e") + 1].split("=", 1)[1]
    assert killer[5:] == ["-c", execution.KILLER_SCRIPT, "dkenv-kill", token, signame]


def test_without_setsid_it_goes_through_dkenv_exec(rig, sh):
    rig.start_container()
    result = rig.run("python", "-V", env={"PATH": f"{rig.shims}:{rig.host}"})  # no setsid there
    assert result.returncode == 0, result.stderr
    assert rig.docker_calls() == []
    assert rig.dkenv_calls() == [["-C", str(rig.root), "exec", "--", "python", "-V"]]


def test_with_a_terminal_it_runs_docker_with_a_tty(rig, sh):
    import pexpect

    rig.start_container()
    child = pexpect.spawn(str(rig.shims / "python"), ["-V"], cwd=str(rig.root),
                          env=rig.env(TERM="xterm-test", PWD=str(rig.root)), timeout=20)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    (call,) = rig.docker_calls()
    assert call[:6] == ["exec", "-it", "-e", "TERM=xterm-test", "-u", "1234:5678"]
    assert call[6:9] == ["-w", str(rig.root), "-e"] and call[9].startswith("DKENV_EXEC_TOKEN=")
    assert call[10:] == ["dkenv-app", "sh", "-c", execution.LAUNCHER, "dkenv", "python", "-V"]
    assert Path(f"{rig.log}.sid").read_text().strip() == str(child.pid)  # the shim's session: its terminal


def test_a_symlinked_cwd_runs_at_the_physical_path(rig, sh, tmp_path):
    rig.start_container()
    (rig.root / "src").mkdir()
    link = tmp_path / "link"
    link.symlink_to(rig.root)
    rig.run("python", "-V", cwd=link / "src", env={"PWD": str(link / "src")})
    (call,) = rig.docker_calls()
    assert call[call.index("-w") + 1] == str(rig.root / "src")


def test_manage_py_runs_python_with_the_nearest_manage_py(rig, sh, tmp_path):
    (rig.root / "site" / "app" / "deep").mkdir(parents=True)
    (rig.root / "site" / "manage.py").write_text("")
    result = rig.run("manage.py", "check", "--deploy", cwd=rig.root / "site" / "app" / "deep")
    assert result.returncode == 0, result.stderr
    assert rig.dkenv_calls() == [["-C", str(rig.root), "exec", "--", "python", str(rig.root / "site" / "manage.py"),
                                  "check", "--deploy"]]
    result = rig.run("manage.py", "check", cwd=rig.root)  # none at or above the cwd within the root
    assert result.returncode == 127 and "manage.py: none in" in result.stderr.decode()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert rig.run("manage.py", "x", cwd=elsewhere).stdout.decode() == "host manage.py: x\n"


def test_pip_install_rehashes_after_a_success(rig, sh):
    rig.start_container()
    rig.run("pip", "install", "black")
    rig.run("pip", "list")
    rig.run("pip", "-q", "uninstall", "-y", "black", env={"FAKE_STATUS": "1"})  # failed: no rehash
    rig.run("python", "-m", "pip", "install", "x")
    assert rig.dkenv_calls() == [["-C", str(rig.root), "rehash"]] * 2
    assert len(rig.docker_calls()) == 4


def test_venv_script_shims_work_like_the_others(rig, sh):
    rig.start_container()
    assert (rig.shims / "black").exists()
    rig.run("black", ".")
    (call,) = rig.docker_calls()
    assert call[-2:] == ["black", "."]


def test_the_shim_passes_sh_syntax_check(rig, sh):
    for shim in rig.shims.iterdir():
        if shim.name != shims.DIR_MARKER:
            subprocess.run([sh, "-n", str(shim)], check=True)
