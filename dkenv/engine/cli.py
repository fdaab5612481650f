"""The `docker` command-line client: where it is, and the environment that points it at an engine.

The standard library's `os` only: the lean `dkenv exec` and the shims' fallbacks import this.
"""
from __future__ import annotations

import os

from dkenv.errors import FatalError

SELECTING = ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH")


def docker_cli() -> str:
    found = which("docker")
    if not found:
        raise FatalError("dkenv: the `docker` command-line client is needed to run commands in the "
                         "container; install it (Debian: docker.io or docker-ce-cli)")
    return found


def which(name: str) -> str | None:
    """`shutil.which`, without importing shutil (the lean `dkenv exec` counts milliseconds)."""
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        candidate = os.path.join(folder or ".", name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def pinned_environ(pinned, env=None) -> dict[str, str]:
    """A whole environment for a `docker` CLI process: the caller's (`env`, default ours), with
    the selecting variables replaced by `pinned` (endpoint.cli_env; the shims' dkenv_pin)."""
    env = dict(os.environ if env is None else env)
    for key in SELECTING:
        env.pop(key, None)
    env.update(pinned)
    return env
