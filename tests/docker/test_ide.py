"""The IDE interpreter `.dkenv/bin/python` against a real container, started as an IDE
starts it (no dkenv variable, no shims on PATH, any cwd): an IDE's helper script in a
folder outside the project (a VS Code extension folder, mounted read-only at the same
path by the [ide] mounts detected in HOME), script paths, stdin, exit codes, the copy of
site-packages, `dkenv ide vscode`, and a debug session through the launch configuration
it writes, with the debug adapter and the program in the container."""
from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dkenv import jsonc
from tests.conftest import SANDBOX, make_project
from tests.docker.conftest import SLIM_PYTHON

pytestmark = pytest.mark.docker

CONFIG = SLIM_PYTHON.replace('install = "none"', 'install = "pip"\nrequirements = ["requirements.txt"]')
HELPER = """\
import json, os, sys
import six
print(json.dumps({"prefix": sys.prefix, "six": six.__version__, "cwd": os.getcwd(), "argv": sys.argv[1:],
                  "pythonpath": os.environ.get("PYTHONPATH"), "path": os.environ.get("PATH")}))
"""
PROGRAM = """\
import sys, six
where = sys.prefix
print("program in", where, "six", six.__version__, flush=True)
sys.exit(3)
"""
USER_SETTINGS = """\
{
    // mine: kept
    "editor.rulers": [100],
    "python.analysis.extraPaths": ["src"], /* also kept */
}
"""


class IdeProject:
    def __init__(self, project, home: Path, helpers: Path):
        self.project, self.root, self.home, self.helpers = project, project.root, home, helpers
        self.python = self.root / ".dkenv" / "bin" / "python"

    def env(self, **extra) -> dict[str, str]:
        """An IDE's environment: its own HOME and PATH, nothing of dkenv's."""
        keep = {k: v for k, v in os.environ.items() if k.startswith("XDG_")}  # the test session's state dir
        return {**keep, "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(self.home), "LANG": "C.UTF-8", **extra}

    def run(self, *args: str, cwd: Path | None = None, input: bytes | None = None, name: str = "python",
            **env) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.root / ".dkenv" / "bin" / name), *args], cwd=cwd or self.root,
                              env=self.env(**env), input=input, capture_output=True, timeout=600)

    def dkenv(self, *args: str, **kw):
        return self.project.dkenv(*args, env={"HOME": str(self.home)}, **kw)


@pytest.fixture(scope="session")
def ide_project(docker_engine):
    """A pip project (six) up, with HOME holding a VS Code extension folder (detected and
    mounted) with a helper script and debugpy in it, as the Python extensions ship them."""
    home = SANDBOX / "ide-home"
    helpers = home / ".vscode" / "extensions" / "ms-python.python-2099.1.0" / "python_files"
    helpers.mkdir(parents=True, exist_ok=True)
    (helpers / "info.py").write_text(HELPER)
    linked = home / "disk" / "vscode-server"  # ~/.vscode-server is a link to it: mounted at the link's path
    linked.mkdir(parents=True, exist_ok=True)
    (linked / "marker.txt").write_text("linked ok\n")
    if not (home / ".vscode-server").is_symlink():
        (home / ".vscode-server").symlink_to(linked)
    project = make_project("ide", {".dkenv.toml": CONFIG, "requirements.txt": "six==1.16.0\n",
                                   "pkg/program.py": PROGRAM, "pkg/script.py": "print('relative ok')\n"})
    ide = IdeProject(project, home, helpers)
    ide.dkenv("up")
    return ide


