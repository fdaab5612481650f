"""The IDE interpreter `.dkenv/bin/python` (the shim template in IDE mode), run by the real
/bin/sh with the fakes of test_shims_protocol: from any cwd and with no dkenv variable it
runs in the container (at the cwd the container has, else the root), starts the container
first when needed, passes the Python variables, and never falls through to the host."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from dkenv.exec import execution, pidfile
from dkenv.project import config as config_mod
from dkenv.project.project import Project
from dkenv.shell import interpreter, shims
from tests.shell.test_shims_protocol import HOSTILE, Rig

pytestmark = pytest.mark.shell


class IdeRig(Rig):
    """The Rig's project with [ide] mounts = [a folder outside it, in the home], and its `.dkenv/bin`."""

    def __init__(self, tmp: Path, folder_name: str = "app"):
        super().__init__(tmp, folder_name)
        self.helpers = Path(os.environ["HOME"]) / "ext dir" / "ms-python"  # a mount is a folder in the home
        self.helpers.mkdir(parents=True)
        (self.root / ".dkenv.toml").write_text(
            '[project]\nname = "app"\n[ide]\nmounts = ["~/ext dir"]\nenv = ["DJANGO_SETTINGS_MODULE"]\n')
        self.project = Project(config=config_mod.load(self.root), name="app")
        baked = shims.Baked(dkenv_command=[str(self.dkenv)], docker=str(self.docker), user="1234:5678")
        self.result = interpreter.write(self.project, baked)

    def ide(self, name: str, *args: str, cwd: Path | None = None, env: dict | None = None,
            input: bytes | None = None) -> subprocess.CompletedProcess:
        """Run .dkenv/bin/NAME as an IDE would: no shims on PATH, no DKENV_* variable."""
        full_env = {"PATH": "/usr/bin:/bin", "FAKE_LOG": str(self.log), "HOME": str(self.tmp), **(env or {})}
        return subprocess.run([str(interpreter.path(self.project, name)), *args], cwd=cwd or self.root,
                              env=full_env, input=input, capture_output=True, timeout=30)

    def call(self) -> list[str]:
        (call,) = self.docker_calls()
        return call


@pytest.fixture(params=["plain", "hostile"])
def ide(request, tmp_path, monkeypatch):
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    r = IdeRig(tmp_path, "app" if request.param == "plain" else HOSTILE)
    yield r
    r.close()


def workdir(call: list[str]) -> str:
    return call[call.index("-w") + 1]


def test_plain_executable_files_for_python_python3_pip_pip3(ide):
    assert ide.result.written == list(interpreter.NAMES)
    for name in interpreter.NAMES:
        path = interpreter.path(ide.project, name)
        assert path.is_file() and not path.is_symlink() and os.access(path, os.X_OK)
        assert path.read_text().startswith("#!/bin/sh\n")
        subprocess.run(["sh", "-n", str(path)], check=True)


def test_runs_in_the_container_from_the_root_and_below(ide):
    ide.start_container()
    (ide.root / "pkg").mkdir()
    result = ide.ide("python", "-c", "pass", cwd=ide.root / "pkg", input=b"")
    assert result.returncode == 0, result.stderr
    call = ide.call()
    assert workdir(call) == str(ide.root / "pkg")
    assert call[-8:] == ["dkenv-app", "sh", "-c", execution.LAUNCHER, "dkenv", "python", "-c", "pass"]
    assert ide.dkenv_calls() == []


def test_a_cwd_under_an_ide_mount_is_kept(ide):
    ide.start_container()
    ide.ide("python", "helper.py", cwd=ide.helpers)
    assert workdir(ide.call()) == str(ide.helpers)


def test_a_cwd_the_container_lacks_becomes_the_root_and_nothing_falls_through(ide, tmp_path):
    ide.start_container()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = ide.ide("python", "-V", cwd=elsewhere, env={"DKENV_DISABLE": "1", "PATH": f"{ide.host}:/usr/bin:/bin"})
    assert result.stdout == b""  # not the host's python
    assert workdir(ide.call()) == str(ide.root)


