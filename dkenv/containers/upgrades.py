"""A service's new major version on data written by another one: PostgreSQL 16 does not
read a PostgreSQL 15 data folder. Such a recreate is refused, before anything is
stopped, unless forced; the data must be dumped with the old version and restored."""
from __future__ import annotations

from dkenv import imageref
from dkenv.containers import convergence
from dkenv.engine.engine import Engine
from dkenv.engine.spec import ContainerState, Mount
from dkenv.errors import FatalError


def check(project, engine: Engine, actions: list[convergence.Action], existing: dict[str, ContainerState],
          force: bool) -> None:
    from dkenv.services.resolve import resolve

    for action in actions:
        have = existing.get(action.name)
        service = project.config.services.get(action.spec.role) if action.spec else None
        if action.verb != convergence.RECREATE or have is None or service is None or have.image == action.spec.image:
            continue
        entry = resolve(service).entry
        if entry is None or not entry.data_version_file or not action.spec.data_dirs:
            continue
        folder = project.data_dir / action.spec.data_dirs[0]
        code, out = engine.run_once(have.image, ["cat", f"/dkenv-data/{entry.data_version_file}"],
                                    [Mount(str(folder), "/dkenv-data")])
        written = out.decode(errors="replace").strip()
        wanted = (imageref.split(action.spec.image)[1] or "").split(".")[0]
        if code != 0 or not written.isdigit() or written == wanted or force:
            continue
        raise FatalError(
            f"dkenv: {folder} holds data of {entry.name} {written}, and {service.name} would now run "
            f"{action.spec.image}, which cannot read it. Nothing was stopped. Dump it with the running "
            f"version (e.g. `dkenv exec pg_dumpall` through the service), move {folder} away, `dkenv up`, and "
            f"restore; or keep `version = \"{written}\"`. `dkenv up --force` recreates it anyway")
