"""The ContainerSpecs of the services beside the project container, in start order
(every dependency first, otherwise the file order); `all_specs`: every container's,
the project container last, given the services' connection variables.

Pure logic: no Docker, no click. resolve.py resolves each [services.NAME] and computes
the connection variables; docs/services.md describes the rules.
"""
from __future__ import annotations

from dkenv import fileio, hostuser
from dkenv.engine.spec import ContainerSpec, Healthcheck, Mount, published
from dkenv.errors import ConfigError
from dkenv.services.resolve import (
    PROJECT_IMAGE,
    ResolvedService,
    connection_env,
    resolve,
)


def start_order(services: dict) -> list[str]:
    """Service names with every dependency first; otherwise the file order (config.py has
    refused unknown dependencies and cycles at load)."""
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        for dep in services[name].depends_on:
            visit(dep)
        order.append(name)

    for name in services:
        visit(name)
    return order


def all_specs(project, app: ContainerSpec, ident=None) -> list[ContainerSpec]:
    """Every container of the project in start order: the services, then `app` (the project
    container's spec, containers/appspec.py), given the services' connection variables and
    its dependencies."""
    if not project.config.services:
        return [app]
    app.env.update(connection_env(project))
    ordered = service_specs(project, app, ident)  # in start order
    app.depends_on = [s.role for s in ordered]
    return [*ordered, app]


def service_specs(project, app_spec: ContainerSpec, ident=None) -> list[ContainerSpec]:
    """The ContainerSpec of every service, in start order; `ident` (engine/identity.py,
    default: a rootful engine's) gives the host user's UID:GID on this engine (0:0 on
    rootless Docker) and the user namespace (keep-id on rootless Podman)."""
    services = project.config.services
    connection = connection_env(project)
    specs = []
    for name in start_order(services):
        resolved = resolve(services[name])
        if resolved.kind == PROJECT_IMAGE:
            specs.append(_project_image_spec(project, resolved, app_spec, connection))
        else:
            specs.append(_image_spec(project, resolved, ident))
    return specs


def _image_spec(project, resolved: ResolvedService, ident=None) -> ContainerSpec:
    """A catalog or custom-image service."""
    service = resolved.config
    mounts, data_dirs = [], []
    if resolved.data_path:
        mounts.append(Mount(str(project.data_dir / service.name), resolved.data_path))
        data_dirs.append(service.name)
    entry = resolved.entry
    mounts += init_mounts(project, resolved)
    identity = _identity(project, resolved, ident)
    return ContainerSpec(
        name=project.service_container(service.name), role=service.name, image=resolved.image,
        command=resolved.command, env=dict(resolved.env), mounts=mounts + identity.get("mounts", []),
        ports=published(project.config.run.bind, service.ports), healthcheck=_healthcheck(resolved),
        user=identity.get("user"), group_add=identity.get("group_add", []),
        host_files=identity.get("host_files", {}), userns=ident.userns if ident else None,
        depends_on=list(service.depends_on), health_timeout=service.timeout, data_dirs=data_dirs,
        stop_signal=entry.stop_signal if entry else None, stop_timeout=service.stop_timeout)


def init_mounts(project, resolved: ResolvedService) -> list[Mount]:
    """The service's `init` scripts, read-only in its entry's init_dir (project/initscripts.py
    judges each path; config.py did at load, a script gone since is a config error here)."""
    service, entry = resolved.config, resolved.entry
    if not service.init or entry is None or not entry.init_dir:
        return []
    from dkenv.project import initscripts

    try:
        found = initscripts.files(project.root, service.init)
    except ValueError as e:
        raise ConfigError(f"dkenv: services.{service.name}.init: {e}") from None
    return [Mount(source, f"{entry.init_dir}/{name}", read_only=True) for source, name in found]


def _identity(project, resolved: ResolvedService, ident=None) -> dict:
    """Who a catalog service runs as: the entry's `user`; else, for a service that persists
    data and whose image allows it, the host user's UID:GID on this engine (`ident`, default
    a rootful engine's; so data/NAME is theirs), with the entry's groups and passwd entry;
    else the image's own user (also whenever that UID is root, dkenv run as root or a
    rootless Docker Engine: PostgreSQL, for one, refuses to run as root)."""
    entry = resolved.entry
    user = ident.image_user if ident else hostuser.current()
    uid, gid = user.uid, user.gid
    if entry is None:
        return {}
    if entry.user:
        return {"user": entry.user.format(uid=uid, gid=gid)}
    if not entry.run_as_host_user or not resolved.data_path or uid == 0:
        return {}
    identity = {"user": f"{uid}:{gid}", "group_add": list(entry.groups)}
    if entry.passwd:
        path = str(project.work_dir / PASSWD_FILE)
        identity["mounts"] = [Mount(path, "/etc/passwd", read_only=True)]
        identity["host_files"] = {path: passwd_text(user)}
    return identity


PASSWD_FILE = "passwd"  # in .dkenv/


def passwd_text(user: hostuser.User) -> str:
    """/etc/passwd for a service running as the host user: root and them (home /tmp, writable)."""
    return (f"# {fileio.MARK}: the host user, for the services that run as them\n"
            "root:x:0:0:root:/root:/bin/sh\n"
            f"{user.name}:x:{user.uid}:{user.gid}:{user.name}:/tmp:/bin/sh\n")


def _project_image_spec(project, resolved: ResolvedService, app: ContainerSpec,
                        connection: dict[str, str]) -> ContainerSpec:
    """The project's image, mounts and user; the app's env plus the connection env; run in the
    app's folder (image.workdir, where `dkenv run` runs run.command: a worker is the app's).
    Nothing of `.dkenv/` writable: the agent's socket folder is the project container's alone."""
    service = resolved.config
    work = str(project.work_dir)
    mounts = [m for m in app.mounts if m.read_only or not (m.target == work or m.target.startswith(work + "/"))]
    return ContainerSpec(
        name=project.service_container(service.name), role=service.name, image=app.image,
        command=resolved.command, env={**connection, **app.env, **service.env}, mounts=mounts,
        ports=published(project.config.run.bind, service.ports), healthcheck=_healthcheck(resolved), user=app.user,
        working_dir=str(project.app_dir), depends_on=list(service.depends_on), health_timeout=service.timeout,
        data_dirs=list(app.data_dirs), stop_timeout=service.stop_timeout, userns=app.userns)


def _healthcheck(resolved: ResolvedService) -> Healthcheck | None:
    if not resolved.healthcheck:
        return None
    interval = resolved.entry.health_interval if resolved.entry else 1.0
    return Healthcheck(test=resolved.healthcheck, interval=float(interval))
