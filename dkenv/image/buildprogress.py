"""Where a build's output goes while it runs (image/build.py): the log, written through a
temporary file and renamed over `.dkenv/build.log` at the end (`Replacing`), and
`Progress`, which feeds Docker's text to the log, to stderr with -v, and line by line to
the step tracker (BuildKit's lines read as the classic builder's first)."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from dkenv.errors import FatalError
from dkenv.image import buildkitsteps, buildlog, buildsteps


class Progress:
    """Where Docker's output goes: the log (colours removed), the tracker (line by line,
    BuildKit's read as the classic builder's through `translator`), and stderr as it came with -v."""

    def __init__(self, tracker: buildsteps.Tracker, log: TextIO, verbose: bool,
                 translator: buildkitsteps.Translator | None = None):
        self.tracker, self.log, self.verbose, self.translator = tracker, log, verbose, translator
        self._partial = ""

    def _feed(self, line: str) -> None:
        for classic in self.translator.feed(line) if self.translator is not None else [line]:
            self.tracker.feed(classic)

    def text(self, text: str) -> None:
        self.log.write(buildlog.ANSI.sub("", text))
        if self.verbose:
            sys.stderr.write(text)
            sys.stderr.flush()
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        for line in lines:
            self._feed(buildlog.clean(line))

    def close(self, failed: str = "") -> None:
        """The end of the output; `failed` ("failed", "interrupted") ends the running step's line so."""
        if self._partial:
            self._feed(buildlog.clean(self._partial))
            self._partial = ""
        for line in self.translator.close() if self.translator is not None and not failed else []:
            self.tracker.feed(line)
        self.tracker.flush()
        if self.tracker.screen is not None:
            if failed:
                self.tracker.screen.end(f"  {failed}")
            self.tracker.screen.close()
        self.log.flush()


class Replacing:
    """A file written through a temporary one beside it, renamed over `path` at the end,
    also when the build fails or is interrupted: the log of the last build is kept whole."""

    def __init__(self, path: Path):
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")

    def __enter__(self) -> TextIO:
        try:
            self.tmp.unlink(missing_ok=True)  # a leftover; then made anew, never through a link
            fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
            self.file = open(fd, "w", encoding="utf-8", errors="replace")
        except OSError as e:
            raise FatalError(f"dkenv: cannot write {self.tmp}: {e.strerror or e}") from None
        return self.file

    def __exit__(self, *exc) -> None:
        self.file.close()
        try:
            os.replace(self.tmp, self.path)
        except OSError:
            self.tmp.unlink(missing_ok=True)
