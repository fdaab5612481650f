"""`dkenv build [--no-cache] [--pull]`: write the build context in .dkenv/ (Dockerfile,
manifests) and build the project image."""
from __future__ import annotations

from dkenv.containers import engine
from dkenv.image import context, plan
from dkenv.image.build import ensure_image
from dkenv.project import lock
from dkenv.project.project import open_project


def run(opts, *, no_cache: bool, pull: bool) -> int:
    project = open_project(opts.directory)
    with lock.hold(project, opts.out.say):  # one up, down or build of a project at a time
        inputs = plan.make(project)
        context.write_project_context(project, inputs)
        ensure_image(project, engine.connect(opts.out), out=opts.out.say, force=no_cache or pull,
                     nocache=no_cache, pull=pull, build=inputs)
    return 0
