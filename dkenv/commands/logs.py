"""`dkenv logs [SERVICE] [-f] [--tail N]`."""
from __future__ import annotations

import sys

from dkenv.engine import engine
from dkenv.errors import FatalError, UsageError
from dkenv.project.project import open_project


def run(opts, *, service: str | None, follow: bool, tail: str) -> int:
    project = open_project(opts.directory)
    if tail != "all" and not tail.isdigit():
        raise UsageError(f"dkenv: --tail takes a number or 'all', not {tail!r}")
    if service and service not in project.config.services:
        raise UsageError(f"dkenv: no service named {service!r}; services: "
                         + (", ".join(project.config.services) or "none"))
    name = project.service_container(service) if service else project.container
    eng = engine.connect(opts.out)
    if eng.state(name) is None:
        raise FatalError(f"dkenv: {name} does not exist; run `dkenv up`")
    for chunk in eng.logs(name, tail=tail, follow=follow):
        sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
    return 0
