"""What commands print: results on stdout, progress and questions on stderr."""
from __future__ import annotations

import sys

from dkenv.errors import UsageError


def say(line: str = "") -> None:
    """Progress for the user (stderr, so stdout stays clean for results)."""
    print(line, file=sys.stderr, flush=True)


def echo(line: str = "") -> None:
    print(line, flush=True)


def confirm(question: str, yes: bool) -> bool:
    """Ask a yes/no question on the terminal; without one, --yes is required."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError(f"dkenv: {question} needs a confirmation: pass --yes")
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")
