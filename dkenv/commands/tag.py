"""`dkenv tag [--full]`: print the project image's tag, a hash of its inputs (no Engine
needed): what CI pulls, pushes and builds."""
from __future__ import annotations

from dkenv.image import plan
from dkenv.project.project import open_project


def run(opts, *, full: bool) -> int:
    project = open_project(opts.directory)
    inputs = plan.make(project)
    opts.out.echo(inputs.tag(project) if full else inputs.digest)
    return 0
