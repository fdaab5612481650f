"""`dkenv allow` / `dkenv deny`: approve this project's .dkenv.toml for auto-activation."""
from __future__ import annotations

import os

from dkenv import allow as approvals
from dkenv.config import CONFIG_NAME, locate_root


def _root(opts):
    # the project here (or -C DIR), not $DKENV_PROJECT: approving is about the file in front of you
    return locate_root(opts.directory or os.getcwd())


def run(opts, echo) -> int:
    root = _root(opts)
    approvals.allow(root)
    echo(f"dkenv: allowed {root / CONFIG_NAME} (auto-activation may use it until it changes)", err=True)
    return 0


def deny(opts, echo) -> int:
    root = _root(opts)
    if approvals.deny(root):
        echo(f"dkenv: {root / CONFIG_NAME} is no longer allowed", err=True)
    else:
        echo(f"dkenv: {root / CONFIG_NAME} was not allowed", err=True)
    return 0