def test_the_python_variables_and_ide_env_are_passed_by_name(ide):
    ide.start_container()
    ide.ide("python", "-V", env={"PYTHONPATH": "/x"})
    call = ide.call()
    passed = [call[i + 1] for i, arg in enumerate(call[:call.index("dkenv-app")]) if arg == "-e"]
    assert {"PYTHONPATH", "PYTHONUNBUFFERED", "DJANGO_SETTINGS_MODULE"} <= set(passed)  # docker reads their values
    assert "PATH" not in passed and "HOME" not in passed


def test_exit_status_and_stdin_pass_through(ide):
    ide.start_container()
    assert ide.ide("python", env={"FAKE_STATUS": "5"}).returncode == 5
    data = bytes(range(256)) * 32
    result = ide.ide("python", "-", env={"FAKE_CAT": "1"}, input=data)
    assert result.returncode == 0 and result.stdout == data


def test_a_stopped_container_is_started_through_dkenv_first(ide):
    result = ide.ide("python", "-V", cwd=ide.helpers)
    assert result.returncode == 0, result.stderr
    assert ide.dkenv_calls() == [["-C", str(ide.root), "exec", "--", "true"]]
    assert workdir(ide.call()) == str(ide.helpers)  # then the same docker exec as when running


STARTING_DKENV = """#!/bin/sh
{ for a in "$@"; do printf '%s\\n' "$a"; done; echo; } >> "$FAKE_LOG.dkenv"
mkdir -p "${FAKE_PIDFILE%/*}" && cp "$FAKE_RECORD" "$FAKE_PIDFILE"
"""


def test_once_started_the_record_dkenv_wrote_gives_the_user(ide):
    """The user of the engine the container runs on (0:0 on rootless Docker), not the baked one."""
    ide.start_container(record=False)  # a live init, recorded only once dkenv has started it
    staged = ide.tmp / "record"
    staged.write_text(pidfile.Record(ide.init.pid, ide.cgroup, str(ide.root), "0:0").text())
    ide.dkenv.write_text(STARTING_DKENV)
    result = ide.ide("python", "-V", env={"FAKE_RECORD": str(staged), "FAKE_PIDFILE": str(pidfile.path(ide.project))})
    assert result.returncode == 0, result.stderr
    assert ide.dkenv_calls() == [["-C", str(ide.root), "exec", "--", "true"]]
    call = ide.call()
    assert call[call.index("-u") + 1] == "0:0"
    ide.ide("python", "-V")  # now known running: no dkenv
    assert len(ide.dkenv_calls()) == 1 and len(ide.docker_calls()) == 2


def test_a_failed_start_is_its_exit_status_and_runs_nothing(ide):
    result = ide.ide("python", "-V", env={"FAKE_DKENV_STATUS": "2"})
    assert result.returncode == 2
    assert ide.docker_calls() == []


def test_a_dkenv_that_is_gone_is_one_clear_line(ide):
    ide.dkenv.unlink()
    result = ide.ide("python", "-V")
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and "cannot start the project container" in lines[0] and "is gone" in lines[0]


def test_pip_install_rehashes_after_a_success(ide):
    ide.start_container()
    ide.ide("pip", "install", "x")
    assert ide.dkenv_calls() == [["-C", str(ide.root), "rehash"]]


def test_a_users_file_is_never_replaced(tmp_path):
    rig = IdeRig(tmp_path)
    mine = interpreter.path(rig.project, "pip")
    mine.write_text("#!/bin/sh\necho mine\n")
    result = interpreter.write(rig.project, shims.Baked(dkenv_command=["/x/dkenv"], docker="docker", user="1:1"))
    assert result.not_ours == ["pip"]
    assert mine.read_text() == "#!/bin/sh\necho mine\n"
    assert set(result.written) == {"python", "python3", "pip3"}  # the baked command changed
    rig.close()
