"""Progress on a terminal: one line per phase that is redrawn while it runs, then left.

A build's phases are its shown steps (`image/buildsteps.py`); a pull's is the pull. The
running phase's line says its label, the time it has taken and the last line of its
output, cut to the terminal's width, redrawn a few times a second by a ticker thread;
when the phase ends the line is rewritten once more with its time ("12s", or "cached")
and the next phase starts below it. `render` is pure; `Screen` writes.

Used only when stderr is a terminal (`wanted`): in a CI log, a pipe or with -v, the
callers print plain lines instead. `dkenv --progress` (or `DKENV_PROGRESS`), carried as
the Output's and the Engine's `progress`, forces `plain` or `tty`, as `docker build
--progress` does.
"""
from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from typing import Callable, TextIO

from dkenv.humanize import duration_text

TICK = 0.25  # seconds between redraws
CLEAR = "\r\x1b[2K"


def wanted(stream: TextIO | None = None, verbose: bool = False, mode: str = "auto") -> bool:
    """Redraw lines? With `mode` "tty" always, "plain" never; "auto" (or anything else)
    when `stream` (stderr) is a terminal that can move its cursor and -v is not given."""
    stream = stream or sys.stderr
    if mode in ("plain", "tty"):
        return mode == "tty"
    if verbose or os.environ.get("TERM", "") in ("", "dumb"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def render(label: str, seconds: float, detail: str, width: int) -> str:
    """The running phase's line, at most `width - 1` characters: "label  4.2s  detail"."""
    head = f"{label}  {duration_text(seconds, tenths=True)}"
    room = width - 1 - len(head) - 2
    detail = " ".join(detail.split())
    if detail and room >= 10:
        head += "  " + (detail if len(detail) <= room else detail[:room - 1] + "…")
    return head if len(head) < width else head[:max(width - 2, 1)] + "…"


class Screen:
    """The live line of the running phase on `stream`; `say` prints a line above it."""

    def __init__(self, stream: TextIO | None = None, *, clock: Callable[[], float] = time.monotonic,
                 width: Callable[[], int] | None = None, tick: float | None = TICK):
        self.stream = stream or sys.stderr
        self.clock = clock
        self.width = width or (lambda: shutil.get_terminal_size((80, 24)).columns)
        self.label = ""
        self.detail = ""
        self.started = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None
        if tick:
            self._thread = threading.Thread(target=self._tick, args=(tick,), daemon=True)
            self._thread.start()

    def begin(self, label: str) -> None:
        """A new phase: the running one (if any) ends with its time."""
        with self._lock:
            self._end_locked("")
            self.label, self.detail, self.started = label, "", self.clock()
            self._draw()

    def output(self, line: str) -> None:
        """The running phase printed `line`: shown after its time."""
        if line.strip():
            with self._lock:
                self.detail = line
                self._draw()

    def end(self, suffix: str = "") -> None:
        """The running phase is over: its line stays, with `suffix` or its time."""
        with self._lock:
            self._end_locked(suffix)

    def say(self, line: str) -> None:
        """A line of its own (a warning, the summary), printed above the live line."""
        with self._lock:
            self.stream.write(CLEAR + line + "\n")
            self._draw()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1)
        self.end()

    def _end_locked(self, suffix: str) -> None:
        if not self.label:
            return
        tail = suffix or f"  {duration_text(self.clock() - self.started, tenths=True)}"
        self.stream.write(f"{CLEAR}{self.label}{tail}\n")
        self.stream.flush()
        self.label = self.detail = ""

    def _draw(self) -> None:
        if self.label:
            self.stream.write(CLEAR + render(self.label, self.clock() - self.started, self.detail, self.width()))
        self.stream.flush()

    def _tick(self, tick: float) -> None:
        while not self._stop.wait(tick):
            with self._lock:
                try:
                    if self.label:
                        self._draw()
                except (OSError, ValueError):  # the terminal went away: stop redrawing
                    return
