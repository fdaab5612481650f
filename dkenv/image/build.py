"""Building the project image: write .dkenv/Dockerfile, build when the tag is missing
(`ready`, `up`'s image step; `ensure_image` for `dkenv build`), prune the old ones. When
the requirements only gained packages or changed versions since the project's last image,
the new one is an incremental step on it (`image/incremental.py`); every image carries the
labels that let a later build judge that.

While it builds, the user reads one line per step (`image/buildsteps.py`), redrawn with
its time and last output on a terminal (`image/buildscreen.py`), or Docker's raw output
with -v; the raw output always goes to `.dkenv/build.log` (replaced by each
build). A failed build is one paragraph naming the step, the package and the cause
(`image/buildlog.py`, `image/buildreport.py`) and the log's path: exit 1.
"""
from __future__ import annotations

import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from dkenv import __version__, fileio, installers
from dkenv.engine.engine import BuildFailed, Engine
from dkenv.engine.spec import LABEL_PROJECT, LABEL_ROOT
from dkenv.errors import FatalError
from dkenv.humanize import duration_text, size_text
from dkenv.image import buildlog, buildroute, buildprogress, buildreport, buildscreen, buildsteps, incremental, incrementalstep, plan
from dkenv.image.context import write_project_context
from dkenv.image.dockerfile import python_packages
from dkenv.project import lastbuilt
from dkenv.project.project import Project

LOG_NAME = "build.log"
BUILDKIT_NAME = "Dockerfile.buildkit"  # in the build context, as in .dkenv/ (image/context.py)


def ready(project: Project, engine: Engine, inputs: plan.BuildInputs, *, out, build: bool = True,
          present: bool = False, running: str = "") -> str:
    """`up`'s image step, once everything that can refuse has been checked: `.dkenv/Dockerfile`
    and its context written (image/context.py: each file only when it differs), then the
    image built when its tag is missing; with `build` false (`up --no-build`) a missing image
    is refused instead. `present`: every container already runs this tag, so the Engine is
    not asked; `running`: the image the project container runs (an incremental step's first
    candidate). The tag."""
    write_project_context(project, inputs)  # `docker build .dkenv` builds the same image
    tag = inputs.tag(project)
    if present:
        return tag
    if build:
        return ensure_image(project, engine, out=out, build=inputs, running=running)
    if not engine.image_exists(tag):
        raise FatalError(f"dkenv: the image {tag} is not built; run `dkenv build` (or `dkenv up`)")
    return tag


def ensure_image(project: Project, engine: Engine, *, out, force: bool = False, nocache: bool = False,
                 pull: bool = False, build: plan.BuildInputs | None = None, running: str = "") -> str:
    """The image tag for the project's current inputs (`build`, else computed), built if it
    does not exist yet. `.dkenv/Dockerfile` and its context are the callers'
    (image/context.py), written first."""
    build = build or plan.make(project)
    tag = build.tag(project)
    if not force and engine.image_exists(tag):
        out(f"dkenv: image {tag} is up to date")
        return tag
    log_path = fileio.ensure_work_dir(project.work_dir) / LOG_NAME
    labels = {LABEL_PROJECT: project.name, LABEL_ROOT: str(project.root)}
    if not force and not nocache and not pull and _incremental(project, engine, build, out=out, log_path=log_path,
                                                               labels=labels, running=running):
        lastbuilt.remember(engine, project.name, tag)
        return tag
    with tempfile.TemporaryDirectory(prefix="dkenv-build-") as folder:
        context = Path(folder) / "context"
        plan.write_context(build, context)
        run_build(engine, str(context), tag, build.dockerfile, log_path=log_path, out=out,
                  shown=shown_path(project.work_dir / "Dockerfile"), nocache=nocache, pull=pull,
                  labels={**labels, **incremental.labels(build.dockerfile, build.files)},
                  failure=lambda tracker, error, log: _failure(tracker, error, build, log), buildkit=build.buildkit)
    lastbuilt.remember(engine, project.name, tag)
    return tag


def _incremental(project: Project, engine: Engine, build: plan.BuildInputs, *, out, log_path: Path,
                 labels: dict[str, str], running: str = "") -> bool:
    """The new image as an incremental step on the previous one (image/incremental.py), when
    only additions and version changes happened in the manifests; True when built. A step
    that fails is said, and the caller builds from the start."""
    if not incrementalstep.applies(build.image):
        return False
    found = _step_base(project, engine, build, running)
    if isinstance(found, str):
        if found:
            out(f"dkenv: building from the start: {found}")
        return False
    previous, changed = found
    base = previous.tags[0] if previous.tags else previous.id
    steps = int(previous.labels.get(incremental.LABEL_STEPS, "0")) + 1
    with tempfile.TemporaryDirectory(prefix="dkenv-build-") as folder:
        context = Path(folder) / "context"
        plan.write_context(build, context)
        text = incrementalstep.render(build.image, base, cache=False)
        (context / incrementalstep.NAME).write_text(text)
        try:
            run_build(engine, str(context), build.tag(project), text, log_path=log_path, out=out,
                      shown=f"an incremental step in {shown_path(log_path)}", nocache=False, pull=False,
                      labels={**labels, **incremental.labels(build.dockerfile, build.files, steps)},
                      failure=lambda tracker, error, log: error, dockerfile=incrementalstep.NAME,
                      buildkit=incrementalstep.render(build.image, base, cache=True),
                      on=f" on {base} ({', '.join(changed) or 'files'} added or changed)", logged=True)
        except FatalError as e:
            out(f"dkenv: the incremental step failed ({e}); building from the start")
            return False
    return True


