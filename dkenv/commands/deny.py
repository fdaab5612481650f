"""`dkenv deny`: withdraw the approval given by `dkenv allow`."""
from __future__ import annotations

from dkenv.commands.allow import here
from dkenv.project.config import CONFIG_NAME
from dkenv.shell import allow as approvals


def run(opts) -> int:
    root = here(opts)
    state = "is no longer" if approvals.deny(root) else "was not"
    opts.out.say(f"dkenv: {root / CONFIG_NAME} {state} allowed")
    return 0
