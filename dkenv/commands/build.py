"""`dkenv build [--no-cache] [--pull]`: write the build context in .dkenv/ (Dockerfile,
manifests) and build the project image."""
from __future__ import annotations

from dkenv.containers import engine, engineinfo
from dkenv.image import context, plan
from dkenv.image.build import ensure_image
from dkenv.project import lock
from dkenv.project.project import open_project


def run(opts, *, no_cache: bool, pull: bool) -> int:
    project = open_project(opts.directory)
    with lock.hold(project, opts.out.say):  # one up, down or build of a project at a time
        eng = engine.connect(opts.out)
        inputs = plan.make(project, engineinfo.engine_identity(eng, project).image_user)  # root on rootless
        context.write_project_context(project, inputs)
        ensure_image(project, eng, out=opts.out.say, force=no_cache or pull, nocache=no_cache, pull=pull,
                     build=inputs)
    return 0
