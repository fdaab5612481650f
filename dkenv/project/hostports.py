"""Host ports for a new project: `dkenv init` proposes the framework's port and debugpy's
5678 only when no other dkenv project of this user publishes them and nothing listens on
them now; else the next free one (as "8001:8000"). Two projects up at once then just work.
"""
from __future__ import annotations

import errno
import json
import socket
from pathlib import Path

from dkenv import paths
from dkenv.project.schema import CONFIG_NAME

SEARCH = 100  # ports tried above the preferred one


def used_by_projects(root: Path) -> set[int]:
    """The host ports the other registered projects' .dkenv.toml publish (run, debug, services)."""
    from dkenv.project.config import load, parse_port

    try:
        registry = json.loads((paths.state_dir() / "projects.json").read_text())
    except (OSError, ValueError):
        return set()
    roots = {Path(k.split("\0")[0]) for k in registry if isinstance(k, str)} if isinstance(registry, dict) else set()
    used: set[int] = set()
    for other in roots - {root}:
        if not (other / CONFIG_NAME).is_file():
            continue
        try:
            cfg = load(other)
        except Exception:  # noqa: BLE001 - another project's broken file is its own business
            continue
        specs = [*cfg.run.ports, *(p for s in cfg.services.values() for p in s.ports)]
        used |= {parse_port(p)[0] for p in specs} | ({cfg.debug.port} if cfg.debug.port else set())
    return used


def listening(port: int, bind: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((bind, port))
        except OSError as e:
            return e.errno in (errno.EADDRINUSE, errno.EACCES)
    return False


def choose(preferred: int, taken: set[int], in_use=None) -> int:
    """`preferred`, else the first port above it that is neither taken nor in use."""
    in_use = in_use or listening
    for port in range(preferred, min(preferred + SEARCH, 65536)):
        if port not in taken and not in_use(port):
            return port
    return preferred  # nothing free nearby: the user will be told at `up`
