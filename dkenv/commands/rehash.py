"""`dkenv rehash`: regenerate the shims (after installing console scripts)."""
from __future__ import annotations

from dkenv.errors import FatalError
from dkenv.project.project import open_project
from dkenv.shell import shims


def venv_scripts(project, out) -> list[str] | None:
    """The venv's console scripts, or None (unknown) when the container is not running."""
    if not project.config.shims.venv_scripts:
        return []
    from dkenv.containers import venvscripts

    try:
        return venvscripts.listing(project)
    except FatalError as e:  # no Engine: the configured commands can still be shimmed
        out.say(str(e))
        return None


def run(opts) -> int:
    out = opts.out
    project = open_project(opts.directory)
    result = shims.rehash(project, venv_scripts(project, out))
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
