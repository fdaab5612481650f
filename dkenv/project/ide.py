"""The IDE side of a project: which host folders holding the IDEs' own helper scripts the
project container mounts read-only at the path named (`[ide] mounts`, else the ones
detected), and which variables the interpreter `.dkenv/bin/python` passes from the IDE.

An IDE runs its helpers (VS Code's `python_files/*.py`, debugpy's adapter, PyCharm's
`helpers/`) with the project interpreter, by absolute host path: with those folders at
that path inside, the interpreter can run them in the container.

A mount is judged on what it really is: `~` expanded, `//` and `..` collapsed, and its
symbolic links followed (os.path.realpath); both that and the path as written must pass. The
real folder is what is mounted (the source), at the path as named or detected (the target,
where the IDE's tools look: `~/.vscode-server` a link to `~/disk/vscode-server` is mounted
from the latter at the former). The rule is an allow rule: a folder in the home (not the
home, not a folder of credentials or of a container engine, nor one holding them), or an
IDE's installation named in CANDIDATES (`/opt/pycharm*`, the PyCharm snaps); then never a
system folder, the project, nor a folder of the image. `mounts` judges each again just
before use. Pure but for the file system's answers (and the engine's socket path).
"""
from __future__ import annotations

import fnmatch
import glob
import os
import re
from typing import NamedTuple

from dkenv import declared

# where the IDEs keep their helpers, per user (each mounted whole, read-only, when it exists)
CANDIDATES = (
    "~/.vscode/extensions", "~/.vscode-insiders/extensions", "~/.vscode-oss/extensions",
    "~/.vscode-server", "~/.vscode-server-insiders",
    "~/.cursor/extensions", "~/.cursor-server",
    "~/.local/share/JetBrains",  # Toolbox installs (PyCharm's helpers/) and plugins
    "~/.cache/JetBrains",  # PyCharm's caches of helpers and stubs
    "/opt/pycharm*", "/snap/pycharm-community", "/snap/pycharm-professional",
)
# the IDEs' installations outside the home that may be mounted (they and the folders in them)
SYSTEM_IDE = tuple(c for c in CANDIDATES if not c.startswith("~/"))
# the system's and the container engines' own: a mount may not be, hold or sit inside them
SYSTEM = ("/etc", "/proc", "/sys", "/dev", "/run", "/var/run", "/var/lib/docker", "/var/lib/containers",
          "/var/snap/docker", "/boot")
HOMES = ("/home", "/root", "/Users")  # every user's home: a mount may not be or hold them
# the image's own folders: a mount may not be, hold or sit inside them (it would hide them)
HOLDS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr", "/etc", "/proc", "/sys", "/dev",
         "/boot", "/run", "/var", "/tmp", "/root", "/opt/venv", "/opt/dkenv-tools", "/opt/python")
INSIDE = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr/bin", "/usr/sbin", "/usr/lib",
          "/usr/libexec", "/usr/include", "/usr/local/bin", "/usr/local/lib", "/etc", "/proc", "/sys", "/dev",
          "/opt/venv", "/opt/dkenv-tools", "/opt/python", "/var/lib/dkenv")
# credentials in the home: a mount may not be, hold or sit inside them (the code the container
# runs, a dependency's included, could read them)
SECRETS = (".ssh", ".gnupg", ".aws", ".azure", ".kube", ".docker", ".config/gcloud", ".config/gh", ".config/hub",
           ".config/git", ".config/containers", ".config/op", ".config/rclone", ".password-store",
           ".local/share/keyrings", ".local/share/kwalletd", ".netrc", ".pypirc", ".git-credentials", ".npmrc",
           ".terraform.d", ".vault-token", ".m2", ".gem/credentials", ".cargo/credentials.toml",
           ".mozilla", ".config/google-chrome", ".config/chromium", ".config/BraveSoftware")
# the container engines' sockets and data in the home (Docker Desktop's is in ~/.docker)
ENGINES = (".colima", ".lima", ".rd", ".orbstack", ".local/share/containers", ".local/share/docker",
           ".docker")
