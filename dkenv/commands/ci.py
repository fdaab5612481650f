"""`dkenv ci github|gitlab [--test-command CMD] [--registry REG] [--install SPEC] [-o FILE]
[--force]`: write a CI workflow that tests in the project image (no Engine needed)."""
from __future__ import annotations

import os
from pathlib import Path

from dkenv.commands.export import write
from dkenv.detect import testcommand
from dkenv.export import ci
from dkenv.project.project import open_project


def run(opts, *, provider: str, test_command: str | None, registry: str | None, install: str | None,
        output: str | None, force: bool) -> int:
    project = open_project(opts.directory)
    repo = ci.git_root(project.root)
    if test_command is None:
        found = testcommand.detect(project.app_dir)
        test_command = f"dkenv exec {found.command}"
        if project.app_dir != project.root:  # image.workdir: the app's own folder
            test_command = f"cd {ci.shell_word(os.path.relpath(project.app_dir, project.root))} && {test_command}"
        opts.out.say(f"dkenv: tests: `{test_command}` ({found.reason}); --test-command to change it")
    if install is None:
        install, note = ci.install_spec(ci.installed_origin())
        if note:
            opts.out.say(f"dkenv: note: {note}")
    text = ci.render(provider, workdir=os.path.relpath(project.root, repo),
                     registry=ci.DEFAULT_REGISTRY[provider] if registry is None else registry,
                     test=test_command, install=install)
    if output == "-":
        opts.out.echo(text.rstrip("\n"))
        return 0
    path = Path(output) if output else repo / ci.OUTPUT[provider]
    write(path, text, force)
    opts.out.say(f"dkenv: wrote {path}; commit it to run the tests in the project image")
    return 0
