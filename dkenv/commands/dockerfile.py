"""`dkenv dockerfile`: print the generated Dockerfile (no Engine needed)."""
from __future__ import annotations

from dkenv.image import plan
from dkenv.project.project import open_project


def run(opts) -> int:
    project = open_project(opts.directory)
    opts.out.echo(plan.make(project).dockerfile.rstrip("\n"))
    return 0