# variables the interpreter always passes from the IDE's environment when they are set: Python's
# own, and those the debuggers hand their launcher (debugpy's port for a launch in a terminal)
PASSED_ENV = ("PYTHONPATH", "PYTHONUNBUFFERED", "PYTHONIOENCODING", "PYTHONWARNINGS", "PYTHONUTF8",
              "PYTHONDEVMODE", "PYTHONFAULTHANDLER", "PYTHONBREAKPOINT", "PYTHONDONTWRITEBYTECODE",
              "PYTHONHASHSEED", "PYTHONTRACEMALLOC", "PYTHONASYNCIODEBUG", "PYTHONSAFEPATH",
              "DEBUGPY_LAUNCHER_PORT", "DEBUGPY_LOG_DIR", "DEBUGPY_LOG_STDERR", "PYCHARM_HOSTED")
# variables that describe the host: the container has its own (PYTHONPYCACHEPREFIX: the
# image's keeps bytecode in the container; a host folder could be the mounted source)
HOST_ONLY = ("PATH", "HOME", "USER", "LOGNAME", "SHELL", "PWD", "OLDPWD", "HOSTNAME", "TERM", "TMPDIR",
             "VIRTUAL_ENV", "PYTHONHOME", "PYTHONEXECUTABLE", "PYTHONUSERBASE", "PYTHONPLATLIBDIR",
             "PYTHONSTARTUP", "PYTHONPYCACHEPREFIX", "LD_LIBRARY_PATH", "LD_PRELOAD", "DKENV_EXEC_TOKEN",
             "DKENV_PROJECT")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def home() -> str:
    return os.path.expanduser("~")


def clean(path: str) -> str:
    """`path` with `//` and `..` collapsed as the kernel reads them (os.path.normpath keeps a
    leading `//`); may stay relative."""
    path = os.path.normpath(path) if path else path
    return "/" + path.lstrip("/") if path.startswith("//") else path


def expand(path: str) -> str:
    """`~` expanded and the path normalized (no trailing `/`, no `..`, no `//`); may stay relative."""
    return clean(os.path.expanduser(path))


def _within(path: str, folder: str) -> bool:
    """`path` is `folder` or under it (both normalized, absolute)."""
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _both(path: str) -> list[str]:
    """The path as written (cleaned) and as it really is (its links followed): once each."""
    return list(dict.fromkeys([clean(path), os.path.realpath(path)]))


def problem(path: str, root: str, user_home: str) -> str | None:
    """Why the expanded `path` cannot be an [ide] mount of the project at `root`, or None."""
    return Rules(root, user_home).problem(path)


class Rules:
    """What a mount of the project at `root` may not be, hold or sit in, for this home and
    engine: made once, each folder judged as written and as it really is (links followed)."""

    def __init__(self, root: str, user_home: str):
        self.homes, self.roots = _both(user_home), _both(root)
        guarded = [*((s, "your credentials") for s in SECRETS),
                   *((e, "a container engine's socket or data") for e in ENGINES)]
        self.guarded = list(dict.fromkeys((folder, what) for home in self.homes for rel, what in guarded
                                          for folder in _both(os.path.join(home, rel))))
        self.socket = engine_socket()

    def problem(self, path: str) -> str | None:
        """Why the expanded `path` cannot be a mount, or None; judged on the path as written
        and on what it really is."""
        if not os.path.isabs(path):
            return "must be an absolute path (or start with ~/)"
        for candidate in _both(path):
            why = self._refused(candidate)
            if why:
                real = os.path.realpath(path)
                return why if real == clean(path) else f"{why} ({clean(path)} is {real} once its links are followed)"
        return None

    def _refused(self, path: str) -> str | None:
        if path == "/":
            return "/ would hide the whole image"
        for user_home in self.homes:
            if _within(user_home, path):
                return f"{path} holds your home folder ({user_home}); name the IDE's folder in it instead"
        for root in self.roots:
            if _within(root, path):
                return f"{path} holds the project, which is mounted already"
            if _within(path, root):
                return f"{path} is inside the project, which is mounted already"
        for folder, what in self.guarded:
            if _within(folder, path) or _within(path, folder):
                return f"{path} would give the container {what} in {folder}"
        if self.socket and _within(self.socket, path):
            return f"{path} holds the container engine's socket {self.socket} (root on this machine)"
        return self._system(path)

    def _system(self, path: str) -> str | None:
        for folder in HOLDS:
            if _within(folder, path):
                return f"{path} would hide the image's {folder}"
        for folder in INSIDE:
            if _within(path, folder):
                return f"{path} would hide part of the image's {folder}"
        for folder in SYSTEM:
            if _within(path, folder) or _within(folder, path):
                return f"{path} is, holds or is in the system's {folder}, which the container may not see"
        for folder in HOMES:
            if _within(folder, path):
                return f"{path} holds every user's home ({folder})"
        if not any(_within(path, h) for h in self.homes if h != "/") and not _system_ide(path):
            return (f"{path} is neither a folder in your home nor an IDE's installation "
                    f"({', '.join(SYSTEM_IDE)}); the container may see those only")
        return None


