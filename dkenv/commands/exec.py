"""`dkenv exec`, `dkenv run` and `dkenv shell`: commands in the project container."""
from __future__ import annotations

import shlex

from dkenv import engine, execution, lifecycle, output
from dkenv.errors import UsageError
from dkenv.project import Project, open_project


def workdir(opts, project: Project) -> str:
    """The cwd inside; with -C DIR from outside the project, its root."""
    try:
        return execution.container_cwd(project)
    except UsageError:
        if not opts.directory:
            raise
        return str(project.root)


def _ready(opts) -> tuple[Project, str]:
    project = open_project(opts.directory)
    cwd = workdir(opts, project)
    if not lifecycle.known_running(project):
        lifecycle.ensure_running(project, engine.connect(), out=output.say)
    return project, cwd


def parse_env(pairs: list[str]) -> dict[str, str]:
    env = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"dkenv: -e takes KEY=VALUE, not {pair!r}")
        env[key] = value
    return env


def run(opts, argv: list[str], *, env: list[str], user: str | None) -> int:
    variables = parse_env(env)
    project, workdir = _ready(opts)
    return execution.run(project, argv, workdir=workdir, env=variables, user=user)


def run_command(opts) -> int:
    project, _ = _ready(opts)
    command = project.config.run.command
    if not command.strip():
        raise UsageError(f"dkenv: run.command is not set in {project.config.path}")
    return execution.run(project, shlex.split(command), workdir=str(project.root))


def shell(opts) -> int:
    project, workdir = _ready(opts)
    prompt = f'PS1="(dkenv:{project.name}) \\u@\\h:\\w\\$ "'
    # interactive on a terminal; fed by a pipe (`dkenv shell < script.sh`), a plain bash
    # reads the commands without job-control warnings or prompts
    argv = ["bash", "-i"] if execution.wants_tty() else ["bash"]
    return execution.run(project, argv, workdir=workdir, env={"PROMPT_COMMAND": prompt})
