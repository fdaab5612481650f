"""The errors dkenv reports to the user: a message and an exit code, mapped in cli/boundary.py;
and the "did you mean" hint every message about a misspelt name carries."""
from __future__ import annotations

TYPE_CHECKING = False  # typing costs the lean `dkenv exec` milliseconds
if TYPE_CHECKING:
    from typing import Iterable


class FatalError(Exception):
    """A runtime failure: the message is shown as is, the exit code is 1."""

    exit_code = 1


class ConfigError(FatalError):
    """A bad `.dkenv.toml` or bad usage: exit code 2."""

    exit_code = 2


class UsageError(FatalError):
    """A command used wrongly (e.g. a cwd outside the project): exit code 2."""

    exit_code = 2


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the closest of `choices`, else ""."""
    import difflib  # on a misspelling only

    hint = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{hint[0]}"?)' if hint else ""