def info(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return json.loads(result.stdout)


def test_the_interpreter_is_a_plain_executable_file(ide_project):
    for name in ("python", "python3", "pip", "pip3"):
        path = ide_project.root / ".dkenv" / "bin" / name
        assert path.is_file() and not path.is_symlink() and os.access(path, os.X_OK)
        assert path.read_bytes().startswith(b"#!/bin/sh\n")
    # started by the kernel itself, with an empty environment: no shell function, no PATH lookup
    result = subprocess.run([str(ide_project.python), "-c", "import sys; print(sys.prefix)"],
                            env={}, cwd="/", capture_output=True, timeout=120)
    assert result.stdout == b"/opt/venv\n", result.stderr


def test_a_helper_outside_the_project_runs_in_the_container_and_imports_a_dependency(ide_project, tmp_path):
    script = ide_project.helpers / "info.py"
    out = info(ide_project.run(str(script), "a", "b c", cwd=tmp_path, PYTHONPATH="/from/the/ide"))
    assert out["prefix"] == "/opt/venv" and out["six"] == "1.16.0"
    assert out["argv"] == ["a", "b c"]
    assert out["cwd"] == str(ide_project.root)  # the container has no tmp_path: the root
    assert out["pythonpath"] == "/from/the/ide"  # passed from the IDE
    assert out["path"].startswith("/opt/venv/bin:")  # the container's own, not the IDE's


def test_relative_script_paths_from_the_extension_folder_and_the_project(ide_project):
    extension = ide_project.helpers.parent
    out = info(ide_project.run("python_files/info.py", cwd=extension))
    assert out["cwd"] == str(extension) and out["six"] == "1.16.0"
    result = ide_project.run("script.py", cwd=ide_project.root / "pkg")
    assert result.stdout == b"relative ok\n", result.stderr


def test_stdin_and_exit_codes(ide_project):
    result = ide_project.run("-", input=b"import sys\nprint(sys.stdin.read() == '')\nsys.exit(5)\n")
    assert (result.returncode, result.stdout) == (5, b"True\n")
    data = os.urandom(256 * 1024)
    copy = "import shutil, sys; shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)"
    assert ide_project.run("-c", copy, input=data).stdout == data
    assert ide_project.run("-c", "import os; os.kill(os.getpid(), 15)").returncode == 143
    assert ide_project.run("no-such-script.py").returncode == 2  # python's own status
    assert b"/opt/venv" in ide_project.run("--version", name="pip").stdout


def test_the_ide_folders_are_mounted_read_only(ide_project):
    result = ide_project.run("-c", f"open({str(ide_project.helpers / 'new.py')!r}, 'w')")
    assert result.returncode == 1 and b"Read-only file system" in result.stderr
    assert not (ide_project.helpers / "new.py").exists()


def test_a_linked_ide_folder_is_seen_read_only_at_the_links_path(ide_project):
    """~/.vscode-server -> ~/disk/vscode-server: the container has its content at ~/.vscode-server."""
    link = ide_project.home / ".vscode-server"
    code = (f"import os; print(open({str(link / 'marker.txt')!r}).read(), end=''); "
            f"print(os.path.islink({str(link)!r}), os.path.exists({str(ide_project.home / 'disk')!r})); "
            f"open({str(link / 'new.txt')!r}, 'w')")
    result = ide_project.run("-c", code, cwd=link)
    assert result.stdout == b"linked ok\nFalse False\n", result.stderr  # a mount there, not the link
    assert result.returncode == 1 and b"Read-only file system" in result.stderr
    assert not (link / "new.txt").exists()
    # the cwd is kept where the IDE names it (its PWD); the kernel's own cwd, the real folder, the container lacks
    assert info(ide_project.run(str(ide_project.helpers / "info.py"), cwd=link, PWD=str(link)))["cwd"] == str(link)


def test_inside_the_container_it_is_the_venvs_own_python(ide_project):
    out = ide_project.dkenv("exec", str(ide_project.python), "-c", "import sys; print(sys.executable)").stdout
    assert out == b"/opt/venv/bin/python\n"


def test_site_packages_is_copied_and_follows_a_pip_install(ide_project):
    site = ide_project.root / ".dkenv" / "site-packages"
    assert (site / "six.py").is_file()
    tag = (site / ".dkenv-tag").read_text().split()[0]
    image = subprocess.run(["docker", "inspect", "-f", "{{.Config.Image}}", ide_project.project.container],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert tag == image
    assert (site / "six.py").stat().st_uid == os.getuid()
    result = ide_project.run("install", "-q", "--no-deps", "iniconfig==2.0.0", name="pip")
    assert result.returncode == 0, result.stderr
    assert (site / "iniconfig" / "__init__.py").is_file()  # dkenv rehash ran and copied it again
    ide_project.run("uninstall", "-q", "-y", "iniconfig", name="pip")
    assert not (site / "iniconfig").exists()


def test_ide_vscode_merges_into_the_users_settings_and_copies_what_is_missing(ide_project):
    settings = ide_project.root / ".vscode" / "settings.json"
    settings.parent.mkdir(exist_ok=True)
    settings.write_text(USER_SETTINGS)
    shutil.rmtree(ide_project.root / ".dkenv" / "site-packages")
    ide_project.dkenv("ide", "vscode")
    assert (ide_project.root / ".dkenv" / "site-packages" / "six.py").is_file()  # the container runs: copied now
    text = settings.read_text()
    assert "// mine: kept" in text and "/* also kept */" in text
    assert jsonc.parse(text).value == {
        "editor.rulers": [100],
        "python.analysis.extraPaths": ["src", "${workspaceFolder}/.dkenv/site-packages"],
        "python.defaultInterpreterPath": "${workspaceFolder}/.dkenv/bin/python",
        "files.watcherExclude": {"**/.dkenv/**": True},
    }


def test_a_stopped_container_is_started_by_the_interpreter(ide_project):
    ide_project.dkenv("ide", "vscode")  # approves the .dkenv.toml
    subprocess.run(["docker", "stop", ide_project.project.container], check=True, capture_output=True)
    out = info(ide_project.run(str(ide_project.helpers / "info.py")))
    assert out["prefix"] == "/opt/venv"


# --- a debug session as VS Code runs it from the launch configuration `dkenv ide vscode` writes ---

class StdioDap:
    """The Debug Adapter Protocol over the adapter's stdin/stdout (VS Code's DebugAdapterExecutable)."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=cwd)
        self.messages: queue.Queue = queue.Queue()
        self.seq = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                byte = stream.read(1)
                if not byte:
                    self.messages.put(None)
                    return
                header += byte
            length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
            self.messages.put(json.loads(stream.read(length)))

    def send(self, kind: str, command: str, **body) -> None:
        self.seq += 1
        message = {"seq": self.seq, "type": kind, "command": command, **body}
        data = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(data), data))
        self.proc.stdin.flush()

    def request(self, command: str, **arguments) -> None:
        self.send("request", command, arguments=arguments)

    def until(self, wanted, seen: list) -> dict:
        while True:
            message = self.messages.get(timeout=120)
            assert message is not None, f"the adapter ended; seen: {seen[-5:]}"
            seen.append(message)
            if wanted(message):
                return message


def test_the_launch_configuration_debugs_in_the_container(ide_project):
    """debugpy's adapter, its launcher (in a terminal, as VS Code's default console) and the
    program all run through the interpreter; a breakpoint in the program stops it."""
    libs = ide_project.home / ".vscode" / "extensions" / "ms-python.debugpy-2099.1.0" / "bundled" / "libs"
    if not (libs / "debugpy").is_dir():
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-cache-dir", "--target", str(libs),
                        "debugpy==1.8.1"], check=True, capture_output=True, timeout=600)
    ide_project.dkenv("up")  # the new extension folder is inside the mounted one: no recreate needed
    ide_project.dkenv("ide", "vscode")
    launch_json = (ide_project.root / ".vscode" / "launch.json").read_text()
    (conf,) = [c for c in jsonc.parse(launch_json).value["configurations"] if c["request"] == "launch"]
    resolve = lambda value: value.replace("${workspaceFolder}", str(ide_project.root))  # noqa: E731
    program = ide_project.root / "pkg" / "program.py"
    adapter = StdioDap([resolve(conf["debugAdapterPython"]), str(libs / "debugpy" / "adapter")],
                       ide_project.env(), ide_project.root)
    seen: list = []
    terminal = []
    try:
        adapter.request("initialize", adapterID="debugpy", clientID="vscode", linesStartAt1=True,
                        columnsStartAt1=True, pathFormat="path", supportsRunInTerminalRequest=True)
        adapter.until(lambda m: m.get("command") == "initialize", seen)
        adapter.request("launch", **{**conf, "program": str(program), "cwd": resolve(conf["cwd"]),
                                     "python": [resolve(conf["python"])],
                                     "debugLauncherPython": resolve(conf["debugLauncherPython"])})
        ask = adapter.until(lambda m: m.get("command") == "runInTerminal" or m.get("event") == "initialized", seen)
        if ask.get("command") == "runInTerminal":  # VS Code runs the launcher in a terminal on the host
            args = ask["arguments"]
            env = ide_project.env(**{k: v for k, v in (args.get("env") or {}).items() if v is not None})
            terminal.append(subprocess.Popen(args["args"], cwd=args.get("cwd"), env=env, stdout=subprocess.PIPE,
                                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
            adapter.send("response", "runInTerminal", request_seq=ask["seq"], success=True,
                         body={"processId": terminal[0].pid})
            adapter.until(lambda m: m.get("event") == "initialized", seen)
        adapter.request("setBreakpoints", source={"path": str(program)}, breakpoints=[{"line": 3}])
        adapter.request("configurationDone")
        stopped = adapter.until(lambda m: m.get("event") == "stopped", seen)
        assert stopped["body"]["reason"] == "breakpoint"
        adapter.request("continue", threadId=stopped["body"]["threadId"])
        exited = adapter.until(lambda m: m.get("event") == "exited", seen)
        assert exited["body"]["exitCode"] == 3
    finally:
        adapter.proc.kill()
        for proc in terminal:
            proc.wait(timeout=60)
    assert terminal, "the adapter did not ask for a terminal"
    output = terminal[0].stdout.read().decode(errors="replace")
    assert "program in /opt/venv six 1.16.0" in output
