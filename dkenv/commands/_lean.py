"""The lean `dkenv exec`: straight to the project container when it is known running, without
loading click, tomlkit or the Docker SDK (dkenv/entry.py calls it before the CLI); the lean
no-op `dkenv up` is _leanup.py.

It takes the common forms only, `dkenv [-C DIR] exec [-e K=V]... [--user U] [--] ARGV...`,
and only when everything is as the last full run left it: `.dkenv/run/exec.cache` (written by
`_ready.running_project` once the project was opened and validated) names this dkenv
version, this root and the sha256 of this very `.dkenv.toml`; the pid file says the
container runs (exec/pidfile.py); the cwd is in the project. Anything else (another
option, a changed config, a stopped container, a container this machine cannot see (a
remote engine: PID "-"), another engine selected than at `up`, a cwd outside) returns None,
and the full CLI does what it always does, errors included. Commands run as the record's
user (the engine's identity: 0:0 on rootless Docker), the docker CLI pinned to its engine,
through the exec agent, else by becoming the shims' docker exec runner (shell/exec.sh, which
sources shell/run.sh): no Python process waits in the middle.
"""
from __future__ import annotations

import os
import sys

CACHE = "exec.cache"
MAGIC = "dkenv-exec-cache 1"
CONFIG_NAME = ".dkenv.toml"
RUNNER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "shell", "exec.sh")


class _Project:
    """What running a command needs of a project: its root and its container's name."""

    def __init__(self, root: str, container: str):
        self.root = root
        self.container = container


def parse(args: list[str]) -> tuple[str | None, dict[str, str], str | None, list[str]] | None:
    """(-C DIR, -e variables, --user, ARGV) of the common forms, or None."""
    directory = None
    while args and args[0] != "exec":
        if args[0] == "-C" and len(args) > 1:
            directory, args = args[1], args[2:]
        elif args[0].startswith("-C") and len(args[0]) > 2:
            directory, args = args[0][2:], args[1:]
        else:
            return None  # -v, --help...: the CLI's
    env: dict[str, str] = {}
    user = None
    args = args[1:]
    while args and args[0].startswith("-"):
        word = args[0]
        if word == "--":
            args = args[1:]
            break
        if word in ("-e", "--env", "--user") and len(args) > 1:
            value, args = args[1], args[2:]
        elif word.startswith(("--env=", "--user=")):
            value, args = word.split("=", 1)[1], args[1:]
        elif word.startswith("-e") and len(word) > 2:
            value, args = word[2:], args[1:]
        else:
            return None
        if word.startswith("--user"):
            user = value
            continue
        key, sep, val = value.partition("=")
        if not sep or not key:
            return None  # the CLI's usage error
        env[key] = val
    return (directory, env, user, args) if args else None


def start_folder(directory: str | None) -> str | None:
    """Where the root is searched from, as config.locate_root does (-C, $DKENV_PROJECT, the
    cwd: None); "" when the lean path must leave it to the CLI (no such folder, a `..`)."""
    start = directory or os.environ.get("DKENV_PROJECT") or None
    if start and (".." in start.split("/") or not os.path.isdir(start)):
        return ""
    return start


def find_root(start: str | None) -> str | None:
    here = os.path.abspath(start) if start else os.getcwd()
    while True:
        if os.path.isfile(os.path.join(here, CONFIG_NAME)):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def config_hash(root: str) -> str | None:
    try:
        from _sha2 import sha256  # builtin: no OpenSSL to load (3.12+)
    except ImportError:
        try:
            from _sha256 import sha256
        except ImportError:
            from hashlib import sha256
    try:
        with open(os.path.join(root, CONFIG_NAME), "rb") as f:
            return sha256(f.read()).hexdigest()
    except OSError:
        return None


def cached_container(root: str) -> str | None:
    """The container's name the cache holds, when it still describes this config and dkenv."""
    from dkenv import __version__

    if os.path.islink(os.path.join(root, ".dkenv")) or os.path.islink(os.path.join(root, ".dkenv", "run")):
        return None  # the full CLI refuses it (project/ownfolders.py)
    try:
        with open(os.path.join(root, ".dkenv", "run", CACHE), encoding="utf-8") as f:
            lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if lines[:4] != [MAGIC, __version__, config_hash(root), root] or len(lines) < 5 or not lines[4]:
        return None
    return lines[4]


