"""`dkenv up [--no-build]`: image, network, services, project container; then the IDE
interpreter `.dkenv/bin/python`."""
from __future__ import annotations

from dkenv.containers import engine, lifecycle, workers
from dkenv.project.project import open_project
from dkenv.shell import interpreter, refresh


def run(opts, *, build: bool, pull: str, force: bool) -> int:
    project = open_project(opts.directory)
    eng = engine.connect(opts.out)
    actions = lifecycle.up(project, eng, out=opts.out.say, build=build, pull=pull, force=force)
    refresh.after_up(project, eng, actions, opts.out.say)
    interpreter.report(project, interpreter.write(project), opts.out.say)
    workers.after_up(eng, actions, opts.out.say)  # a dead worker: exit 1, after everything is written
    opts.out.say(f"dkenv: {project.name} is up; `dkenv exec CMD` or `dkenv shell` to work inside")
    return 0
