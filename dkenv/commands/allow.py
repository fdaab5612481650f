"""`dkenv allow`: approve this project's .dkenv.toml for auto-activation."""
from __future__ import annotations

import os

from dkenv.project.config import CONFIG_NAME, locate_root
from dkenv.shell import allow as approvals


def here(opts):
    """The project here (or -C DIR), not $DKENV_PROJECT: approving is about the file in front of you."""
    return locate_root(opts.directory or os.getcwd())


def run(opts) -> int:
    root = here(opts)
    approvals.allow(root)
    opts.out.say(f"dkenv: allowed {root / CONFIG_NAME} (auto-activation may use it until it changes)")
    return 0
