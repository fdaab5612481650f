"""`dkenv dockerfile`: print the generated Dockerfile and keep the build context in .dkenv/
(no Engine needed)."""
from __future__ import annotations

from dkenv.image import context, plan
from dkenv.project.project import open_project


def run(opts) -> int:
    project = open_project(opts.directory)
    inputs = plan.make(project)
    context.write_project_context(project, inputs)
    opts.out.echo(inputs.dockerfile.rstrip("\n"))
    return 0
