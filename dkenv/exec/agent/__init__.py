"""The exec agent: a process of the project container that starts commands for the host
user without `docker exec`, so without the Engine's round trip (docs/design.md, "The exec
agent"). server.py runs in the container; client.py on the host, imported by `dkenv exec`
and run as a file by the shims.

This module is the host side's glue, light on purpose (the lean `dkenv exec` path imports
it): where the agent's files are (`.dkenv/run/agent.py`, copied there by `up` as a file of
the project container's spec, read-only in the container like all of `.dkenv/`; the socket
`.dkenv/agent/agent.sock`, in the one folder of `.dkenv/` the container may write:
containers/boundary.py), how the container starts it, and `run`, which
`exec/execution.run` tries before `docker exec`.
"""
from __future__ import annotations

import os
import stat

from dkenv import declared
from dkenv.imagepaths import VENV

SCRIPT = "agent.py"  # in .dkenv/run/
SOCKET = "agent.sock"  # in .dkenv/agent/ (SOCKET_DIR)
SOCKET_DIR = "agent"
SWITCH = "DKENV_AGENT"  # "0": never use the agent (also set by a shim's client when it falls back)
PYTHON = f"{VENV}/bin/python"
# the project container's process, under docker-init: the agent ($1, run by the venv's Python $2,
# its socket in the folder $3) when its file and the Python are there, else (or once it ended)
# `sleep infinity`, the container's process before the agent; `docker stop`'s SIGTERM reaches
# the agent, which removes its socket
BOOT = ('trap \'kill -TERM "$a" 2>/dev/null; wait "$a"; exit 143\' TERM; a=; '
        'if [ -r "$1" ] && [ -x "$2" ]; then "$2" -I -S "$1" "$3" & a=$!; wait "$a"; fi; '
        'exec sleep infinity')


def run_dir(project) -> str:
    return os.path.join(str(project.root), ".dkenv", "run")


def socket_dir(project) -> str:
    """The folder of the socket, mounted writable into the project container over `.dkenv/`
    (read-only there): the agent's socket is all it holds."""
    return os.path.join(str(project.root), ".dkenv", SOCKET_DIR)


def socket_path(project) -> str:
    return os.path.join(socket_dir(project), SOCKET)


def script_path(project) -> str:
    return os.path.join(run_dir(project), SCRIPT)


def client_path() -> str:
    """client.py, which the shims run with `python3 -I -S`."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "client.py")


def script_text() -> str:
    server = declared.path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "server.py"))
    with open(server, encoding="utf-8") as f:  # a file, not a module: declared (a cached no-op `up` rests on it)
        return f.read()


def entrypoint(project, first: str = "") -> tuple[list[str], list[str]]:
    """The project container's entrypoint and command: `first` (shell text that returns at
    once) then BOOT, with the agent's file, the Python and the socket's folder."""
    return ["/bin/sh", "-c", first + BOOT, "dkenv-agent"], [script_path(project), PYTHON, socket_dir(project)]


def host_files(project) -> dict[str, str]:
    """The agent's file, written by `up` before the container starts (in its config hash: a new
    agent recreates the container)."""
    return {script_path(project): script_text()}


def enabled() -> bool:
    return os.environ.get(SWITCH, "") not in ("0", "fallback", "off", "no", "false")


def usable(project, *, tty: bool) -> bool:
    """May the agent take this command? Without a terminal on both ends (those keep `docker
    exec -it`, which gives the command a controlling terminal), when the socket is there and
    belongs to this user: the agent's UID is the host user's, as the engine maps it (the host
    UID on a rootful engine and with Podman's keep-id, container root on rootless Docker).
    A socket itself, not a link (the container may write its folder: a link would lead the
    client to another of this user's sockets on the host). The agent itself refuses a user
    other than its own (then `docker exec` runs it)."""
    if tty or not enabled():
        return False
    try:
        st = os.lstat(socket_path(project))
    except OSError:
        return False
    return stat.S_ISSOCK(st.st_mode) and st.st_uid == os.getuid()


def run(project, argv: list[str], *, workdir: str, env: dict[str, str] | None = None,
        user: str | None = None, tty: bool = False) -> int | None:
    """The command's exit status through the agent, or None when it did not take it (nothing
    was started: the caller uses `docker exec`)."""
    if not usable(project, tty=tty):
        return None
    from dkenv.exec.agent import client

    pairs = [os.fsencode(f"{key}={value}") for key, value in (env or {}).items()]
    user = user or f"{os.getuid()}:{os.getgid()}"  # the pid file's (the engine's identity), else the host user
    return client.call(os.fsencode(socket_path(project)), os.fsencode(workdir), pairs,
                       [os.fsencode(arg) for arg in argv], user.encode())
