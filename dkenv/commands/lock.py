"""`dkenv lock [--force]`: the lock dkenv resolved in the image for a project without one,
written into the project as the installer's own lock file (poetry.lock, uv.lock,
Pipfile.lock, pdm.lock), so that the next `up` installs exactly it (image/resolvedlock.py).
The image is built first when missing; a lock file the project has is never replaced
without --force, which resolves anew in an image built as if there were none."""
from __future__ import annotations

from dkenv.containers import mountcheck
from dkenv.engine import engine
from dkenv.errors import FatalError
from dkenv.image import context, plan, resolvedlock
from dkenv.image.build import ensure_image
from dkenv.project import lock as project_lock
from dkenv.project.project import open_project


def run(opts, *, force: bool) -> int:
    project = open_project(opts.directory)
    say = opts.out.say
    with project_lock.hold(project, say):  # one up, down, build or lock of a project at a time
        eng = engine.connect(opts.out)
        user = mountcheck.identity(eng, project).image_user
        inputs = plan.make(project, user)
        found = resolvedlock.lock_of(inputs.image, project.app_dir)
        if found is None:
            raise FatalError(resolvedlock.no_lock_file(inputs.image))
        refused = resolvedlock.refusal(found, force)
        if refused:
            raise FatalError(refused)
        if not found.resolved:  # --force over the project's lock: an image that resolves anew without it
            inputs = plan.make(project, user, without_lock=True)
        context.write_project_context(project, inputs)
        tag = ensure_image(project, eng, out=say, build=inputs)
        resolvedlock.write(found, resolvedlock.copy_out(eng, tag, found))
    say(f"dkenv: wrote {resolvedlock.shown(found.target)} (resolved in the image {tag}); the next `dkenv up` installs from it")
    return 0
