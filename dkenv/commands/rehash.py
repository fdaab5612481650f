"""`dkenv rehash`: regenerate the shims and the IDE interpreter (after installing console
scripts), and refresh the IDE's copy of site-packages when the installed packages changed."""
from __future__ import annotations

from dkenv.errors import FatalError
from dkenv.project.project import open_project
from dkenv.shell import interpreter, shims


def venv_scripts(project, out) -> list[str] | None:
    """The venv's console scripts, or None (unknown) when the container is not running."""
    if not project.config.shims.venv_scripts:
        return []
    from dkenv.shell import venvscripts

    try:
        return venvscripts.listing(project)
    except FatalError as e:  # no Engine: the configured commands can still be shimmed
        out.say(str(e))
        return None


def refresh_site_packages(project, out) -> None:
    """Copy site-packages again when the running container's differs from the copy."""
    if not project.config.ide.site_packages:
        return
    from dkenv.engine import engine
    from dkenv.exec import pidfile
    from dkenv.ide import sitepackages

    try:  # the engine the project runs on, as the shims reach it
        eng = engine.connect_recorded(pidfile.known_running(project))
        state = eng.state(project.container)
        if state is not None and state.running:
            sitepackages.try_sync(project, eng, state.image, out.say)
    except FatalError as e:
        out.say(str(e))


def run(opts) -> int:
    out = opts.out
    project = open_project(opts.directory)
    scripts = venv_scripts(project, out)
    interpreter.update(project, out.say)
    if scripts is not None:  # the container runs (or no venv scripts are wanted)
        refresh_site_packages(project, out)
    result = shims.rehash(project, scripts)
    for name in result.not_ours:
        out.say(f"dkenv: {project.shims_dir / name} is not a dkenv shim; left alone")
    if result.venv_unknown:
        kept = f"kept the venv-script shims from before ({', '.join(result.kept_venv)})" if result.kept_venv \
            else "the venv's console scripts are not shimmed yet"
        out.say(f"dkenv: the container is not running: {kept}; `dkenv rehash` again once it runs")
    if result.removed:
        out.say(f"dkenv: removed {', '.join(result.removed)}")
    out.say(f"dkenv: {len(result.shims)} shims in {project.shims_dir}: {', '.join(result.shims)}")
    return 0
