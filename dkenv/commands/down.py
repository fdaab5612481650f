"""`dkenv down [--purge [NAME...]] [--yes]`."""
from __future__ import annotations

from dkenv.containers import engine, lifecycle
from dkenv.containers import purge as purging
from dkenv.errors import UsageError
from dkenv.project.project import open_project


def run(opts, *, purge: bool, yes: bool, services: list[str]) -> int:
    project = open_project(opts.directory)
    out = opts.out
    if services and not purge:
        raise UsageError("dkenv: naming services only makes sense with --purge")
    targets = purging.targets(project, services) if purge else []
    if purge and not targets:
        out.say("dkenv: no persisted data to purge")
    if targets:
        listing = ", ".join(str(t.path.relative_to(project.root)) for t in targets)
        if not out.confirm(f"dkenv: delete {listing} for good?", yes):
            out.say("dkenv: nothing deleted")
            return 1
    eng = engine.connect(out)
    lifecycle.down(project, eng, out=out.say)
    if targets:
        purging.delete(project, eng, targets, out=out.say)
    return 0
