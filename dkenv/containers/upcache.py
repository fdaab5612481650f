"""The no-op `dkenv up` from a cache. `.dkenv/run/up.cache` keeps what the last no-op `up`
found (the wanted containers by name, config hash and healthcheck, and what it said), with
the state of every input that finding declared where it looked (dkenv/declared.py):
`.dkenv.toml` and the files it names (the env file, image.setup, the requirements...), the
name registry and the roots it names, the image's build inputs (the manifests the installer
copies, every file detection looked at, present or absent, when the config leaves something
to "auto"; the host's CA files), the IDE folders probed, the files `up` writes in `.dkenv/`
and `data/`, which `docker` and `dkenv` are on PATH, and dkenv's own files; and the values of
the environment variables it reads (VARIABLES). The next plain `dkenv up` checks those
with `stat` calls and the containers in /proc (noop.running_as_wanted: running, not paused),
and says the same lines: no TOML parsing, no validation, no hashing, no file rewritten.

The cache's first line (`key`) holds, besides, what no path shows: its format, dkenv's
version and folder, the Python running it (and the file it is), how dkenv was started (the
IDE interpreter bakes that in), the host user (UID, GID, name: a passwd entry) and the root.
Any difference, a damaged or torn file, a finding that could not be trusted (a racy file,
an Engine asked): the full no-op check runs, as before the cache, and writes it again when it
finds nothing to do.
"""
from __future__ import annotations

import os
import sys

from dkenv import declared

NAME = "up.cache"
MAGIC = "dkenv-up-cache 2"
END = "END"
SEP = "\0"
# every variable the no-op check reads (tests/unit/containers/test_upcache.py checks the list):
# the registry's folder, the home (the IDE folders, `~`), PATH (docker, dkenv), the engine
# selected, the project's folder, the user's name when the passwd has none
VARIABLES = ("HOME", "PATH", "XDG_STATE_HOME", "DOCKER_HOST", "DOCKER_CONTEXT", "DKENV_PROJECT", "USER")
PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def path(root: str) -> str:
    return os.path.join(root, ".dkenv", "run", NAME)


def skipped(root: str) -> tuple[str, ...]:
    """What the cache leaves out: the live state, which every hit checks by itself."""
    run = os.path.join(root, ".dkenv", "run")
    return ("/proc/", os.path.join(run, "container.pid"), os.path.join(run, "containers"), path(root))


def key(root: str) -> str:
    """The line the cache must start with to apply here and now."""
    import pwd

    from dkenv import __version__

    try:
        name = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        name = ""
    started = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return SEP.join([MAGIC, __version__, PACKAGE, sys.version, sys.executable, os.path.realpath(sys.executable),
                     started, f"{os.getuid()}:{os.getgid()}", name, root])


def declare_own_files() -> None:
    """dkenv's own files as inputs, so that an edited dkenv misses: its modules loaded by now
    (the check's), and its data files (templates, catalogs), which the check may have read."""
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and file.startswith(PACKAGE + os.sep):
            declared.path(file)
    for folder, dirs, files in os.walk(PACKAGE):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for file in files:
            if not file.endswith((".py", ".pyc")):
                declared.path(os.path.join(folder, file))


def variables() -> dict[str, str]:
    return {name: repr(os.environ.get(name)) for name in VARIABLES}


def hit(root: str) -> list[str] | None:
    """What the no-op `up` says, when the cache holds: None otherwise."""
    try:
        with open(path(root), encoding="utf-8") as f:
            lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if not lines[0].startswith(MAGIC + SEP) or lines[-2:] != [END, ""] or lines[0] != key(root):
        return None
    parsed = _parse(lines[1:-2])
    if parsed is None:
        return None
    paths, env, wanted, said = parsed
    if not said or env != variables() or not noop_running(root, wanted) or declared.changed(paths):
        return None
    return said


def noop_running(root: str, wanted: list[tuple[str, str, bool]]) -> bool:
    from dkenv.containers import noop

    return noop.running_as_wanted(root, wanted)


def _parse(lines: list[str]):
    paths, env, wanted, said = [], {}, [], []
    for line in lines:
        kind, _, rest = line.partition(SEP)
        fields = rest.split(SEP)
        if kind == "F" and len(fields) == 3:
            paths.append((fields[2], fields[0], fields[1]))
        elif kind == "E" and len(fields) == 2:
            env[fields[0]] = fields[1]
        elif kind == "C" and len(fields) == 3 and fields[2] in ("0", "1"):
            wanted.append((fields[0], fields[1], fields[2] == "1"))
        elif kind == "O":
            said.append(rest)
        else:
            return None
    return paths, env, wanted, said


def store(root: str, seen: declared.Collecting, wanted: list[tuple[str, str, bool]], said: list[str]) -> bool:
    """Write the cache of a no-op `up` whose inputs `seen` collected; False when it cannot be
    (an untrusted finding, a name that does not fit the format)."""
    paths = seen.finish(skipped(root))
    if paths is None:
        return False
    lines = [key(root)]
    lines += [SEP.join(["F", how, was, where]) for where, how, was in paths]
    lines += [SEP.join(["E", name, value]) for name, value in variables().items()]
    lines += [SEP.join(["C", name, config_hash, "1" if health else "0"]) for name, config_hash, health in wanted]
    lines += [SEP.join(["O", line]) for line in said]
    if any("\n" in line for line in lines) or any(SEP in line for line in said):
        return False
    from pathlib import Path

    from dkenv import fileio

    try:
        fileio.write_atomic(Path(path(root)), "\n".join([*lines, END, ""]))
    except Exception:  # a cache (FatalError from fileio): the next no-op `up` tries again
        return False
    return True
