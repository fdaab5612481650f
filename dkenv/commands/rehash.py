"""`dkenv rehash` (regenerate the shims) and `dkenv shims` (list them)."""
from __future__ import annotations

from dkenv import shims
from dkenv.errors import FatalError
from dkenv.project import open_project


def venv_scripts(project, echo) -> list[str] | None:
    """The venv's console scripts, or None (unknown) when the container is not running."""
    if not project.config.shims.venv_scripts:
        return []
    try:
        from dkenv import lifecycle

        return lifecycle.venv_scripts(project)
    except FatalError as e:  # no Engine: the configured commands can still be shimmed
        echo(str(e), err=True)
        return None


def run(opts, echo) -> int:
    project = open_project(opts.directory)
    result = shims.rehash(project, venv_scripts(project, echo))
    for name in result.not_ours:
        echo(f"dkenv: {project.shims_dir / name} is not a dkenv shim; left alone", err=True)
    if result.venv_unknown:
        kept = f"kept the venv-script shims from before ({', '.join(result.kept_venv)})" if result.kept_venv \
            else "the venv's console scripts are not shimmed yet"
        echo(f"dkenv: the container is not running: {kept}; `dkenv rehash` again once it runs", err=True)
    if result.removed:
        echo(f"dkenv: removed {', '.join(result.removed)}", err=True)
    echo(f"dkenv: {len(result.shims)} shims in {project.shims_dir}: {', '.join(result.shims)}", err=True)
    return 0


def list_shims(opts, echo) -> int:
    project = open_project(opts.directory)
    present = shims.present(project.shims_dir)
    if not present:
        echo(f"dkenv: no shims in {project.shims_dir}; run `dkenv rehash`", err=True)
        return 0
    width = max(len(name) for name in present)
    for name, origin in present.items():
        label = "venv script" if origin == shims.VENV else "[shims] commands"
        echo(f"{name:<{width}}  {label}")
    return 0
