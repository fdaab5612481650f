"""The image a project's last build made, per engine: the incremental step's first candidate
when no project container runs (after `down`, or `dkenv build` alone). One inspect of it
replaces the list of the project's images, for which the engine walks every image it has
(0.3 s on Docker with 300 images, 3.6 s on rootless Podman: docs/benchmarks.md).

Kept in the user's state folder, which no container can write; what it names is only a
candidate, checked like any other (its project label here, its Dockerfile's digest and
manifests in image/incremental.py). Missing, unreadable or gone: the list, as before.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

_TAG = re.compile(r"^[\w./:-]{1,255}$")


def _path(engine, project: str) -> Path:
    from dkenv import paths

    where = engine.endpoint.host if getattr(engine, "endpoint", None) is not None else ""
    key = hashlib.sha256(f"{where}\0{project}".encode()).hexdigest()[:32]
    return paths.state_dir() / "images" / key


def remember(engine, project: str, tag: str) -> None:
    """`tag` is the project's newest image on this engine (a failure to write is silent: the
    next build lists the images instead)."""
    path = _path(engine, project)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(tag + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass


def recall(engine, project: str) -> str:
    """The tag `remember` kept for the project on this engine; "" for none."""
    try:
        tag = _path(engine, project).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return tag if _TAG.match(tag) else ""
