"""`dkenv dockerfile [--production]`: print the generated Dockerfile and keep the build
context in .dkenv/ (no Engine needed); with --production, the production image's, also
kept as .dkenv/production/Dockerfile."""
from __future__ import annotations

from dkenv.image import context, plan
from dkenv.project.project import open_project


def run(opts, *, production: bool = False) -> int:
    project = open_project(opts.directory)
    if production:
        from dkenv import fileio
        from dkenv.production import build as prodbuild
        from dkenv.production import plan as image_production

        inputs = image_production.make(project, prodbuild.DOCKERFILE)
        fileio.ensure_work_dir(project.work_dir)
        fileio.make_dirs((project.root / prodbuild.DOCKERFILE).parent)
        fileio.write_marked(project.root / prodbuild.DOCKERFILE, inputs.dockerfile)
        for note in inputs.notes:
            opts.out.say(f"dkenv: {note}")
        opts.out.echo(inputs.dockerfile.rstrip("\n"))
        return 0
    inputs = plan.make(project)
    context.write_project_context(project, inputs)
    opts.out.echo(inputs.dockerfile.rstrip("\n"))
    return 0
