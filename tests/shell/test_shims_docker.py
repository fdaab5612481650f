"""Shims against the real project container (the `built_project` session fixture: a copy
of examples/django-hello, `dkenv up`): what a user types on the host runs inside."""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.helpers import wait_until
from tests.shell.conftest import SHELLS

pytestmark = [pytest.mark.docker, pytest.mark.shell]


@pytest.fixture(scope="module")
def shimmed(built_project):
    """The built project, rehashed: its shims dir, with the venv's console scripts."""
    built_project.dkenv("rehash")
    return built_project


@pytest.fixture(params=["agent", "docker"])
def route(request, monkeypatch):
    """Through the exec agent, or docker exec (DKENV_AGENT=0, the fallback)."""
    monkeypatch.setenv("DKENV_AGENT", "1" if request.param == "agent" else "0")
    return request.param


def host_env(project, **extra) -> dict[str, str]:
    """A shell environment with the project activated: the shims first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{project.root}/.dkenv/shims:{env['PATH']}"
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def shim(project, *argv, cwd=None, **kw) -> subprocess.CompletedProcess:
    cwd = cwd or project.root
    env = host_env(project, PWD=str(cwd))
    return subprocess.run(list(argv), cwd=cwd, env=env, capture_output=True, timeout=300, **kw)


def test_the_container_is_known_running_for_the_fast_path(shimmed):
    pid = (shimmed.root / ".dkenv" / "run" / "container.pid").read_text().split()[0]
    assert Path(f"/proc/{pid}/comm").read_text().strip() == "docker-init"


def test_the_venv_scripts_are_shimmed(shimmed):
    names = set(os.listdir(shimmed.root / ".dkenv" / "shims"))
    assert {"python", "pip", "manage.py", "django-admin", ".dkenv-shims"} <= names
    listing = shimmed.dkenv("shims").stdout.decode()
    assert "django-admin" in listing


def test_python_runs_in_the_venv(shimmed, route):
    result = shim(shimmed, "python", "-c", "import os, sys; print(sys.prefix, os.environ['DKENV_EXEC_TOKEN'][:6])",
                  stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    prefix, token = result.stdout.decode().split()
    assert prefix == "/opt/venv"
    assert (token == "agent-") == (route == "agent")


def test_outside_the_project_python_is_the_hosts(shimmed, tmp_path):
    # python3: the command every Debian host has (`python` may be missing for a plain user)
    result = shim(shimmed, "python3", "-c", "import sys; print(sys.prefix)", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout != b"/opt/venv\n"
    disabled = subprocess.run(["python3", "-c", "import sys; print(sys.prefix)"], cwd=shimmed.root,
                              env=host_env(shimmed, DKENV_DISABLE="1"), capture_output=True, timeout=60)
    assert disabled.stdout != b"/opt/venv\n"


def test_manage_py_through_its_shebang(shimmed, route):
    result = shim(shimmed, "./manage.py", "check")
    assert result.returncode == 0, result.stderr
    assert b"no issues" in result.stdout
    result = shim(shimmed, "manage.py", "check", cwd=shimmed.root / "hello")  # the manage.py shim
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("code", [0, 3])
def test_exit_status(shimmed, route, code):
    assert shim(shimmed, "python", "-c", f"import sys; sys.exit({code})").returncode == code


def test_ctrl_c_without_a_tty_is_forwarded_and_gives_130(shimmed, route):
    proc = subprocess.Popen(["python", "-c", "import time; print('ready', flush=True); time.sleep(60)"],
                            cwd=shimmed.root, env=host_env(shimmed, PWD=str(shimmed.root)),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline() == b"ready\n"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 130  # before the 60 s sleep could end by itself: the signal ended it
    finally:
        proc.kill()

    def left() -> bytes:
        return subprocess.run(["docker", "exec", shimmed.container, "sh", "-c",
                               "ps -eo args 2>/dev/null || cat /proc/[0-9]*/cmdline"],
                              capture_output=True, timeout=60).stdout.replace(b"\0", b" ")

    wait_until(lambda: b"time.sleep(60)" not in left(), "the command to end in the container", every=0.2)


def test_ctrl_c_with_a_tty_gives_130(shimmed):
    import pexpect

    child = pexpect.spawn("python", ["-c", "import time; print('ready', flush=True); time.sleep(60)"],
                          cwd=str(shimmed.root), env=host_env(shimmed, PWD=str(shimmed.root), TERM="xterm"),
                          timeout=60)
    child.expect_exact("ready")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130 or child.signalstatus == signal.SIGINT


def test_stdin_is_piped_byte_exact(shimmed, route):
    data = bytes(range(256)) * 4096 + b"\r\n\0no newline at the end"
    result = shim(shimmed, "python", "-c", "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read())", input=data)
    assert result.returncode == 0, result.stderr
    assert result.stdout == data


def test_pip_install_then_the_console_script_runs_on_the_host(shimmed, route, tmp_path):
    shims_dir = shimmed.root / ".dkenv" / "shims"
    result = shim(shimmed, "pip", "install", "-q", "tabulate==0.9.0")
    assert result.returncode == 0, result.stderr
    assert (shims_dir / "tabulate").is_file()  # the automatic rehash
    table = shim(shimmed, "tabulate", input=b"a 1\nb 2\n")
    assert table.returncode == 0, table.stderr
    assert b"a  1" in table.stdout
    result = shim(shimmed, "python", "-m", "pip", "uninstall", "-q", "-y", "tabulate")
    assert result.returncode == 0, result.stderr
    assert not (shims_dir / "tabulate").exists()


@pytest.mark.parametrize("shell", SHELLS)
def test_an_activated_shell_runs_what_the_user_types_in_the_container(shimmed, interactive, shell):
    term = interactive(shell, cwd=shimmed.root)
    term.run("dkenv activate")
    assert term.capture("python -c 'import sys; print(sys.prefix)'").strip().endswith("/opt/venv")
    assert "no issues" in term.capture("python manage.py check")
    assert "no issues" in term.capture("./manage.py check")  # #!/usr/bin/env python finds the shim
    assert term.status("python -c 'import sys; sys.exit(3)'") == 3
    term.run("cd hello")
    assert term.capture("python -c 'import os; print(os.getcwd())'").strip() == str(shimmed.root / "hello")
    term.run("cd ..")
    term.run("dkenv deactivate")
    assert "/opt/venv" not in term.capture("python -c 'import sys; print(sys.prefix)' 2>&1")


def test_the_fast_path_never_runs_dkenv(shimmed, route, tmp_path):
    """With the container running, a shim goes straight to docker exec: no host Python."""
    from dkenv.project.project import open_project
    from dkenv.shell import shims

    project = open_project(str(shimmed.root))
    text = shims.render(project, "python", baked=shims.Baked(dkenv_command=[str(tmp_path / "no-dkenv-here")]))
    copy = tmp_path / "python"
    copy.write_text(text)
    copy.chmod(0o755)
    result = subprocess.run([str(copy), "-c", "import sys; print(sys.prefix)"], cwd=shimmed.root,
                            env=host_env(shimmed, PWD=str(shimmed.root)), capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"/opt/venv\n"
