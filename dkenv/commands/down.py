"""`dkenv down [--purge [NAME...]] [--yes]`, `dkenv down --root OLD`."""
from __future__ import annotations

from dkenv.engine import engine

from dkenv.containers import lifecycle
from dkenv.containers import purge as purging
from dkenv.errors import ConfigError, UsageError
from dkenv.project.project import open_project


def run(opts, *, purge: bool, yes: bool, services: list[str], root: str | None = None) -> int:
    out = opts.out
    if services and not purge:
        raise UsageError("dkenv: naming services only makes sense with --purge")
    if root is not None:
        return by_root(opts, root, purge)
    try:
        project = open_project(opts.directory)
    except ConfigError as e:
        if purge:
            raise
        return broken_config(opts, e)
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


def by_root(opts, root: str, purge: bool) -> int:
    """The containers labelled with a root: the folder's own `down` when it still holds a project."""
    from dkenv.containers import byroot
    from dkenv.project.registry import holds_project

    if purge:
        raise UsageError("dkenv: --root and --purge do not go together: the data is in the project's folder, "
                         "wherever it is now; run `dkenv down --purge` there")
    path = byroot.normalized(root)
    if holds_project(path):
        project = open_project(path)
        lifecycle.down(project, engine.connect(opts.out), out=opts.out.say)
        return 0
    byroot.down(engine.connect(opts.out), path, opts.out.say)
    return 0


def broken_config(opts, error: ConfigError) -> int:
    """A `.dkenv.toml` that no longer loads still lets its containers be stopped: they are
    found by the `dkenv.root` label of the folder that holds the file (down --root)."""
    from dkenv.containers import byroot
    from dkenv.project import config

    try:
        root = config.locate_root(opts.directory)
    except ConfigError:
        raise error from None  # no .dkenv.toml at all: nothing of this folder's to find
    opts.out.say(f"{error}")
    opts.out.say(f"dkenv: stopping this folder's containers by their label instead ({root})")
    byroot.down(engine.connect(opts.out), byroot.normalized(str(root)), opts.out.say)
    return 0
