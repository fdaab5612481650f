"""`dkenv allow`: approve this project's .dkenv.toml for auto-activation, saying what it
reaches beyond the project (shell/reach.py)."""
from __future__ import annotations

import os

from dkenv.errors import ConfigError
from dkenv.project.config import CONFIG_NAME, locate_root
from dkenv.shell import allow as approvals


def here(opts):
    """The project here (or -C DIR), not $DKENV_PROJECT: approving is about the file in front of you."""
    return locate_root(opts.directory or os.getcwd())


def run(opts) -> int:
    root = here(opts)
    approvals.allow(root)
    opts.out.say(f"dkenv: allowed {root / CONFIG_NAME} (auto-activation may use it until it changes)")
    reaches(root, opts.out.say, "it reaches beyond the project:")
    return 0


def reaches(root, say, heading: str) -> None:
    """What the file at `root` reaches beyond the project (nothing said for a file that does
    not load: it cannot start anything)."""
    from dkenv.project import config
    from dkenv.shell import reach

    try:
        reach.report(config.load(root), say, heading)
    except ConfigError:
        pass
