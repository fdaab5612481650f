"""`dkenv up`: image, network, services, project container."""
from __future__ import annotations

from dkenv import engine, lifecycle, output
from dkenv.project import open_project


def run(opts, *, build: bool) -> int:
    project = open_project(opts.directory)
    eng = engine.connect()
    lifecycle.up(project, eng, out=output.say, build=build)
    output.say(f"dkenv: {project.name} is up; `dkenv exec CMD` or `dkenv shell` to work inside")
    return 0