def remember(project) -> None:
    """After a full open (validated) and with the container running: what the lean path needs."""
    from dkenv import __version__, fileio

    root = str(project.root)
    digest = config_hash(root)
    if digest is None:
        return
    text = f"{MAGIC}\n{__version__}\n{digest}\n{root}\n{project.container}\n"
    target = project.work_dir / "run" / CACHE
    try:
        if target.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    try:
        fileio.make_dirs(target.parent)
        fileio.write_atomic(target, text)
    except (OSError, fileio.FatalError):
        pass  # a cache: the next full run tries again


def try_exec(args: list[str]) -> int | None:
    """The command's status, or None for the full CLI."""
    parsed = parse(args)
    if parsed is None:
        return None
    directory, env, user, argv = parsed
    start = start_folder(directory)
    if start == "":
        return None
    root = find_root(start)
    if root is None:
        return None
    container = cached_container(root)
    if container is None:
        return None
    from dkenv.exec import pidfile

    record = pidfile.running_at(root)  # a live init seen from here, for the engine selected now
    if record is None:
        return None
    cwd = os.getcwd()
    if cwd != root and not cwd.startswith(root.rstrip("/") + "/"):
        if not directory:
            return None  # the CLI's "outside the project" error
        cwd = root
    return _run(_Project(root, container), argv, cwd, env, user or record.user, record.cli_env)


def _run(project: _Project, argv: list[str], cwd: str, env: dict[str, str], user: str,
         cli_env: dict[str, str]) -> int:
    """As the record's user (the engine's identity) or --user's, the docker CLI pinned to the
    record's engine: through the agent, else the shims' docker exec runner (this process
    becomes it), else (no setsid) execution.run."""
    from dkenv.exec import agent

    tty = os.isatty(0) and os.isatty(1)
    try:
        code = agent.run(project, argv, workdir=cwd, env=env, user=user, tty=tty)
        if code is None:
            exec_runner(project, argv, cwd, env, user, tty, cli_env)  # returns only when it cannot
            from dkenv.exec import execution

            code = execution.run(project, argv, workdir=cwd, env=env, user=user, tty=tty, cli_env=cli_env,
                                 try_agent=False)
        return code
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130
    except BrokenPipeError:
        return 1
    except Exception as e:  # the CLI's boundary, as cli.main draws it
        from dkenv.errors import FatalError

        if isinstance(e, FatalError):
            sys.stderr.write(f"{e}\n")
            return e.exit_code
        from dkenv import crashlog

        sys.stderr.write(f"dkenv: unexpected error, please report it; details in {crashlog.write()}\n")
        return 3


def runner_args(project: _Project, argv: list[str], cwd: str, env: dict[str, str], user: str,
                docker: str) -> list[str]:
    """/bin/sh's argv for shell/exec.sh, which runs the command as a shim does (run.sh)."""
    from dkenv.exec import execution, watchdog

    args = ["/bin/sh", RUNNER, docker, user, cwd, os.path.join(project.root, ".dkenv", "run"),
            execution.TOKEN_VAR, execution.KILLER_SCRIPT, watchdog.WATCHER, watchdog.REAPER, project.container]
    for key, value in env.items():
        args += ["-e", f"{key}={value}"]
    return [*args, project.container, "sh", "-c", execution.LAUNCHER, "dkenv", *argv]


def exec_runner(project: _Project, argv: list[str], cwd: str, env: dict[str, str], user: str, tty: bool,
                cli_env: dict[str, str]) -> None:
    """Become the shims' docker exec runner (no Python left waiting: its signals, watchdog,
    SIGPIPE and status are a shim's); return only when that cannot be (no docker CLI, no
    setsid without a terminal), for execution.run."""
    from dkenv.engine import cli

    docker = cli.which("docker")
    if docker is None or not tty and cli.which("setsid") is None or not os.path.isfile(RUNNER):
        return
    import _signal

    environ = cli.pinned_environ(cli_env) if cli_env else os.environ
    ignored = [s for s in (_signal.SIGPIPE, getattr(_signal, "SIGXFSZ", None)) if s is not None]
    for signum in ignored:  # Python ignores them; an exec would pass that on to the command
        _signal.signal(signum, _signal.SIG_DFL)
    try:
        os.execve("/bin/sh", runner_args(project, argv, cwd, env, user, docker), environ)
    except OSError:
        for signum in ignored:
            _signal.signal(signum, _signal.SIG_IGN)
