"""`dkenv build` and `dkenv dockerfile`."""
from __future__ import annotations

from dkenv import buildplan, builder, engine, output
from dkenv.project import open_project


def run(opts, *, no_cache: bool, pull: bool) -> int:
    project = open_project(opts.directory)
    eng = engine.connect()
    builder.ensure_image(project, eng, out=output.say, force=no_cache or pull, nocache=no_cache, pull=pull)
    return 0


def print_dockerfile(opts) -> int:
    project = open_project(opts.directory)
    output.echo(buildplan.make(project).dockerfile.rstrip("\n"))
    return 0
