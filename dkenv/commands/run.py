"""`dkenv run`: run.command in the foreground, in the app's folder (image.workdir, else the root)."""
from __future__ import annotations

import shlex

from dkenv.commands._ready import ensure_running
from dkenv.exec import execution
from dkenv.errors import UsageError
from dkenv.project.project import open_project


def run(opts) -> int:
    project = open_project(opts.directory)
    command = project.config.run.command
    if not command.strip():
        raise UsageError(f"dkenv: run.command is not set in {project.config.path}")
    record = ensure_running(opts, project)
    return execution.run(project, shlex.split(command), workdir=str(project.app_dir), user=record.user,
                         cli_env=record.cli_env, try_agent=bool(record.pid))  # the agent: a container seen here
