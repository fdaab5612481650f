"""Why one package did not build: its build output (lines) in, a Cause out. Pure.

Tried in order, each over all the lines: the known causes of `buildcauses.toml` (an old
release on a new Python, a missing development package), a missing C header or program
mapped to the Debian package that provides it, the first compiler error, the last
exception, the last `error:` line. Used by `buildlog.py` for pip, uv and Poetry alike.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from dkenv import tomltext

TABLE = Path(__file__).with_name("buildcauses.toml")
MAX_EVIDENCE = 200

HEADER = (re.compile(r"fatal error: ['‘]?([\w./+-]+\.h)['’]?: No such file or directory"),
          re.compile(r"fatal error: '([\w./+-]+\.h)' file not found"))
# a program the build ran and did not find; only the first two patterns name a program for sure
PROGRAM = (re.compile(r"command '([^']+)' failed: No such file or directory"),
           re.compile(r"(?:^|: )([\w.+/-]+): (?:command )?not found$"),
           re.compile(r"No such file or directory: '([^']+)'"),
           re.compile(r"\b([\w.+-]+) (?:executable )?not found\b"))
COMPILER = re.compile(r"^\S+:\d+:\d+: (?:fatal )?error: ")
EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception)|error|Error|ERROR)\b:? ")
# pip's and setuptools' own lines around the real error say nothing about the cause
GENERIC = re.compile(r"subprocess-exited-with-error|metadata-generation-failed|legacy-install-failure"
                     r"|failed-wheel-build-for-install|command '[^']*' failed with exit code"
                     r"|Command '\[.*\]' returned non-zero exit status|^error: Command \[|Failed building wheel")
ARCH_COMPILER = re.compile(r"^(?:[\w]+-linux-gnu-)?(?:gcc|g\+\+|cc|c\+\+|clang)(?:-\d+)?$")


@dataclass
class Cause:
    why: str  # a clause after "because" ("the C header libpq-fe.h is missing"), or ""
    evidence: str = ""  # the log line that shows it, as written
    apt: list[str] = field(default_factory=list)  # Debian packages that fix it
    old: bool = False  # the fix is a newer release of the package


@functools.lru_cache(maxsize=1)
def table() -> dict:
    return tomltext.loads(TABLE.read_text(encoding="utf-8"))


def explain(lines: list[str]) -> Cause | None:
    """The most telling cause in a package's build output, or None."""
    lines = [line.strip().lstrip("|").strip() for line in lines]
    lines = [line for line in lines if line]
    for find in (_known, _header, _program, _compiler_error, _exception):
        cause = find(lines)
        if cause is not None:
            cause.evidence = _short(cause.evidence)
            return cause
    return None


def _known(lines: list[str]) -> Cause | None:
    for entry in table().get("causes", []):
        pattern = re.compile(entry["match"])
        for line in lines:
            if pattern.search(line):
                return Cause(entry["why"], line, list(entry.get("apt", [])), bool(entry.get("old")))
    return None


def header_packages(header: str) -> list[str]:
    """The Debian packages that ship `header`, by its path, then by its first folder."""
    headers = table().get("headers", {})
    if header in headers:
        return list(headers[header])
    folder = header.split("/", 1)[0] + "/"
    return list(headers.get(folder, [])) if "/" in header else []


def program_packages(program: str) -> list[str] | None:
    """The Debian packages that provide `program`; None when it is not in the table."""
    name = program.rsplit("/", 1)[-1]
    if ARCH_COMPILER.match(name):
        return ["build-essential"]
    found = table().get("commands", {}).get(name)
    return list(found) if found is not None else None


def _header(lines: list[str]) -> Cause | None:
    for line in lines:
        for pattern in HEADER:
            m = pattern.search(line)
            if m:
                return Cause(f"the C header {m.group(1)} is missing", line, header_packages(m.group(1)))
    return None


def _program(lines: list[str]) -> Cause | None:
    for line in lines:
        for i, pattern in enumerate(PROGRAM):
            m = pattern.search(line)
            if not m:
                continue
            apt = program_packages(m.group(1))
            if apt is None and i >= 2:  # a missing file, not surely a program
                continue
            name = m.group(1).rsplit("/", 1)[-1]
            return Cause(f"the program {name} is not installed", line, apt or [])
    return None


def _compiler_error(lines: list[str]) -> Cause | None:
    for line in lines:
        if COMPILER.match(line):
            return Cause("its C code does not compile", line)
    return None


def _exception(lines: list[str]) -> Cause | None:
    for line in reversed(lines):
        if EXCEPTION.match(line) and not GENERIC.search(line):
            return Cause("", line)
    return None


def _short(line: str) -> str:
    return line if len(line) <= MAX_EVIDENCE else line[:MAX_EVIDENCE - 1] + "…"
