"""The IDE side of a project: which host folders holding the IDEs' own helper scripts the
project container mounts read-only at the same path (`[ide] mounts`, else the ones
detected), and which variables the interpreter `.dkenv/bin/python` passes from the IDE.

An IDE runs its helpers (VS Code's `python_files/*.py`, debugpy's adapter, PyCharm's
`helpers/`) with the project interpreter, by absolute host path: with those folders at
the same path inside, the interpreter can run them in the container. Pure but for the
file system checks of `detected` and `mounts`.
"""
from __future__ import annotations

import glob
import os
import re

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
# the image's own folders: a mount may not be, hold or sit inside them (it would hide them)
HOLDS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr", "/etc", "/proc", "/sys", "/dev",
         "/boot", "/run", "/var", "/tmp", "/root", "/opt/venv", "/opt/dkenv-tools", "/opt/python")
INSIDE = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr/bin", "/usr/sbin", "/usr/lib",
          "/usr/libexec", "/usr/include", "/usr/local/bin", "/usr/local/lib", "/etc", "/proc", "/sys", "/dev",
          "/opt/venv", "/opt/dkenv-tools", "/opt/python", "/var/lib/dkenv")
# credentials in the home: a mount may not be, hold or sit inside them (the code the container
# runs, a dependency's included, could read them)
SECRETS = (".ssh", ".gnupg", ".aws", ".azure", ".kube", ".docker", ".config/gcloud", ".config/gh",
           ".password-store", ".local/share/keyrings", ".netrc", ".pypirc", ".git-credentials")
# variables the interpreter always passes from the IDE's environment when they are set: Python's
# own, and those the debuggers hand their launcher (debugpy's port for a launch in a terminal)
PASSED_ENV = ("PYTHONPATH", "PYTHONUNBUFFERED", "PYTHONIOENCODING", "PYTHONWARNINGS", "PYTHONUTF8",
              "PYTHONDEVMODE", "PYTHONFAULTHANDLER", "PYTHONBREAKPOINT", "PYTHONDONTWRITEBYTECODE",
              "PYTHONHASHSEED", "PYTHONTRACEMALLOC", "PYTHONASYNCIODEBUG", "PYTHONSAFEPATH",
              "DEBUGPY_LAUNCHER_PORT", "DEBUGPY_LOG_DIR", "DEBUGPY_LOG_STDERR", "PYCHARM_HOSTED")
# variables that describe the host: the container has its own
HOST_ONLY = ("PATH", "HOME", "USER", "LOGNAME", "SHELL", "PWD", "OLDPWD", "HOSTNAME", "TERM", "TMPDIR",
             "VIRTUAL_ENV", "PYTHONHOME", "PYTHONEXECUTABLE", "PYTHONUSERBASE", "PYTHONPLATLIBDIR",
             "PYTHONSTARTUP", "LD_LIBRARY_PATH", "LD_PRELOAD", "DKENV_EXEC_TOKEN", "DKENV_PROJECT")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def home() -> str:
    return os.path.expanduser("~")


def expand(path: str) -> str:
    """`~` expanded and the path normalized (no trailing `/`, no `..`); may stay relative."""
    expanded = os.path.expanduser(path)
    return os.path.normpath(expanded) if expanded else expanded


def _within(path: str, folder: str) -> bool:
    """`path` is `folder` or under it (both normalized, absolute)."""
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def problem(path: str, root: str, user_home: str) -> str | None:
    """Why the expanded `path` cannot be an [ide] mount of the project at `root`, or None."""
    if not os.path.isabs(path):
        return "must be an absolute path (or start with ~/)"
    if path == "/":
        return "/ would hide the whole image"
    if _within(user_home, path):
        return f"{path} holds your home folder ({user_home}); name the IDE's folder in it instead"
    if _within(root, path):
        return f"{path} holds the project, which is mounted already"
    if _within(path, root):
        return f"{path} is inside the project, which is mounted already"
    for secret in SECRETS:
        folder = os.path.join(user_home, secret)
        if _within(folder, path) or _within(path, folder):
            return f"{path} would give the container your credentials in {folder}"
    for folder in HOLDS:
        if _within(folder, path):
            return f"{path} would hide the image's {folder}"
    for folder in INSIDE:
        if _within(path, folder):
            return f"{path} would hide part of the image's {folder}"
    return None


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
                found.append(os.path.normpath(path))
    return found


def mounts(config) -> list[str]:
    """The folders the project container mounts read-only at the same path: `[ide] mounts`
    (those that exist here), else the detected ones; never one that `problem` refuses, nor
    one inside another."""
    user_home = home()
    wanted = detected(user_home) if config.ide.mounts is None else [expand(p) for p in config.ide.mounts]
    chosen: list[str] = []
    for path in wanted:
        if not os.path.isdir(declared.path(path)) or problem(path, str(config.root), user_home):
            continue
        if not any(_within(path, other) for other in chosen):
            chosen = [other for other in chosen if not _within(other, path)] + [path]
    return chosen


def passed_env(config) -> list[str]:
    """The variables the interpreter passes from the IDE: PASSED_ENV, then `[ide] env`."""
    return list(dict.fromkeys([*PASSED_ENV, *config.ide.env]))
