"""The container is a boundary, tested the hostile way: from inside the project container, as
its user and as root (`docker exec -u 0`), every way of changing what the host runs or trusts
by itself (the shims, `.dkenv/bin/python`, the records in `.dkenv/run/`, the agent's file,
`.git`'s hooks, config and commondir, `.vscode/`, `.envrc`, a `[run] read_only` path) fails;
then the host does what it does next (a shim, the IDE interpreter, `git status`, `git
commit`) and nothing planted runs. What the container may write still works: the project's
files, the shell history, a default left `writable`, the agent's socket (the agent answers),
and git inside reads. docs/reliability.md, "The boundary".
"""
from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import make_project
from tests.docker.conftest import SLIM_PYTHON

pytestmark = pytest.mark.docker

CONFIG = SLIM_PYTHON + """\
apt = ["git"]
[run]
read_only = ["tools"]
writable = [".idea"]
"""

# tries every way to change each path; prints {path: [the ways that worked]} (nothing, if all failed)
ATTACK = r"""
import ctypes, json, os, sys
targets, won = json.loads(sys.argv[1]), {}
libc = ctypes.CDLL(None, use_errno=True)

def attempt(path, how, action):
    try:
        if action() == -1:  # a libc call
            return
    except OSError:
        return
    won.setdefault(path, []).append(how)

def write(path, mode, text):
    with open(path, mode) as f:
        f.write(text)

for path, (mode, text) in targets.items():
    if os.getuid() == 0:  # root: take the read-only mount away, or make it writable
        attempt(path, "umount", lambda: libc.umount2(path.encode(), 2))  # MNT_DETACH
        attempt(path, "remount rw", lambda: libc.mount(None, path.encode(), None, 32 | 4096, None))
    if text is not None:
        attempt(path, "write", lambda: write(path, mode, text))
    if os.path.lexists(path):
        attempt(path, "chmod", lambda: os.chmod(path, 0o777))
        attempt(path, "rename", lambda: os.rename(path, path + ".moved"))
        attempt(path, "unlink", lambda: os.unlink(path))
    folder = os.path.dirname(path)
    if folder != os.getcwd():  # the project's root itself is writable
        attempt(path, "create beside", lambda: write(os.path.join(folder, "planted"), "w", ""))
        attempt(path, "rename its folder", lambda: os.rename(folder, folder + ".moved"))
print(json.dumps(won))
"""


def git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def walled(docker_engine):
    """A project with a git repository (made on the host), the editors' files, `.envrc` and a
    `read_only` folder, up, with its shims."""
    project = make_project("boundary", {
        ".dkenv.toml": CONFIG,
        ".gitignore": "data/\n.dkenv/\n",
        "app.py": "print('app')\n",
        ".vscode/settings.json": "{}\n",
        ".envrc": "export FROM_ENVRC=1\n",
        "tools/check.sh": "#!/bin/sh\necho checked\n",
        ".idea/workspace.xml": "<project/>\n",
    })
    root = project.root
    for args in (["init", "-q", "-b", "main"], ["config", "user.email", "dev@example.com"],
                 ["config", "user.name", "Dev"], ["add", "-A"], ["commit", "-q", "-m", "initial"]):
        assert git(root, *args).returncode == 0, args
    project.dkenv("up")
    project.dkenv("rehash")
    project.dkenv("allow")  # a shim may start it again
    return project


def marker(project, name: str) -> Path:
    return project.root / f"PLANTED-{name}"


