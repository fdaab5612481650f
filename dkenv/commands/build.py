"""`dkenv build [--no-cache] [--pull] [--production]`: write the build context in .dkenv/
(Dockerfile, manifests) and build the project image; with --production, the image that
ships (production/plan.py, production/build.py)."""
from __future__ import annotations

from dkenv.containers import mountcheck
from dkenv.engine import engine
from dkenv.image import context, plan
from dkenv.image.build import ensure_image
from dkenv.project import lock
from dkenv.project.project import open_project


def run(opts, *, no_cache: bool, pull: bool, production: bool = False) -> int:
    project = open_project(opts.directory)
    if production:
        return _production(opts, project, no_cache=no_cache, pull=pull)
    with lock.hold(project, opts.out.say):  # one up, down or build of a project at a time
        eng = engine.connect(opts.out)
        inputs = plan.make(project, mountcheck.identity(eng, project).image_user)  # root on rootless
        context.write_project_context(project, inputs)
        ensure_image(project, eng, out=opts.out.say, force=no_cache or pull, nocache=no_cache, pull=pull,
                     build=inputs)
    return 0


def _production(opts, project, *, no_cache: bool, pull: bool) -> int:
    from dkenv.production import build as prodbuild, plan as production

    inputs = production.make(project, prodbuild.DOCKERFILE)
    say = opts.out.say
    for note in inputs.notes:
        say(f"dkenv: {note}")
    with lock.hold(project, say):
        tag = prodbuild.ensure_production_image(project, engine.connect(opts.out), inputs, out=say,
                                                force=no_cache or pull, nocache=no_cache, pull=pull)
    plan_ = inputs.plan
    say(f"dkenv: {tag} (also {inputs.repo(project)}:latest) runs `{plan_.command}` on port {plan_.port}"
        + (f"; release step: `{inputs.release}`" if inputs.release else ""))
    opts.out.echo(tag)
    return 0
