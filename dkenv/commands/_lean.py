"""The lean `dkenv exec`: straight to the project container when it is known running, without
loading click, tomlkit or the Docker SDK (dkenv/entry.py calls it before the CLI, inside the
one error boundary, dkenv/boundary.py); the lean no-op `dkenv up` is _leanup.py.

It takes the common forms only, `dkenv [-C DIR] exec [-e K=V]... [--user U] [--] ARGV...`,
read with click's grammar for them (`parse`; tests/unit/commands/test_lean.py feeds the same
argvs to the click command), and only when everything is as the last full run left it:
`.dkenv/run/exec.cache` (written by `_ready.running_project` once the project was opened and
validated) names this dkenv version, this root and this very `.dkenv.toml` (its `stat` state,
else its sha256: hashing.py); the pid file says the container runs (exec/pidfile.py); the cwd
is in the project. The root is found as the CLI finds it (project/root.py). Anything else
(another option, a changed config, a stopped container, a container this machine cannot see
(a remote engine: PID "-"), another engine selected than at `up`, a cwd outside) returns
None, and the full CLI does what it always does, errors included. Commands run as the
record's user (the engine's identity: 0:0 on rootless Docker), the docker CLI pinned to its
engine, through the exec agent, else by becoming the shims' docker exec runner (shell/exec.sh,
which sources shell/run.sh): no Python process waits in the middle.
"""
from __future__ import annotations

import os

from dkenv.errors import UsageError
from dkenv.project import root as root_search

CACHE = "exec.cache"
MAGIC = "dkenv-exec-cache 2"
RACY = "racy"  # the config had just changed when the cache was written: its digest decides
RUNNER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "shell", "exec.sh")


class _Project:
    """What running a command needs of a project: its root and its container's name."""

    def __init__(self, root: str, container: str):
        self.root = root
        self.container = container


def parse_global(args: list[str], verb: str) -> tuple[str | None, list[str]] | None:
    """(-C DIR, what follows `verb`) when the group's options before it are only -C (as click
    reads it: `-C DIR`, `-CDIR`, the last one wins), else None (-v, --progress, --help...)."""
    directory = None
    while args and args[0] != verb:
        if args[0] == "-C" and len(args) > 1:
            directory, args = args[1], args[2:]
        elif args[0].startswith("-C") and len(args[0]) > 2:
            directory, args = args[0][2:], args[1:]
        else:
            return None
    return (directory, args[1:]) if args else None


def parse_env(pairs: list[str]) -> dict[str, str]:
    """`-e K=V`... as a mapping (the full `dkenv exec` reads them so too)."""
    env = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"dkenv: -e takes KEY=VALUE, not {pair!r}")
        env[key] = value
    return env


def parse(args: list[str]) -> tuple[str | None, dict[str, str], str | None, list[str]] | None:
    """(-C DIR, -e variables, --user, ARGV) of the common forms, or None. exec's declaration
    (cli/container.py): `-e/--env K=V` (multiple), `--user U`, then ARGV, unprocessed, from the
    first word that is not one of those options (or after `--`); an option it does not know
    (click would pass it on as ARGV, --help...) and a bad pair are the CLI's."""
    found = parse_global(args, "exec")
    if found is None:
        return None
    directory, args = found
    pairs: list[str] = []
    user = None
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
        else:
            pairs.append(value)
    try:
        env = parse_env(pairs)
    except UsageError:
        return None  # the CLI's message
    return (directory, env, user, args) if args else None


def start_folder(directory: str | None) -> str | None:
    """Where the root is searched from, as the CLI searches it (project/root.py: -C,
    $DKENV_PROJECT, the cwd: None); "" when that folder does not exist (the CLI's error)."""
    start = root_search.start(directory)
    if start and not os.path.isdir(start):
        return ""
    return start


def _config(root: str) -> str:
    return os.path.join(root, root_search.CONFIG_NAME)


def cached_container(root: str) -> str | None:
    """The container's name the cache holds, when it still describes this config and dkenv:
    the config's `stat` state as written, else (touched, or written moments after a change) its
    sha256 as written."""
    from dkenv import __version__, declared

    if os.path.islink(os.path.join(root, ".dkenv")) or os.path.islink(os.path.join(root, ".dkenv", "run")):
        return None  # the full CLI refuses it (project/ownfolders.py)
    try:
        with open(os.path.join(root, ".dkenv", "run", CACHE), encoding="utf-8") as f:
            lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if len(lines) < 6 or lines[:3] != [MAGIC, __version__, root] or not lines[3]:
        return None
    if lines[5] == RACY or declared.state(_config(root)) != lines[5]:
        from dkenv import hashing

        if hashing.file_sha256(_config(root)) != lines[4]:
            return None
    return lines[3]


def remember(project) -> None:
    """After a full open (validated) and with the container running: what the lean path needs."""
    from dkenv import __version__, declared, fileio, hashing

    root = str(project.root)
    config = _config(root)
    was = declared.settled(config) or RACY  # read before the digest: a change after it shows
    digest = hashing.file_sha256(config)
    if digest is None:
        return
    text = f"{MAGIC}\n{__version__}\n{root}\n{project.container}\n{digest}\n{was}\n"
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
    root = root_search.find(start)
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
    becomes it), else (no setsid) execution.run. Errors are the boundary's (entry.py)."""
    from dkenv.exec import agent

    tty = os.isatty(0) and os.isatty(1)
    code = agent.run(project, argv, workdir=cwd, env=env, user=user, tty=tty)
    if code is None:
        exec_runner(project, argv, cwd, env, user, tty, cli_env)  # returns only when it cannot
        from dkenv.exec import execution

        code = execution.run(project, argv, workdir=cwd, env=env, user=user, tty=tty, cli_env=cli_env,
                             try_agent=False)
    return code


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
    import signal

    environ = cli.pinned_environ(cli_env) if cli_env else os.environ
    ignored = [s for s in (signal.SIGPIPE, getattr(signal, "SIGXFSZ", None)) if s is not None]
    for signum in ignored:  # Python ignores them; an exec would pass that on to the command
        signal.signal(signum, signal.SIG_DFL)
    try:
        os.execve("/bin/sh", runner_args(project, argv, cwd, env, user, docker), environ)
    except OSError:
        for signum in ignored:
            signal.signal(signum, signal.SIG_IGN)
