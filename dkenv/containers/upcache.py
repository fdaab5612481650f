"""The no-op `dkenv up` from a cache. `.dkenv/run/up.cache` keeps what the last no-op `up`
found (the wanted containers by name, config hash and healthcheck, and what it said),
with a recording (dkenv/recorder.py) of everything that finding read: `.dkenv.toml`, the
manifests and lock files, the env file, the host's CA files, the IDE folders, the name
registry, the generated files in `.dkenv/`, which `docker` and `dkenv` are on PATH, the
environment variables it looked at... The next plain `dkenv up` checks that recording with
`stat` calls and the containers in /proc (noop.running_as_wanted), and says the same lines:
no TOML parsing, no validation, no hashing of the build inputs, no file rewritten.

The cache is keyed, besides, on what a recording cannot see: its format, dkenv's version,
the Python running it, how dkenv was started (the IDE interpreter bakes that in), the host
user (UID, GID, name), the root, and the sha256 of `.dkenv.toml`. Any difference, a damaged
or torn file, a recording that could not be trusted: the full no-op check runs, as before
the cache, and writes it again when it finds nothing to do.
"""
from __future__ import annotations

import os
import sys

from dkenv import recorder

NAME = "up.cache"
MAGIC = "dkenv-up-cache 1"
END = "END"
SEP = "\0"


def path(root: str) -> str:
    return os.path.join(root, ".dkenv", "run", NAME)


def skipped(root: str) -> tuple[str, ...]:
    """What the recording leaves out: the live state, which every hit checks by itself."""
    run = os.path.join(root, ".dkenv", "run")
    return ("/proc/", os.path.join(run, "container.pid"), os.path.join(run, "containers"), path(root))


def key(root: str) -> str | None:
    """The line the cache must start with to apply here and now (None: no `.dkenv.toml`)."""
    import pwd

    from dkenv import __version__

    try:
        with open(os.path.join(root, ".dkenv.toml"), "rb") as f:
            config = recorder.sha256(f.read())
    except OSError:
        return None
    try:
        name = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        name = ""
    started = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return SEP.join([MAGIC, __version__, sys.version, sys.executable, started, f"{os.getuid()}:{os.getgid()}",
                     name, root, config])


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
    paths, env, digest, wanted, said = parsed
    if not said or not noop_running(root, wanted) or recorder.changed(paths, env, digest):
        return None
    return said


def noop_running(root: str, wanted: list[tuple[str, str, bool]]) -> bool:
    from dkenv.containers import noop

    return noop.running_as_wanted(root, wanted)


def _parse(lines: list[str]):
    paths, env, digest, wanted, said = [], {}, None, [], []
    for line in lines:
        kind, _, rest = line.partition(SEP)
        fields = rest.split(SEP)
        if kind == "F" and len(fields) == 3:
            paths.append((fields[2], fields[0], fields[1]))
        elif kind == "E" and len(fields) == 2:
            env[fields[0]] = fields[1]
        elif kind == "D" and len(fields) == 1:
            digest = fields[0]
        elif kind == "C" and len(fields) == 3 and fields[2] in ("0", "1"):
            wanted.append((fields[0], fields[1], fields[2] == "1"))
        elif kind == "O":
            said.append(rest)
        else:
            return None
    return paths, env, digest, wanted, said


def store(root: str, recording, wanted: list[tuple[str, str, bool]], said: list[str]) -> bool:
    """Write the cache of a no-op `up` whose finding was recorded (`Recorder.finish`); False
    when it cannot be (an untrusted recording, a name that does not fit the format)."""
    head = key(root)
    if recording is None or head is None:
        return False
    paths, env, digest = recording
    lines = [head]
    lines += [SEP.join(["F", how, was, where]) for where, how, was in paths]
    lines += [SEP.join(["E", name, value]) for name, value in env.items()]
    lines += [SEP.join(["D", digest])] if digest is not None else []
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
