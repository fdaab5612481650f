"""`dkenv ci github|gitlab [--test-command CMD] [--registry REG] [--install SPEC] [-o FILE]
[--force]`: write a CI workflow that tests in the project image (no Engine needed)."""
from __future__ import annotations

import os
from pathlib import Path

from dkenv.commands.export import write
from dkenv.export import ci
from dkenv.project.project import open_project


def run(opts, *, provider: str, test_command: str | None, registry: str | None, install: str | None,
        output: str | None, force: bool) -> int:
    project = open_project(opts.directory)
    repo = ci.git_root(project.root)
    text = ci.render(provider, workdir=os.path.relpath(project.root, repo),
                     registry=ci.DEFAULT_REGISTRY[provider] if registry is None else registry,
                     test=test_command or ci.DEFAULT_TEST, install=install or ci.DEFAULT_INSTALL)
    if output == "-":
        opts.out.echo(text.rstrip("\n"))
        return 0
    path = Path(output) if output else repo / ci.OUTPUT[provider]
    write(path, text, force)
    opts.out.say(f"dkenv: wrote {path}; commit it to run the tests in the project image")
    return 0