def _step_base(project: Project, engine: Engine, build: plan.BuildInputs, running: str):
    """incremental.choose's answer: first on the image the project container runs (`running`),
    else the one the last build made (project/lastbuilt.py), one inspect; else on every image of
    the project (a list: the engine walks all its images)."""
    lock = installers.get(build.image.install).lock_file if incrementalstep.synced(build.image) else None

    def choose(rows):
        images = [incremental.Previous(i, tuple(t), lb, c) for i, t, lb, c in rows]
        return incremental.choose(images, build.dockerfile, build.files, lock)

    first = running or lastbuilt.recall(engine, project.name)
    one = engine.image_details(first) if first else None
    mine = one is not None and one[2].get(LABEL_PROJECT) == project.name
    found = choose([one]) if mine else ""
    return found if not isinstance(found, str) else choose(engine.project_image_details(project.name))


def run_build(engine: Engine, context: str, tag: str, dockerfile_text: str, *, log_path: Path, out, shown: str,
              nocache: bool, pull: bool, labels: dict[str, str], failure, dockerfile: str | None = None,
              buildkit: str = "", on: str = "", logged: bool = False) -> None:
    """Build `context` as `tag`, saying its progress: a redrawn line per step on a terminal
    (image/buildscreen.py), plain lines elsewhere, Docker's raw output with -v; the whole
    output goes to `log_path`. With a BuildKit rendering (`buildkit`) and a docker CLI that
    builds with BuildKit for this engine (engine/clibuild.py), that text is built through
    the CLI; else `dockerfile_text` through the SDK (the classic builder). The first line
    says which (and `on`, what the build is on: an incremental step's previous image); with
    `logged` the Dockerfile built heads the log. A failure raises FatalError(failure(tracker, error, log))."""
    route = buildroute.choose(engine, buildkit)
    if route.cached:
        dockerfile_text, dockerfile, shown = buildkit, BUILDKIT_NAME, shown if logged else f"{shown}.buildkit"
        (Path(context) / BUILDKIT_NAME).write_text(buildkit)
    verbose = engine.verbose
    out(f"dkenv: building {tag}{on} with {route.describe()} (Dockerfile: {shown})")
    started = time.monotonic()
    screen = buildscreen.Screen() if buildscreen.wanted(verbose=verbose, mode=engine.progress) else None
    steps = buildsteps.parse(dockerfile_text)
    tracker = buildsteps.Tracker(steps, _quiet if verbose else out, screen=screen)
    with buildprogress.Replacing(log_path) as log:
        log.write(f"# dkenv {__version__}: build of {tag}, {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC\n")
        if logged:
            log.write("".join(f"# | {line}\n" for line in dockerfile_text.splitlines()))
        progress = buildprogress.Progress(tracker, log, verbose, route.translator(steps))
        try:
            route.build(engine, context, tag, dockerfile_text, progress=progress, nocache=nocache, pull=pull,
                        labels=labels, dockerfile=dockerfile)
        except BuildFailed as e:
            progress.close(failed="failed")
            log.write(f"\nERROR: {e.error}\n")
            raise FatalError(failure(tracker, e.error, shown_path(log_path))) from None
        except BaseException as e:
            progress.close(failed="interrupted" if isinstance(e, KeyboardInterrupt) else "failed")
            raise
        progress.close()
        log.write(f"# built in {duration_text(time.monotonic() - started)}\n")
    out(summary(tag, time.monotonic() - started, engine.image_size(tag), tracker))


def summary(tag: str, seconds: float, size: int | None, tracker: buildsteps.Tracker) -> str:
    """"dkenv: built dkenv/shop:5ff9 in 1m 12s (412 MB), 3 of 6 steps cached"."""
    weight = f" ({size_text(size)})" if size else ""
    cached = f", {tracker.cached} of {tracker.total} steps cached" if tracker.cached else ""
    return f"dkenv: built {tag} in {duration_text(seconds)}{weight}{cached}"


def _failure(tracker: buildsteps.Tracker, error: str, build: plan.BuildInputs, log: str) -> str:
    output = list(tracker.output)
    image = build.image
    context = buildreport.Context(python=image.python, installer=image.install,
                                  apt=tuple([*image.apt, *python_packages(image)]))
    return buildreport.message(tracker.where(), buildlog.diagnose(output), tail=output, error=error, log=log,
                               context=context)


def shown_path(path: Path) -> str:
    """`path` relative to the cwd when it is below it (".dkenv/build.log"), else absolute."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _quiet(_line: str) -> None:
    """With -v the raw output already shows each step."""
