"""What a `.dkenv.toml` reaches beyond its project folder, in words: what an approval
approves. `dkenv allow`, `dkenv activate`, `dkenv ide` and the refusals of auto-activation
and of the shims list it; `dkenv up` says the first (ports beyond this machine) each time.

Each entry is one function of the config returning its line, or None; REACHES lists them.
A new way out of the project is one more function in REACHES.
"""
from __future__ import annotations

import ipaddress
import os

from dkenv.engine.spec import parse_port
from dkenv.project.schema import DEFAULT_SHIMS


def exposure(config) -> str | None:
    """The ports published on an address other than loopback (run.bind), or None."""
    bind = config.run.bind
    try:
        if ipaddress.ip_address(bind).is_loopback:
            return None
    except ValueError:
        return None
    ports = [str(parse_port(p)[0]) for p in config.run.ports]
    ports += [str(config.debug.port)] if config.debug.port else []
    ports += [f"{parse_port(p)[0]} ({name})" for name, s in config.services.items() for p in s.ports]
    if not ports:
        return None
    where = "every network of this machine" if ipaddress.ip_address(bind).is_unspecified else f"{bind}'s network"
    return (f"ports {', '.join(ports)} published on {bind} (run.bind): other machines on {where} can "
            "reach them, not only this one")


def ide_mounts(config) -> str | None:
    """The host folders `[ide] mounts` asks for (the detected IDE folders are dkenv's own choice)."""
    if not config.ide.mounts:
        return None
    from dkenv.project import ide

    shown = []
    for path in config.ide.mounts:
        real = os.path.realpath(ide.expand(path))
        shown.append(path if real == ide.expand(path) else f"{path} (really {real})")
    return f"host folders mounted read-only in the container ([ide] mounts): {', '.join(shown)}"


def setup(config) -> str | None:
    if not config.image.setup:
        return None
    return f"image.setup {config.image.setup} runs as root when the image is built"


def env_file(config) -> str | None:
    if not config.run.env_file:
        return None
    return f"run.env_file {config.run.env_file} is read on this machine and its values given to the container"


def host_shims(config, on_host=None) -> str | None:
    """`[shims] commands` beyond the defaults that shadow a command of this machine."""
    from dkenv.shell import shims

    names = [n for n in config.shims.commands if n not in DEFAULT_SHIMS and shims.valid_name(n)]
    if not names:
        return None
    on_host = on_host or shims.host_command(config)
    shadowed = [n for n in names if n in shims.HOST_COMMANDS or on_host(n)]
    if not shadowed:
        return None
    return (f"[shims] commands {', '.join(shadowed)} run in the container instead of this machine's, "
            "in an activated shell")


def writable(config) -> str | None:
    """`[run] writable`: the project's files read-only in the container by default (what a tool
    of this machine runs or reads: `.git`'s hooks, the editors' settings, `.envrc`) it may write."""
    if not config.run.writable:
        return None
    return (f"the container may write {', '.join(config.run.writable)} ([run] writable), which tools of this "
            "machine run or read")


def engine(config) -> str | None:
    """`[run] docker = true`: the container controls the engine (engine/lend.py)."""
    if not config.run.docker:
        return None
    return ("[run] docker: the container gets the container engine's socket: control of the engine, which is "
            "root on this machine for a rootful engine (any container, any host folder mounted)")


REACHES = (engine, exposure, ide_mounts, setup, env_file, host_shims, writable)


def lines(config) -> list[str]:
    """One line per way the config reaches beyond the project, in REACHES' order."""
    found = []
    for entry in REACHES:
        try:
            line = entry(config)
        except (OSError, ValueError):
            line = None
        if line:
            found.append(line)
    return found


def report(config, say, heading: str) -> None:
    """`heading` then the lines, or nothing when the config stays in the project."""
    found = lines(config)
    if found:
        say(f"dkenv: {heading}")
        for line in found:
            say(f"  - {line}")
