"""The steps of a build and the progress lines a person reads while it runs. Pure.

`parse` reads the generated Dockerfile: every instruction is one of Docker's steps
("Step N/M"), and each step that does work (FROM, RUN) gets a short label from the
`# comment` above it, else from the instruction itself. `Tracker` follows Docker's
output line by line: it says one line per such step (`[5/9] system packages (apt)`,
`(cached)` when Docker reused the layer), or, given a `buildscreen.Screen`, begins and
ends that step's live line and shows it the step's output; it keeps the output of the running step for
the failure message. ENV, USER, COPY... take no time and are not shown.
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

SHOWN = ("FROM", "RUN")
LABEL_MAX = 60
KEEP = 5000  # lines of the running step's output kept for the diagnosis
# Docker's "Step 3/9 : RUN ...", Podman's (Buildah's) "STEP 3/9: RUN ..."
STEP = re.compile(r"^(?:Step|STEP) (\d+)/(\d+) ?: (\S+)\s*(.*)")
# the builders' own lines between a step's output: not part of what the step printed
CHROME = re.compile(r"^ ---> |^--> |^COMMIT |^Removing intermediate container |^Successfully (built|tagged) ")
CACHE_HIT = re.compile(r"^ ?---?> Using cache")


@dataclass
class Step:
    number: int  # Docker's step number: every instruction counts, FROM is 1
    keyword: str
    text: str  # the instruction's arguments, continuation lines joined
    label: str
    shown: int = 0  # its number among the shown steps; 0 when not shown


def parse(dockerfile: str) -> list[Step]:
    """Every instruction of `dockerfile`, in Docker's order, labelled."""
    steps: list[Step] = []
    comment, parts = "", []
    for line in dockerfile.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            if not parts:  # within a continuation Docker drops comments; else one labels what follows
                comment = stripped.lstrip("#").strip()
            continue
        if not stripped and not parts:
            continue
        parts.append(stripped[:-1] if stripped.endswith("\\") else stripped)
        if stripped.endswith("\\"):
            continue
        keyword, _, text = re.sub(r"\s+", " ", " ".join(parts)).strip().partition(" ")
        parts = []
        keyword = keyword.upper()
        use = comment if keyword == "RUN" else ""
        if keyword in SHOWN:
            comment = ""
        steps.append(Step(len(steps) + 1, keyword, text.strip(), label(keyword, text.strip(), use)))
    shown = [s for s in steps if s.keyword in SHOWN]
    for i, s in enumerate(shown, 1):
        s.shown = i
    return steps


def label(keyword: str, text: str, comment: str = "") -> str:
    """A short name for a step: its comment's first clause, else made from the instruction."""
    if comment:
        return comment_label(comment)
    text = re.sub(r"\s+", " ", text)
    if keyword == "FROM":
        return f"base image {text.split()[0] if text else '?'}"
    if keyword in ("COPY", "ADD"):
        sources = [w for w in text.split() if not w.startswith("--")][:-1]
        return f"copying {' '.join(sources)}"
    text = re.sub(r"^set -\w+;\s*", "", text) if keyword == "RUN" else text
    return _cut(f"{keyword} {text}")


def comment_label(comment: str) -> str:
    """"the host user, so files ..." -> "the host user"; parentheses are kept whole."""
    depth = 0
    for i, ch in enumerate(comment):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and comment[i:i + 2] in (": ", ", "):
            comment = comment[:i]
            break
    if len(comment) > LABEL_MAX:
        comment = re.sub(r"\s*\([^()]*\)", "", comment)
    return _cut(comment)


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[:LABEL_MAX - 1].rstrip() + "…"


@dataclass
class Tracker:
    """Follows a build's output; says a line per shown step through `say`."""

    steps: list[Step]
    say: Callable[[str], None]
    screen: object | None = None  # a buildscreen.Screen: the running step's line, redrawn
    current: Step | None = None
    output: deque = field(default_factory=lambda: deque(maxlen=KEEP))
    cached: int = 0  # shown steps Docker reused
    _pending: bool = False  # the current step's line waits to know whether it was cached
    _docker_total: int = 0  # set when Docker's steps are not the parsed ones: its own count

    @property
    def total(self) -> int:
        return self._docker_total or sum(1 for s in self.steps if s.shown)

    def feed(self, line: str) -> None:
        """One line of Docker's output (no newline, colours removed)."""
        m = STEP.match(line)
        if m:
            self.flush()
            self.current = self._step(int(m.group(1)), int(m.group(2)), m.group(3), m.group(4))
            self.output.clear()
            self._pending = bool(self.current.shown)
            if self.screen is not None:
                self.screen.end()
                if self._pending:
                    self._pending = False
                    self.screen.begin(self._line())
            return
        if CACHE_HIT.match(line):
            self.cached += bool(self.current and self.current.shown)
            if self.screen is not None:
                self.screen.end(" (cached)")
            self.flush(" (cached)")
            return
        self.flush()
        if self.current is not None and not CHROME.match(line):
            self.output.append(line)
            if self.screen is not None:
                self.screen.output(line)

    def flush(self, suffix: str = "") -> None:
        """Say the current step's line if it is still waiting."""
        if self._pending and self.current is not None:
            self._pending = False
            self.say(self._line() + suffix)

    def _line(self) -> str:
        return f"dkenv: [{self.current.shown}/{self.total}] {self.current.label}"

    def where(self) -> str:
        """The running step, for a message: "step 8/9, dependencies (pip)"."""
        s = self.current
        if s is None:
            return "the start"
        if s.shown:
            return f"step {s.shown}/{self.total}, {s.label}"
        return f"{s.keyword} {_cut(s.text)}" if s.keyword in ("COPY", "ADD") else s.label

    def _step(self, number: int, count: int, keyword: str, text: str) -> Step:
        """The parsed step Docker names; made from Docker's line when it is not one of them."""
        keyword = keyword.upper()
        if 0 < number <= len(self.steps) and self.steps[number - 1].keyword == keyword:
            return self.steps[number - 1]
        # Docker adds a LABEL step per build label after the Dockerfile's own: not shown
        if keyword not in SHOWN:
            return Step(number, keyword, text, label(keyword, text))
        self._docker_total = count  # not the parsed Dockerfile: number as Docker does
        return Step(number, keyword, text, label(keyword, text), number)