def _system_ide(path: str) -> bool:
    """`path` is an IDE installation named in SYSTEM_IDE, or a folder in one."""
    parts = path.strip("/").split("/")
    for pattern in SYSTEM_IDE:
        want = pattern.strip("/").split("/")
        if len(parts) >= len(want) and all(fnmatch.fnmatchcase(p.lower(), w.lower()) for p, w in zip(parts, want)):
            return True
    return False


def engine_socket() -> str | None:
    """The real path of the Unix socket of the engine the docker CLI would use, if any."""
    from dkenv.engine import endpoint

    try:
        host = endpoint.resolve().host
    except Exception:  # an unreadable context: the default socket is still protected
        host = endpoint.DEFAULT_HOST
    if not host.startswith("unix://"):
        return None
    return os.path.realpath(host[len("unix://"):])


def env_problem(name: str) -> str | None:
    if not _NAME.match(name):
        return f"{name!r} is not a variable name"
    if name in HOST_ONLY:
        return f"{name} describes the host; the container has its own"
    return None


def detected(user_home: str | None = None) -> list[str]:
    """The CANDIDATES that exist here as folders."""
    user_home = user_home or home()
    found = []
    for pattern in CANDIDATES:
        full = os.path.join(user_home, pattern[2:]) if pattern.startswith("~/") else pattern
        if "*" in full:
            declared.listing(os.path.dirname(full))  # a wildcard in the last part only
        for path in sorted(glob.glob(full)) if "*" in full else [full]:
            if os.path.isdir(declared.path(path)):
                found.append(clean(path))
    return found


class Folder(NamedTuple):
    """An IDE folder: `source` the host folder as it really is (links followed: what is judged
    and mounted), `target` where the container has it, the path as named or detected (the
    IDE's tools use that name). The same path when no link is on the way."""
    source: str
    target: str


def _covers(outer: Folder, inner: Folder) -> bool:
    """`inner` is reachable inside the container through `outer`: its folder is in outer's,
    at the same place under outer's target."""
    if not _within(inner.source, outer.source):
        return False
    rest = inner.source[len(outer.source):].lstrip("/")
    return inner.target == (os.path.join(outer.target, rest) if rest else outer.target)


def mounts(config) -> list[Folder]:
    """The folders the project container mounts read-only: judged and mounted from what they
    really are (links followed), at the path named (`[ide] mounts`, those that exist here) or
    detected; never one `problem` refuses (judged again now: a configured one that fails is
    one line, FatalError; a detected one is skipped), nor one another mount already shows at
    its name. One whose name lies inside another mount's, through a link in that folder, is
    mounted at its real path, where that link leads (a mount point is never made in a
    folder mounted read-only)."""
    from dkenv.errors import FatalError

    user_home = home()
    configured = config.ide.mounts is not None
    wanted = [expand(p) for p in config.ide.mounts] if configured else detected(user_home)
    chosen: list[Folder] = []
    rules = Rules(str(config.root), user_home) if wanted else None
    for path in wanted:
        real = os.path.realpath(declared.path(path))
        if not os.path.isabs(path) or not os.path.isdir(declared.path(real)):
            continue
        bad = rules.problem(path)
        if bad and configured:
            raise FatalError(f"dkenv: {config.path}: ide.mounts: {path!r}: {bad}; not mounted")
        if bad:
            continue
        folder = Folder(real, path)
        if not any(_covers(other, folder) for other in chosen):
            chosen = [other for other in chosen if not _covers(folder, other)] + [folder]
    return [Folder(f.source, f.source) if any(f.target != o.target and _within(f.target, o.target) for o in chosen) else f
            for f in chosen]


def targets(folders: list[Folder]) -> list[str]:
    """Where the container has the folders (the paths the IDE uses)."""
    return list(dict.fromkeys(f.target for f in folders))


def passed_env(config) -> list[str]:
    """The variables the interpreter passes from the IDE: PASSED_ENV, then `[ide] env`."""
    return list(dict.fromkeys([*PASSED_ENV, *config.ide.env]))
