"""What commands print, through one object: results on stdout (`echo`), progress,
warnings and questions on stderr (`say`, `confirm`), Engine calls only when verbose.

Every command gets the same `Output` from the CLI (cli/group.py); lower layers take its `say` (or the
object itself) as their `out` argument, never print on their own.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

from dkenv.errors import FatalError, UsageError


@dataclass
class Output:
    verbose: bool = False
    progress: str = "auto"  # how builds and pulls show progress: auto, plain or tty (--progress)

    def echo(self, line: str = "") -> None:
        """A result, on stdout; stdout that cannot take it (a full disk, a closed pipe) is a
        runtime error, said once on stderr, and nothing more is written there."""
        try:
            print(line, flush=True)
        except BrokenPipeError:
            _silence_stdout()
            raise
        except OSError as e:
            _silence_stdout()
            raise FatalError(f"dkenv: cannot write the output: {e.strerror or e}") from None

    def say(self, line: str = "") -> None:
        """Progress for the user, on stderr (stdout stays clean for results)."""
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


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's flush at exit does not fail again
    ("Exception ignored ... BrokenPipeError", exit 120): what could not be written is dropped."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
