"""What an installer's tool says when it fails: the `Diagnosis` each installer's
`recognise(lines)` makes of a failed build step's output, and the line searches the
recognisers share. Pure; defines no installer.

A recogniser names what failed and how, in the tool's own words; why a package did not
build is not its job: it leaves that package's build output in `built`, and
`image/buildlog.py` explains it (`buildcause.explain`) into `cause`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Diagnosis:
    package: str = ""  # what failed, as the tool names it: "lazy-object-proxy==1.6.0"
    failure: str = ""  # what happened to it, a clause: "did not install", "was not found"
    stage: str = ""  # the step that failed: "preparing its metadata", "locking (pipenv lock)"
    cause: object | None = None  # why: a buildcause.Cause, from `built` (image/buildlog.py)
    evidence: list[str] = field(default_factory=list)  # lines that show it, as written
    kind: str = ""  # build | missing | conflict | apt | dkenv | other
    verbatim: list[str] = field(default_factory=list)  # dkenv's own messages, printed as is
    built: list[str] = field(default_factory=list)  # kind build: the package's build output, for the cause


def find(lines: list[str], pattern: str, start: int = 0) -> tuple[int, re.Match] | None:
    """The first line from `start` that matches, and the match."""
    regex = re.compile(pattern)
    for i in range(start, len(lines)):
        m = regex.search(lines[i])
        if m:
            return i, m
    return None


def last(lines: list[str], pattern: str) -> tuple[int, re.Match] | None:
    """The last line that matches, and the match."""
    regex = re.compile(pattern)
    for i in range(len(lines) - 1, -1, -1):
        m = regex.search(lines[i])
        if m:
            return i, m
    return None


def indented_after(lines: list[str], i: int) -> list[str]:
    """The indented lines right after line i (a cause list), stripped."""
    found = []
    for line in lines[i + 1:]:
        if not line.strip() and not found:
            continue
        if not line.startswith((" ", "\t")) or not line.strip():
            break
        found.append(line.strip())
    return found