def targets(project) -> dict[str, tuple[str, str | None]]:
    """path -> (mode, what planting would write): each plants something the host would run."""
    root = project.root

    def script(name: str) -> str:
        return f"#!/bin/sh\ntouch '{marker(project, name)}'\n"

    return {
        f"{root}/.dkenv/shims/python": ("w", script("shim")),
        f"{root}/.dkenv/bin/python": ("w", script("interpreter")),
        f"{root}/.dkenv/run/container.pid": ("w", "1 0::/ / 0:0\n"),
        f"{root}/.dkenv/run/containers": ("w", "dkenv-other 1 0::/ hash\n"),
        f"{root}/.dkenv/run/up.cache": ("w", "planted\n"),
        f"{root}/.dkenv/run/agent.py": ("w", f"open({str(marker(project, 'agent'))!r}, 'w')\n"),
        f"{root}/.dkenv/Dockerfile": ("a", "RUN touch /planted\n"),
        f"{root}/.dkenv": ("w", None),
        f"{root}/.git/hooks/pre-commit": ("w", script("pre-commit")),
        f"{root}/.git/config": ("a", f"[core]\n\tfsmonitor = touch '{marker(project, 'fsmonitor')}'\n"
                                     f"\thooksPath = {root}/planted-hooks\n"
                                     f"\tsshCommand = touch '{marker(project, 'ssh')}'\n"),
        f"{root}/.git/commondir": ("w", f"{root}/planted-git\n"),
        f"{root}/.git": ("w", None),
        f"{root}/.vscode/settings.json": ("w", '{"python.defaultInterpreterPath": "planted"}\n'),
        f"{root}/.envrc": ("a", f"touch '{marker(project, 'envrc')}'\n"),
        f"{root}/tools/check.sh": ("w", script("tools")),
    }


def snapshot(project) -> dict[str, bytes | None]:
    """Every target's bytes (None: a folder, or missing)."""
    found = {}
    for path in targets(project):
        try:
            found[path] = Path(path).read_bytes()
        except (IsADirectoryError, FileNotFoundError):
            found[path] = None
    return found


def plant_hooks_folder(project) -> None:
    """What a planted `core.hooksPath` would point at: the project is writable, so this works."""
    hooks = project.root / "planted-hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "pre-commit").write_text(f"#!/bin/sh\ntouch '{marker(project, 'hookspath')}'\n")
    (hooks / "pre-commit").chmod(0o755)


