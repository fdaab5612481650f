"""The lean no-op `dkenv up`: `dkenv [-C DIR] up` without options, when there is nothing to do,
says so without click, tomlkit or the Docker SDK (dkenv/entry.py calls it before the CLI,
inside the one error boundary).

First from the cache (containers/upcache.py): `stat` calls and the containers in /proc,
nothing parsed nor hashed. Else the full no-op check (containers/noop.py: the config read and
validated, the image tag and the containers' specs computed, the generated files and the IDE
interpreter written when they differ), with what it read declared where it reads it
(dkenv/declared.py), so that the next `up` can take the cache. Anything to do, or to report,
returns None: the full CLI opens the project again and says it as always.
"""
from __future__ import annotations

import sys

from dkenv.commands import _lean
from dkenv.project import root as root_search


def try_up(args: list[str]) -> int | None:
    """0 once said that there is nothing to do; None for the full CLI."""
    found = _lean.parse_global(args, "up")
    if found is None or found[1]:
        return None  # an option of the group's or of up's
    directory = found[0]
    start = _lean.start_folder(directory)
    root = root_search.find(start) if start != "" else None
    if root is not None:
        from dkenv.containers import upcache

        said = upcache.hit(root)
        if said is not None:
            _say(said)
            return 0
    said: list[str] = []
    try:
        if not _noop(directory, root, said):
            return None
    except Exception:  # a bad config, a build input gone...: the full CLI's message
        return None
    _say(said)
    return 0


def _noop(directory: str | None, root: str | None, said: list[str]) -> bool:
    """The full no-op check, its lines in `said`; its inputs cached when `root` is known."""
    from dkenv import declared
    from dkenv.commands import up
    from dkenv.containers import noop, upcache
    from dkenv.output import Options, Output
    from dkenv.project.project import open_project

    opts = Options(directory, Output(said=said))
    with declared.Collecting() as seen:
        project = open_project(directory)
        found = noop.check(project, opts.out.say)
        if found is None:
            return False
        up.done(project, opts, found.inputs)
        upcache.declare_own_files()
    if root == str(project.root):
        upcache.store(root, seen, found.wanted, said)
    return True


def _say(lines: list[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr, flush=True)
