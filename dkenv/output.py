"""What commands print, through one object: results on stdout (`echo`), progress,
warnings and questions on stderr (`say`, `confirm`), Engine calls only when verbose.

Every command gets `Options` (the directory, `-C`, and the one `Output`) from the CLI
(cli/group.py), or from the lean no-op `up` (commands/_leanup.py), whose Output keeps the
lines it says (`said`) until it knows it answers; lower layers take its `say` (or the object
itself) as their `out` argument, never print on their own.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field

from dkenv.errors import UsageError


@dataclass
class Output:
    verbose: bool = False
    progress: str = "auto"  # how builds and pulls show progress: auto, plain or tty (--progress)
    said: list[str] | None = None  # a list: `say` keeps the lines there instead of printing them

    def echo(self, line: str = "") -> None:
        """A result, on stdout."""
        print(line, flush=True)

    def say(self, line: str = "") -> None:
        """Progress for the user, on stderr (stdout stays clean for results)."""
        if self.said is not None:
            self.said.append(line)
            return
        print(line, file=sys.stderr, flush=True)

    def debug(self, line: str) -> None:
        """Detail shown with -v only."""
        if self.verbose:
            self.say(line)

    def confirm(self, question: str, yes: bool) -> bool:
        """Ask a yes/no question on the terminal; without one, --yes is required."""
        if yes:
            return True
        if not sys.stdin.isatty():
            raise UsageError(f"dkenv: {question.removeprefix('dkenv: ')} needs a confirmation: pass --yes")
        print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
        return sys.stdin.readline().strip().lower() in ("y", "yes")


@dataclass
class Options:
    """What every command gets: where the project is (-C), and the one Output."""

    directory: str | None = None
    out: Output = field(default_factory=Output)
