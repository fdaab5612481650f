"""`dkenv down [--purge [NAME...]] [--yes]`."""
from __future__ import annotations

from dkenv import engine, lifecycle, output, purge as purging
from dkenv.errors import UsageError
from dkenv.project import open_project


def run(opts, *, purge: bool, yes: bool, services: list[str]) -> int:
    project = open_project(opts.directory)
    if services and not purge:
        raise UsageError("dkenv: naming services only makes sense with --purge")
    targets = purging.targets(project, services) if purge else []
    if purge and not targets:
        output.say("dkenv: no persisted data to purge")
    if targets:
        listing = ", ".join(str(t.path.relative_to(project.root)) for t in targets)
        if not output.confirm(f"dkenv: delete {listing} for good?", yes):
            output.say("dkenv: nothing deleted")
            return 1
    eng = engine.connect()
    lifecycle.down(project, eng, out=output.say)
    if targets:
        purging.delete(project, eng, targets, out=output.say)
    return 0
