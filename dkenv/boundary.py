"""The single error boundary's core, without click: every error of a command ends here as one
message and an exit code. `FatalError` -> its message and its code (1 runtime, 2 usage or
config), Ctrl-C -> 130, a closed stdout -> 1, anything unexpected -> 3 with the traceback in
`dkenv.log` (crashlog.py) and its path printed. cli/boundary.py adds click's own exceptions
around the CLI; the lean paths (commands/_lean.py, commands/_leanup.py) call `run` directly.
"""
from __future__ import annotations

import sys

from dkenv.errors import FatalError


def run(call):
    """`call()`'s result (an exit code, or None for "not handled here"), or the code of the
    error it raised, said on stderr."""
    try:
        return call()
    except KeyboardInterrupt:
        return interrupted()
    except FatalError as e:
        _say(str(e))
        return e.exit_code
    except BrokenPipeError:
        return 1
    except Exception:  # an unexpected error: say where the traceback went
        from dkenv import crashlog

        _say(f"dkenv: unexpected error, please report it; details in {crashlog.write()}")
        return 3


def interrupted() -> int:
    """Ctrl-C: the prompt on a line of its own, and 130."""
    _say("")
    return 130


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
