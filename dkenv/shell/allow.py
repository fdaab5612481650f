"""Approval of a `.dkenv.toml` for auto-activation, like direnv's `allow`.

An approval is for the file's current content at its path, and the content of the files
it references that run at build time (image.setup) or are injected (run.env_file): a file named by
sha256(path + NUL + content) in `<state dir>/allow/`, holding the path. Editing the
file (or moving the project) withdraws the approval until `dkenv allow` again.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from dkenv import paths, tomltext
from dkenv.errors import FatalError
from dkenv.project.config import CONFIG_NAME

FOLDER = "allow"


def config_path(root: Path | str) -> Path:
    """The project's `.dkenv.toml`, symlinks resolved (the shell may reach it through one)."""
    return Path(root).resolve() / CONFIG_NAME


def referenced_files(content: bytes) -> list[str]:
    """The files `.dkenv.toml` names that run at build time (image.setup) or are injected
    into the container (run.env_file): an approval covers them too."""
    try:
        data = tomltext.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return []
    found = [data.get("image", {}).get("setup"), data.get("run", {}).get("env_file")]
    return [f for f in found if isinstance(f, str) and f]


def fingerprint(root: Path | str) -> str | None:
    """sha256 of the config's path and content and of every file it references, or None
    when the config cannot be read."""
    path = config_path(root)
    try:
        content = path.read_bytes()
    except OSError:
        return None
    h = hashlib.sha256(os.fsencode(path) + b"\0" + content)
    for rel in referenced_files(content):
        try:
            data = (path.parent / rel).read_bytes()
        except OSError:
            data = b"(unreadable)"
        h.update(b"\0" + os.fsencode(rel) + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def _folder() -> Path:
    return paths.state_dir() / FOLDER


def allow(root: Path | str) -> None:
    """Approve the current content of `root/.dkenv.toml` (earlier approvals of it go)."""
    digest = fingerprint(root)
    if digest is None:
        return
    folder = _folder()
    try:
        deny(root)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{digest}.{os.getpid()}.tmp"
        tmp.write_bytes(os.fsencode(config_path(root)))
        tmp.replace(folder / digest)
    except OSError as e:
        raise FatalError(f"dkenv: cannot record the approval in {folder}: {e.strerror or e}; "
                         f"it must be a folder you can write") from None


def deny(root: Path | str) -> bool:
    """Withdraw every approval of `root/.dkenv.toml`, whatever content it was for."""
    wanted = os.fsencode(config_path(root))
    removed = False
    try:
        entries = list(_folder().iterdir())
    except OSError:
        return False
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.read_bytes() == wanted:
                entry.unlink()
                removed = True
        except OSError:
            continue
    return removed


def is_allowed(root: Path | str) -> bool:
    """True when the file's current content at its current path was approved."""
    digest = fingerprint(root)
    return digest is not None and (_folder() / digest).is_file()