def attack(project, *, root: bool) -> dict[str, list[str]]:
    argv = ["python", "-c", ATTACK, json.dumps(targets(project))]
    if root:
        result = subprocess.run(["docker", "exec", "-u", "0", "-w", str(project.root), project.container, *argv],
                                capture_output=True, timeout=120)
    else:
        result = project.dkenv("exec", *argv, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def run_shim(project, name: str, *args: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "PWD": str(project.root)}
    environ.pop("DKENV_AGENT", None)  # the agent when it can
    return subprocess.run([str(project.root / ".dkenv" / "shims" / name), *args], cwd=project.root, env=environ,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=120)


def the_host_runs_what_it_runs_next(project) -> None:
    """The shim, the IDE interpreter, git status and git commit: the real ones, nothing planted."""
    shim = run_shim(project, "python", "-c", "print('the real python')")
    assert (shim.returncode, shim.stdout) == (0, b"the real python\n"), shim.stderr
    ide = subprocess.run([str(project.root / ".dkenv" / "bin" / "python"), "-c", "print('the real python')"],
                         cwd=project.root, stdin=subprocess.DEVNULL, capture_output=True, timeout=120,
                         env={**os.environ, "PWD": str(project.root)})
    assert (ide.returncode, ide.stdout) == (0, b"the real python\n"), ide.stderr
    assert git(project.root, "status", "--porcelain").returncode == 0
    with open(project.root / "app.py", "a") as f:
        f.write("# edited on the host\n")
    committed = git(project.root, "commit", "-q", "-am", "a commit on the host")
    assert committed.returncode == 0, committed.stderr
    assert git(project.root, "config", "--get", "core.hooksPath").stdout == ""
    assert sorted(p.name for p in project.root.glob("PLANTED-*")) == []


@pytest.mark.parametrize("as_root", [False, True], ids=["container-user", "container-root"])
def test_nothing_the_host_runs_can_be_changed_from_inside(walled, as_root):
    before = snapshot(walled)
    assert before[f"{walled.root}/.dkenv/run/container.pid"] is not None  # the records are there to attack
    plant_hooks_folder(walled)
    won = attack(walled, root=as_root)
    assert won == {}, f"changed from inside: {won}"
    assert snapshot(walled) == before
    if not as_root:  # git itself, as the user: refused too
        planted = walled.dkenv("exec", "git", "config", "core.hooksPath", str(walled.root / "planted-hooks"),
                               check=False)
        assert planted.returncode != 0
    the_host_runs_what_it_runs_next(walled)


def test_what_the_container_may_write_still_works(walled):
    root = walled.root
    token = walled.dkenv("exec", "sh", "-c", 'printf %s "$DKENV_EXEC_TOKEN"').stdout
    assert token.startswith(b"agent-")  # dkenv exec through the agent: its socket folder is writable
    walled.dkenv("exec", "sh", "-c", "echo inside > written-inside.txt && echo edited >> .idea/workspace.xml "
                                     '&& echo "ls" >> "$HISTFILE"')
    assert (root / "written-inside.txt").read_text() == "inside\n"
    assert (root / ".idea" / "workspace.xml").read_text() == "<project/>\nedited\n"  # writable = [".idea"]
    assert "ls" in (root / "data" / "dkenv" / "history" / "bash_history").read_text().splitlines()
    status = walled.dkenv("exec", "git", "status", "--porcelain", check=False)
    assert status.returncode == 0, status.stderr  # git inside reads the read-only .git
    assert b"written-inside.txt" in status.stdout
    log = walled.dkenv("exec", "git", "log", "--format=%s", check=False)
    assert log.returncode == 0 and b"initial" in log.stdout, log.stderr


def test_a_link_planted_in_place_of_the_socket_is_not_followed(walled, tmp_path):
    """The socket's folder is writable from inside: a link there to another socket of the host
    user's (a listener of this test: SO_PEERCRED would let it pass) is refused by the shim and
    `dkenv exec`, which run the command through docker exec instead, and nothing connects."""
    bait = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    bait_path = tmp_path / "bait.sock"
    bait.bind(str(bait_path))
    bait.listen(8)
    sock = walled.root / ".dkenv" / "agent" / "agent.sock"
    try:
        planted = walled.dkenv("exec", "python", "-c",
                               f"import os; os.unlink({str(sock)!r}); os.symlink({str(bait_path)!r}, {str(sock)!r})")
        assert planted.returncode == 0 and sock.is_symlink()
        shim = run_shim(walled, "python", "-c", "import os; print(os.environ['DKENV_EXEC_TOKEN'][:6])")
        assert shim.returncode == 0, shim.stderr
        assert not shim.stdout.startswith(b"agent-")  # docker exec ran it
        token = walled.dkenv("exec", "sh", "-c", 'printf %s "$DKENV_EXEC_TOKEN"').stdout
        assert token and not token.startswith(b"agent-")
        assert select.select([bait], [], [], 0.5)[0] == []  # no connection ever reached the bait
    finally:
        bait.close()
        sock.unlink(missing_ok=True)
        subprocess.run(["docker", "restart", walled.container], check=True, capture_output=True, timeout=120)
    deadline = time.monotonic() + 60
    while not walled.dkenv("exec", "sh", "-c", 'printf %s "$DKENV_EXEC_TOKEN"').stdout.startswith(b"agent-"):
        assert time.monotonic() < deadline, "the agent did not come back"
        time.sleep(0.5)


def test_a_path_made_after_up_is_writable_until_the_next_up(walled):
    """Documented: not mounted while it did not exist; the next `up` mounts it (a recreate)."""
    folder = walled.root / ".devcontainer"
    folder.mkdir()
    target = f"{folder}/devcontainer.json"
    writes = f"open({target!r}, 'w').write('{{}}')"
    assert walled.dkenv("exec", "python", "-c", writes, check=False).returncode == 0
    walled.dkenv("up")
    refused = walled.dkenv("exec", "python", "-c", writes, check=False)
    assert refused.returncode != 0 and b"Read-only file system" in refused.stderr
