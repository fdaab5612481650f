"""The sha256 every part of dkenv names content by: a hex digest of bytes, and of a file's
content. The lean paths (commands/_lean.py) and the full CLI use this one function.

hashlib is imported on the first call, not with this module: it loads OpenSSL, 3-4 ms that
the lean `dkenv exec` and the no-op `up` would otherwise pay on every run (they hash only
when a file's `stat` changed, docs/design.md)."""
from __future__ import annotations


def sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str) -> str | None:
    """The digest of the file's content; None when it cannot be read."""
    try:
        with open(path, "rb") as f:
            return sha256(f.read())
    except OSError:
        return None
