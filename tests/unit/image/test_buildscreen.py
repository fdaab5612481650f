"""image/buildscreen: when lines are redrawn, what the running line says, and what stays."""
from __future__ import annotations

import io

import pytest

from dkenv.image import buildscreen
from dkenv.image.buildscreen import CLEAR, Screen, render
from tests.helpers import wait_until


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("mode", "term", "tty", "verbose", "expected"), [
    ("auto", "xterm", True, False, True),
    ("auto", "xterm", False, False, False),
    ("auto", "dumb", True, False, False),
    ("auto", "", True, False, False),
    ("auto", "xterm", True, True, False),
    ("plain", "xterm", True, False, False),
    ("tty", "dumb", False, True, True),
    ("fancy", "xterm", True, False, True),  # unknown: auto
])
def test_wanted(monkeypatch, mode, term, tty, verbose, expected):
    monkeypatch.setenv("TERM", term)
    stream = Terminal() if tty else io.StringIO()
    assert buildscreen.wanted(stream, verbose=verbose, mode=mode) is expected


def test_render_fits_the_width_and_cuts_the_detail():
    line = render("dkenv: [5/9] dependencies (pip)", 12.3, "Collecting   django==5.0\tfrom x", 60)
    assert line == "dkenv: [5/9] dependencies (pip)  12.3s  Collecting django=…"
    assert len(line) == 59
    assert render("step", 1, "", 80) == "step  1.0s"
    assert render("step", 1, "detail", 18) == "step  1.0s"  # no room for 10 characters of detail
    assert len(render("a very long label " * 10, 1, "x", 30)) <= 29


def test_a_phase_is_redrawn_then_left_with_its_time():
    out, clock = io.StringIO(), Clock()
    screen = Screen(out, clock=clock, width=lambda: 80, tick=None)
    screen.begin("dkenv: [1/2] base")
    clock.now += 2
    screen.output("Pulling from library/python")
    screen.begin("dkenv: [2/2] apt")  # ends the first
    screen.output("   ")  # blank output keeps the last line
    clock.now += 61
    screen.close()
    text = out.getvalue()
    assert text.split(CLEAR)[1:] == [
        "dkenv: [1/2] base  0.0s", "dkenv: [1/2] base  2.0s  Pulling from library/python",
        "dkenv: [1/2] base  2.0s\n", "dkenv: [2/2] apt  0.0s", "dkenv: [2/2] apt  1m 01s\n"]


def test_say_prints_above_the_live_line_and_end_takes_a_suffix():
    out, clock = io.StringIO(), Clock()
    screen = Screen(out, clock=clock, width=lambda: 80, tick=None)
    screen.begin("pulling redis:7")
    screen.say("a warning")
    screen.end("  failed")
    screen.end("  twice")  # nothing running: nothing written
    screen.close()
    assert out.getvalue().split(CLEAR)[1:] == [
        "pulling redis:7  0.0s", "a warning\n", "pulling redis:7  0.0s", "pulling redis:7  failed\n"]


def test_the_ticker_redraws_the_clock_and_stops():
    out = Terminal()
    screen = Screen(out, width=lambda: 80, tick=0.01)
    screen.begin("step")
    try:
        wait_until(lambda: out.getvalue().count(CLEAR) >= 4, "the ticker to redraw the line three times",
                   detail=out.getvalue)
    finally:
        screen.close()
    assert out.getvalue().endswith("\n")
    assert not screen._thread.is_alive()
