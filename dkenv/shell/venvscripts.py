"""The venv's console scripts the shims may mirror: the Python tools in the running project
container's `/opt/venv/bin`.

The folder is read through the Engine's archive API (a tar of `/opt/venv/bin`, as the
daemon reads the container's files): nothing in the container runs to list it, so a package
that ships an `ls` or a `sh` has no say in the list. From each entry, its name, its kind and
its first line: an entry is a Python tool when it is

- one of the venv's own interpreters and pips (`python`, `python3`, `python3.12`, `pip`,
  `pip3`, `pip3.12`), or
- a regular file whose first line is `#!/opt/venv/bin/python...`: the console script
  pip, uv or an installer writes for a distribution's entry point.

Anything else (a shell script, a native program, a link a package made) is not. Which of
the tools become shims is shims.py's rule (a tool never shadows a command of the host).
"""
from __future__ import annotations

import io
import re
import tarfile
from typing import Iterable

from dkenv.imagepaths import VENV

FAMILY = re.compile(r"^(python|pip)(3(\.\d+)?)?$")
SHEBANG = re.compile(rb"^#![ \t]*" + re.escape(f"{VENV}/bin/python".encode()) + rb"[0-9.]*([ \t].*)?$")
HEAD = 256  # the bytes read of each file: its first line


def entries(chunks: Iterable[bytes]) -> list[tuple[str, str, bytes]]:
    """(name, kind, first line) of each entry of the tar stream of one folder: kind "file",
    "link" or "other"; a file's first line (at most HEAD bytes), else b""."""
    from dkenv.engine.containers import ChunkFile

    found = []
    with tarfile.open(fileobj=io.BufferedReader(ChunkFile(chunks), 1 << 16), mode="r|") as tar:
        for member in tar:
            parts = member.name.strip("/").split("/")
            if len(parts) != 2:  # the folder itself, or deeper
                continue
            head = b""
            if member.isfile():
                stream = tar.extractfile(member)
                head = stream.read(HEAD).split(b"\n", 1)[0] if stream is not None else b""
            kind = "file" if member.isfile() else "link" if member.issym() or member.islnk() else "other"
            found.append((parts[1], kind, head))
    return found


def python_tools(found: Iterable[tuple[str, str, bytes]]) -> list[str]:
    """The names that are the venv's Python tools (see the module's docstring), sorted."""
    names = set()
    for name, kind, head in found:
        if FAMILY.match(name) and kind in ("file", "link"):
            names.add(name)
        elif kind == "file" and SHEBANG.match(head):
            names.add(name)
    return sorted(names)


def listing(project, engine=None) -> list[str] | None:
    """The venv's Python tools, or None if the container is not running."""
    from dkenv.engine import engine as engine_mod
    from dkenv.errors import FatalError
    from dkenv.exec import pidfile

    if engine is None:  # the engine the project runs on, as the shims reach it
        engine = engine_mod.connect_recorded(pidfile.known_running(project))
    state = engine.state(project.container)
    if state is None or not state.running:
        return None
    try:
        return python_tools(entries(engine.archive(project.container, f"{VENV}/bin")))
    except (FatalError, tarfile.TarError):  # no venv there: nothing known, the shims stay as they are
        return None
