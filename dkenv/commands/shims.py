"""`dkenv shims`: list the shims of this project and where each comes from."""
from __future__ import annotations

from dkenv.project.project import open_project
from dkenv.shell import shims


def run(opts) -> int:
    project = open_project(opts.directory)
    present = shims.present(project.shims_dir)
    if not present:
        opts.out.say(f"dkenv: no shims in {project.shims_dir}; run `dkenv rehash`")
        return 0
    width = max(len(name) for name in present)
    for name, origin in present.items():
        label = "venv script" if origin == shims.VENV_SCRIPT else "[shims] commands"
        opts.out.echo(f"{name:<{width}}  {label}")
    return 0
