"""What the project wants running: every container's spec, in start order, and the folders
and files on the host they mount. Pure of the Engine: `up`, the no-op `up`, `export` and
`doctor` compute the same specs here."""
from __future__ import annotations

from pathlib import Path

from dkenv import fileio
from dkenv.containers import appspec, boundary
from dkenv.engine import identity
from dkenv.engine.spec import ContainerSpec
from dkenv.project.project import Project


def specs(project: Project, image: str, ident: identity.Identity | None = None) -> list[ContainerSpec]:
    """Every container of the project, in start order (services first, the app last), as
    the engine's identity wants them (engine/identity.py)."""
    ident = ident or identity.default()
    app = appspec.app_spec(project, image, ident)
    if not project.config.services:
        return [app]  # the services' modules are not even loaded
    from dkenv.services.specs import all_specs

    return all_specs(project, app, ident)


def prepare_dirs(project: Project, wanted: list[ContainerSpec]) -> None:
    """data/ folders the containers mount, created by dkenv as the host user; never
    through a symlink (a container would write, and chown, wherever it points); `.dkenv/`
    and the agent's socket folder (boundary.prepare). Then the files dkenv mounts into them
    (a service's passwd entry for the host user)."""
    fileio.ensure_work_dir(project.work_dir)
    boundary.prepare(project)
    for spec in wanted:
        for rel in spec.data_dirs:
            fileio.ensure_data_dir(project.data_dir, rel)
        for path, text in spec.host_files.items():
            fileio.write_marked(Path(path), text, mode=0o644)
