"""The lean no-op `dkenv up`: `dkenv [-C DIR] up` without options, when there is nothing to do,
says so without click, tomlkit or the Docker SDK (dkenv/entry.py calls it before the CLI).

First from the cache (containers/upcache.py): a few `stat` calls and the containers in
/proc, nothing parsed nor hashed but `.dkenv.toml`. Else the full no-op check
(containers/noop.py: the config read and validated, the image tag and the containers'
specs computed, the generated files and the IDE interpreter written when they differ),
recorded (dkenv/recorder.py) so that the next `up` can take the cache. Anything to do, or
to report, returns None: the full CLI opens the project again and says it as always.
"""
from __future__ import annotations

import sys

from dkenv.commands import _lean


def try_up(args: list[str]) -> int | None:
    """0 once said that there is nothing to do; None for the full CLI."""
    if args == ["up"]:
        directory = None
    elif len(args) == 3 and args[0] == "-C" and args[2] == "up":
        directory = args[1]
    else:
        return None
    start = _lean.start_folder(directory)
    root = _lean.find_root(start) if start != "" else None
    if root is not None:
        from dkenv.containers import upcache

        said = upcache.hit(root)
        if said is not None:
            _say(said)
            return 0
    said = []
    try:
        if not _noop(directory, root, said):
            return None
    except Exception:  # a bad config, a build input gone...: the full CLI's message
        return None
    _say(said)
    return 0


def _noop(directory: str | None, root: str | None, said: list[str]) -> bool:
    """The full no-op check, its lines in `said`; recorded for the cache when `root` is known."""
    from dkenv.commands import up
    from dkenv.containers import noop, upcache
    from dkenv.project.project import open_project
    from dkenv.recorder import Recorder

    with Recorder(skip=upcache.skipped(root) if root else ()) as recording:
        project = open_project(directory)
        wanted = noop.check(project, said.append)
        if wanted is None:
            return False
        up.done(project, SimpleOptions(said.append))
    if root == str(project.root):
        upcache.store(root, recording.finish(), wanted, said)
    return True


def _say(lines: list[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr, flush=True)


class SimpleOptions:
    """The CLI's Options, as up.done uses them, its lines kept."""

    def __init__(self, say):
        self.out = self
        self.say = say
        self.directory = None
