"""The package cache of the BuildKit rendering, as pure text: pip's and uv's caches on cache
mounts, one of each per user (`id=dkenv-pip-UID`, `id=dkenv-uv-UID`: every project of the
user shares them), and the RUN of the dependency step on them (`image/dockerfile.py`, the
incremental step's `image/incrementalstep.py`). Where BuildKit is absent the same text is
built with the mounts made named volumes (`image/volumesteps.py` reads them back).
"""
from __future__ import annotations

from dkenv import hostuser

CACHE_DIR = "/var/cache/dkenv"  # the cache mounts' targets: pip/ and uv/
# uv's cache is another filesystem: copy, not hard links
CACHE_ENV = f"PIP_CACHE_DIR={CACHE_DIR}/pip UV_CACHE_DIR={CACHE_DIR}/uv UV_LINK_MODE=copy"
# bytecode compiled as pip does it, where the running environment never writes it (image/bytecode.py)
UV_COMPILE = " UV_COMPILE_BYTECODE=1"


def mounts(user: hostuser.User) -> str:
    """The cache mounts of pip's and uv's caches of `user`."""
    return " ".join(f"--mount=type=cache,id=dkenv-{tool}-{user.uid},target={CACHE_DIR}/{tool},"
                    f"uid={user.uid},gid={user.gid}" for tool in ("pip", "uv"))


def run(user: hostuser.User, lines: list[str], *, compile_bytecode: bool) -> str:
    """The RUN of `lines` (joined with &&) on the cache mounts, the caches' environment exported."""
    body = " \\\n && ".join(lines)
    env = CACHE_ENV + (UV_COMPILE if compile_bytecode else "")
    return f"RUN {mounts(user)} \\\n    set -eu; export {env}; \\\n    {body}"
