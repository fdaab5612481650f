"""`.dockerignore`, read as Docker reads it: which files of the project are the source the
production image copies (`COPY . /app`), for `dkenv build --production`, which sends
them itself, and for the tag, a hash of them.

The rules are Docker's (moby's patternmatcher): one pattern a line, `#` comments, a
leading `/` ignored, Go's `filepath.Match` (`*` and `?` within a path segment, `[...]`
classes), `**` for any number of folders; a pattern also matches everything below a
folder it matches; `!` re-includes; the last matching line decides.

DEFAULT_LINES (project/ignorefiles.py) is what `dkenv init` and `dkenv export production`
write to a project without one, and what `dkenv build --production` leaves out then.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from dkenv.project import ignorefiles

DEFAULT_LINES = ignorefiles.DOCKERIGNORE_DEFAULTS
REQUIRED_LINES = ignorefiles.DOCKERIGNORE_REQUIRED


def read_lines(root: Path) -> list[str] | None:
    """The patterns of `root/.dockerignore`, None when there is none."""
    path = root / ".dockerignore"
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


class Matcher:
    """Docker's .dockerignore decision for a path relative to the context root."""

    def __init__(self, lines: list[str]):
        self.patterns: list[tuple[bool, re.Pattern]] = []  # (exception, regex)
        for line in lines:
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            exception = text.startswith("!")
            text = text[1:].strip() if exception else text
            text = os.path.normpath(text).replace(os.sep, "/").lstrip("/")
            if text in ("", "."):
                continue
            self.patterns.append((exception, re.compile(_regex(text))))
        self.has_exceptions = any(e for e, _ in self.patterns)

    def excluded(self, rel: str) -> bool:
        parts = rel.split("/")
        paths = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]  # its folders, then itself
        verdict = False
        for exception, regex in self.patterns:
            if any(regex.match(path) for path in paths):
                verdict = not exception
        return verdict


def _regex(pattern: str) -> str:
    """A pattern as moby compiles it."""
    out, i = "^", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            if pattern[i + 1:i + 2] == "*":
                i += 1
                if pattern[i + 1:i + 2] == "/":
                    i += 1
                out += ".*" if i + 1 >= len(pattern) else "(.*/)?"
            else:
                out += "[^/]*"
        elif ch == "?":
            out += "[^/]"
        elif ch == "\\" and i + 1 < len(pattern):
            i += 1
            out += re.escape(pattern[i])
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out += re.escape(ch)
            else:
                body = pattern[i + 1:end]
                out += "[" + ("^" + body[1:] if body.startswith("^") else body).replace("\\", "\\\\") + "]"
                i = end
        else:
            out += re.escape(ch)
        i += 1
    return out + "$"


def source_files(root: Path, lines: list[str]) -> list[str]:
    """Every file (and symlink) of `root` the context holds, relative, '/'-separated, sorted."""
    matcher = Matcher(lines)
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if rel_folder == "." else rel_folder + "/"
        kept = []
        for d in sorted(dirs):
            path = prefix + d
            if os.path.islink(os.path.join(folder, d)):
                files.append(d)  # a link to a folder is sent as a link
            elif not (matcher.excluded(path) and not matcher.has_exceptions):
                kept.append(d)
        dirs[:] = kept
        found += [prefix + f for f in files if not matcher.excluded(prefix + f)]
    return sorted(found)


def missing_required(lines: list[str]) -> list[str]:
    """The REQUIRED_LINES a project's .dockerignore does not leave out."""
    matcher = Matcher(lines)
    probes = {"data/": "data/x", ".dkenv/": ".dkenv/x", "**/.env": ".env"}
    return [line for line in REQUIRED_LINES if not matcher.excluded(probes[line])]
