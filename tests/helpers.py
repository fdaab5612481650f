"""Helpers for every test folder (unit, Docker, shell).

`wait_until` is how a test waits for a background effect (a file or socket that appears, a
process that ends, a port that frees, a container that stops, a line in a log): it looks
again and again until the effect is there or a generous deadline has passed, never once
and never after a fixed sleep. The deadline only bounds a failure: a slow, shared machine
makes a passing test slower, not a failing one.
"""
from __future__ import annotations

import os
import subprocess
import time
from typing import Callable, TypeVar

T = TypeVar("T")

DEADLINE = 60.0  # seconds: long enough for a loaded CI machine, short enough to fail a hung test


def wait_until(condition: Callable[[], T], what: str, *, within: float = DEADLINE, every: float = 0.05,
               alive: subprocess.Popen | None = None, detail: Callable[[], object] | None = None) -> T:
    """Call `condition` until it returns something true, and return that.

    Fails (AssertionError) after `within` seconds with "waited N s for WHAT" and `detail()`
    (what was seen instead), or at once when the process `alive` has exited first (with its
    exit status, and its stderr if that is a pipe)."""
    deadline = time.monotonic() + within
    while True:
        value = condition()
        if value:
            return value
        if alive is not None and alive.poll() is not None:
            err = _available(alive.stderr)
            raise AssertionError(f"{what}: the process it depends on exited {alive.returncode} first"
                                 + (f"; its stderr: {err[-3000:]!r}" if err else ""))
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {within:g} s for {what}"
                                 + (f"; last seen: {detail()!r}" if detail is not None else ""))
        time.sleep(every)


def dead(pid: int) -> bool:
    """The process is gone, or a zombie (dead, not yet reaped by its parent)."""
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(") ", 1)[1].startswith("Z")
    except (OSError, IndexError):
        return True


def _available(stream) -> bytes:
    """What a pipe holds now, without waiting for its end (a child may still hold it open)."""
    if stream is None:
        return b""
    try:
        os.set_blocking(stream.fileno(), False)
        data = stream.read()
    except (OSError, ValueError):
        return b""
    return data if isinstance(data, bytes) else (data or "").encode()
