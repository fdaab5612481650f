"""The command line, the only package that imports click: `group.py` (the `dkenv` group, its
global options, what every verb shares), one module per family of verbs (`project.py`,
`container.py`, `shellverbs.py`, `tools.py`), each verb a thin call into
`dkenv.commands.<verb>.run`, and `boundary.py`, the single error boundary (`main`)."""
from __future__ import annotations

from dkenv.cli import container, project, shellverbs, tools  # noqa: F401 - each registers its verbs on `cli`
from dkenv.cli.boundary import main
from dkenv.cli.group import Options, cli

__all__ = ["Options", "cli", "main"]
