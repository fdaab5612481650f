"""One `up`, `down` or `build` of a project at a time: an advisory lock (flock) per
project in the user's state dir. A second one waits, says so, and then finds the work
done."""
from __future__ import annotations

import contextlib
import fcntl
import os

from dkenv import paths
from dkenv.errors import FatalError


@contextlib.contextmanager
def hold(project, say=None):
    """Hold the project's lock for the `with` block, waiting for another dkenv if needed; the
    block gets the lock's file descriptor (a process that inherits it holds the lock until
    it closes it too: image/prunelater.py)."""
    folder = paths.state_dir() / "locks"
    path = str(folder / f"{project.name}.lock")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as e:
        raise FatalError(f"dkenv: cannot create the lock {path}: {e.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if say:
                say(f"dkenv: another dkenv is building, starting or stopping {project.name} (or removing its "
                    "previous images); waiting for it")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)
