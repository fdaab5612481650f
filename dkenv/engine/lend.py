"""`[run] docker = true`: the engine lent to the project container, for test suites that start
containers of their own (testcontainers, pytest-databases, `docker compose` in a Makefile).

That is control of the engine, which is root on the machine of a rootful engine: off by
default, named in the approval (shell/reach.py), never implied. When set, the project
container gets:

- the engine's socket (a `unix://` endpoint, the one dkenv itself uses) at
  `/var/run/docker.sock`, with `DOCKER_HOST` pointing at it, and the socket's group as a
  supplementary group so the container user can connect; a `tcp://` endpoint without TLS
  is passed as `DOCKER_HOST`; an `ssh://` or TLS endpoint cannot be lent (one line);
- the `docker` command: the host's own client, mounted read-only at
  `/usr/local/bin/docker`, when it is a statically linked Linux program of the container's
  architecture (Docker's release binaries are); otherwise the image must bring one
  (`image.apt`: `docker.io` on Debian 12, `docker-cli` on Debian 13), said in one line.

The bind mounts keep their host paths, so volumes a test suite passes as paths of the
project work as they do on the host.
"""
from __future__ import annotations

import os
import struct

from dkenv import declared
from dkenv.engine.spec import Mount
from dkenv.errors import FatalError

SOCKET = "/var/run/docker.sock"
CLIENT = "/usr/local/bin/docker"
_MACHINES = {"x86_64": 62, "aarch64": 183, "armv7l": 40, "ppc64le": 21, "s390x": 22}


def static_client(path: str) -> bool:
    """A statically linked ELF program for this machine (no PT_INTERP program header)."""
    try:
        with open(declared.path(path), "rb") as f:
            head = f.read(64)
            if len(head) < 64 or head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
                return False  # not a 64-bit little-endian ELF
            machine, = struct.unpack_from("<H", head, 18)
            if machine != _MACHINES.get(os.uname().machine):
                return False
            phoff, = struct.unpack_from("<Q", head, 32)
            phentsize, phnum = struct.unpack_from("<HH", head, 54)
            for i in range(phnum):
                f.seek(phoff + i * phentsize)
                kind, = struct.unpack("<I", f.read(4))
                if kind == 3:  # PT_INTERP: it needs the host's dynamic loader and libraries
                    return False
            return True
    except (OSError, struct.error):
        return False


def host_client() -> str | None:
    """The first `docker` on PATH that can run in the container as it is."""
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        candidate = os.path.join(folder or ".", "docker")
        declared.path(candidate)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK) and static_client(os.path.realpath(candidate)):
            return os.path.realpath(candidate)
    return None


def lent(host: str, client: str | None) -> tuple[list[Mount], dict[str, str], list[str]]:
    """(mounts, environment, supplementary groups) that lend the engine at `host` (an
    endpoint's address) and the `client` binary to the project container."""
    scheme, _, rest = host.partition("://")
    mounts, env, groups = [], {}, []
    if scheme == "unix":
        try:
            gid = os.stat(declared.path(rest)).st_gid
        except OSError as e:
            raise FatalError(f"dkenv: [run] docker: the engine's socket {rest} cannot be read: {e.strerror}") from None
        mounts.append(Mount(rest, SOCKET))
        env["DOCKER_HOST"] = f"unix://{SOCKET}"
        groups.append(str(gid))
    elif scheme == "tcp":
        env["DOCKER_HOST"] = host
    else:
        raise FatalError(f"dkenv: [run] docker: the engine at {host} cannot be lent to the container (only a "
                         "local socket or a plain tcp:// engine can); unset [run] docker, or select a local engine")
    if client is not None:
        mounts.append(Mount(client, CLIENT, read_only=True))
    return mounts, env, groups
