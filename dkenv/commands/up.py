"""`dkenv up [--no-build]`: image, network, services, project container; then the IDE
interpreter `.dkenv/bin/python`."""
from __future__ import annotations

from dkenv.containers import engine, lifecycle
from dkenv.project.project import open_project
from dkenv.shell import interpreter


def run(opts, *, build: bool, pull: str, force: bool) -> int:
    project = open_project(opts.directory)
    lifecycle.up(project, engine.connect(opts.out), out=opts.out.say, build=build, pull=pull, force=force)
    interpreter.report(project, interpreter.write(project), opts.out.say)
    opts.out.say(f"dkenv: {project.name} is up; `dkenv exec CMD` or `dkenv shell` to work inside")
    return 0
