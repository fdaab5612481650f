"""`dkenv exec [-e K=V] [--user U] ARGV...`: one command in the project container."""
from __future__ import annotations

from dkenv.commands._lean import parse_env
from dkenv.commands._ready import running_project
from dkenv.exec import execution


def run(opts, *, argv: list[str], env: list[str], user: str | None) -> int:
    variables = parse_env(env)
    project, workdir, record = running_project(opts)
    return execution.run(project, argv, workdir=workdir, env=variables, user=user or record.user,
                         cli_env=record.cli_env, try_agent=bool(record.pid))  # the agent: a container seen here
