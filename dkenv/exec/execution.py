"""Running a command in the project container as if it ran on the host: through the exec
agent (exec/agent) when it takes the command, else with the docker CLI, below.

Same cwd (the source is mounted at the same path), the host user's UID:GID, the
argv as a list (never re-joined into a shell string), stdin and stdout streamed by
the docker client untouched, a TTY only when stdin and stdout are terminals, and the
command's own exit status.

Signals: with a TTY, Ctrl-C travels through the container's terminal. Without one,
`docker exec` forwards nothing and the Engine has no exec-kill call, so every command
carries a unique DKENV_EXEC_TOKEN in its environment; on SIGINT/SIGTERM/SIGHUP dkenv
signals, through a second exec run as the command's own user (root in the container
cannot read a non-root process's environment without CAP_SYS_PTRACE), every process in
the container that carries it. When the docker client itself dies of a signal (SIGPIPE:
the host reader went away; SIGHUP: its terminal closed), the command gets that signal
the same way. A killed dkenv leaves nothing behind: its watchdog (watchdog.py) kills the
docker client and ends the command in the container.
"""
from __future__ import annotations

import os

from dkenv.engine.cli import docker_cli, pinned_environ
from dkenv.exec import agent, watchdog
from dkenv.errors import UsageError

# the lean `dkenv exec` imports this module for its texts: no config machinery, nor typing,
# pathlib, shutil, subprocess or signal (signal imports enum) at import
TYPE_CHECKING = False
if TYPE_CHECKING:
    from dkenv.project.project import Project

TOKEN_VAR = "DKENV_EXEC_TOKEN"
# run as the command's user in the container: signal $2 to every process whose environment holds token $1
KILLER_SCRIPT = ('for p in /proc/[0-9]*; do grep -qz "^DKENV_EXEC_TOKEN=$1\\$" "$p/environ" 2>/dev/null'
                 ' && kill -s "$2" "${p#/proc/}" 2>/dev/null; done; exit 0')
# every command starts as `sh -c LAUNCHER dkenv ARGV...`: a command that cannot run gets one
# dkenv line and a shell's status, 127 not found, 126 not executable (docker itself would
# say 126 and an OCI error, sh "1: exec: ...: Permission denied"), then exec, so the
# command is the process that gets the signals
LAUNCHER = ('w="in the container"; case $1 in '
            '*/*) if [ ! -e "$1" ]; then printf "dkenv: %s: no such file %s\\n" "$1" "$w" >&2; exit 127; '
            'elif [ -d "$1" ]; then printf "dkenv: %s: not executable %s (a directory)\\n" "$1" "$w" >&2; exit 126; '
            'elif [ ! -x "$1" ]; then printf "dkenv: %s: not executable %s (permission denied)\\n" "$1" "$w" >&2; '
            'exit 126; fi ;; '
            '*) command -v "$1" >/dev/null 2>&1 || '
            '{ printf "dkenv: %s: command not found %s\\n" "$1" "$w" >&2; exit 127; } ;; esac; '
            'exec "$@"')


def host_ids() -> str:
    """"UID:GID" of the host user (hostuser.ids, without its imports)."""
    return f"{os.getuid()}:{os.getgid()}"


def container_cwd(project: Project, cwd: str | None = None) -> str:
    """The cwd inside: the same path, which must be under the project root."""
    from pathlib import Path

    here = Path(cwd or os.getcwd()).absolute()
    root = project.root
    if here != root and root not in here.parents:
        raise UsageError(f"dkenv: the current directory {here} is outside the project {root}; "
                         f"cd into it or use `dkenv -C {root} exec ...`")
    return str(here)


def wants_tty() -> bool:
    return os.isatty(0) and os.isatty(1)


def exec_args(project: Project, argv: list[str], *, workdir: str, env: dict[str, str] | None = None,
              user: str | None = None, tty: bool, token: str) -> list[str]:
    """The docker CLI's argv for one command (the command's argv is appended unchanged)."""
    args = [docker_cli(), "exec", "-i"]
    if tty:
        args += ["-t", "-e", f"TERM={os.environ.get('TERM', 'xterm')}"]
    args += ["-u", user or host_ids(), "-w", workdir, "-e", f"{TOKEN_VAR}={token}"]
    for key, value in (env or {}).items():
        args += ["-e", f"{key}={value}"]
    return [*args, project.container, "sh", "-c", LAUNCHER, "dkenv", *argv]


def cli_environ(cli_env: dict[str, str] | None) -> dict[str, str] | None:
    """The docker CLI's environment: ours, pinned to the project's engine (engine/endpoint.py)."""
    if not cli_env:
        return None
    return pinned_environ(cli_env)


def signal_command(project: Project, token: str, signum: int, user: str | None = None,
                   cli_env: dict[str, str] | None = None) -> None:
    """Deliver `signum` to the processes of one exec (and their children) inside the container,
    as their own user (who may read their /proc/PID/environ and signal them)."""
    import signal
    import subprocess

    name = signal.Signals(signum).name[3:]
    subprocess.run([docker_cli(), "exec", "-u", user or host_ids(), project.container, "sh", "-c",
                    KILLER_SCRIPT, "dkenv-kill", token, name], env=cli_environ(cli_env),
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run(project: Project, argv: list[str], *, workdir: str, env: dict[str, str] | None = None,
        user: str | None = None, tty: bool | None = None, cli_env: dict[str, str] | None = None,
        try_agent: bool = True) -> int:
    """Run argv in the (running) project container and return its exit status: through the
    exec agent when it takes the command (exec/agent), else `docker exec`; `cli_env`
    pins the docker CLI to the project's engine (pidfile.Record.cli_env)."""
    import signal
    import subprocess

    tty = wants_tty() if tty is None else tty
    code = agent.run(project, argv, workdir=workdir, env=env, user=user, tty=tty) if try_agent else None
    if code is not None:
        return code
    environ = cli_environ(cli_env)
    token = os.urandom(16).hex()
    args = exec_args(project, argv, workdir=workdir, env=env, user=user, tty=tty, token=token)
    sent: set[int] = set()

    def forward(signum, _frame):
        sent.add(signum)
        signal_command(project, token, signum, user, cli_env)

    # with a TTY, Ctrl-C is a byte on the terminal, delivered by the container's pty (SIGTERM
    # and a closed terminal's SIGHUP are forwarded); without one, the client runs in its own
    # session, so the terminal's Ctrl-C reaches dkenv only, which forwards it by token
    forwarded = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    handlers = {s: signal.SIG_IGN if tty and s == signal.SIGINT else forward for s in forwarded}
    lifeline = watchdog.start(args[0], user or host_ids(), project.container, token, env=environ)
    previous = {s: signal.signal(s, handler) for s, handler in handlers.items()}
    try:
        client = subprocess.Popen(args, env=environ, start_new_session=not tty)
        lifeline.child(client.pid)  # a killed dkenv: the watchdog kills the client too
        code = client.wait()
        if code < 0 and -code not in sent:
            # the client was killed (SIGPIPE: the host reader went away; SIGHUP: its terminal
            # closed...): the command gets the same signal, as a local one would
            signal_command(project, token, -code, user, cli_env)
        return _status(code)
    finally:
        lifeline.done()
        for s, handler in previous.items():
            signal.signal(s, handler)


def _status(code: int) -> int:
    """The docker client's exit status is the command's; a signal on the client maps to 128+N."""
    return 128 - code if code < 0 else code
