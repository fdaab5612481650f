"""`dkenv up [--no-build]`: image, network, services, project container, the IDE interpreter
`.dkenv/bin/python` (the sequence: orchestrator/up.py). Nothing to do is found first,
without the Engine (containers/noop.py)."""
from __future__ import annotations

from dkenv.containers import noop
from dkenv.project.project import open_project
from dkenv.shell import interpreter


def run(opts, *, build: bool, pull: str, force: bool) -> int:
    project = open_project(opts.directory)
    if pull != "always" and noop.up_to_date(project, opts.out.say):  # no Engine call, no SDK
        return done(project, opts)
    from dkenv.engine import engine
    from dkenv.orchestrator import up

    up.up(project, engine.connect(opts.out), opts.out.say, build=build, pull=pull, force=force, command=True)
    opts.out.say(f"dkenv: {project.name} is up; `dkenv exec CMD` or `dkenv shell` to work inside")
    return 0


def done(project, opts) -> int:
    """Nothing to do: the IDE interpreter (written when it differs), and the last line."""
    interpreter.update(project, opts.out.say)
    opts.out.say(f"dkenv: {project.name} is up; `dkenv exec CMD` or `dkenv shell` to work inside")
    return 0
