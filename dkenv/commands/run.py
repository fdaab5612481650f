"""`dkenv run`: run.command in the foreground, in the project root."""
from __future__ import annotations

import shlex

from dkenv.commands._ready import running_project
from dkenv.containers import execution
from dkenv.errors import UsageError


def run(opts) -> int:
    project, _ = running_project(opts)
    command = project.config.run.command
    if not command.strip():
        raise UsageError(f"dkenv: run.command is not set in {project.config.path}")
    return execution.run(project, shlex.split(command), workdir=str(project.root))
