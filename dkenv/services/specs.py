"""The ContainerSpecs of the services beside the project container, in start order
(every dependency first, otherwise the file order).

Pure logic: no Docker, no click. resolve.py resolves each [services.NAME] and computes
the connection variables; docs/services.md describes the rules.
"""
from __future__ import annotations

from dkenv import hostuser
from dkenv.containers.spec import ContainerSpec, Healthcheck, Mount, published
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


def service_specs(project, app_spec: ContainerSpec, ident=None) -> list[ContainerSpec]:
    """The ContainerSpec of every service, in start order; `ident` (containers/identity.py,
    default: a rootful engine's) gives the host user's UID:GID on this engine and the user
    namespace."""
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
    return ContainerSpec(
        name=project.service_container(service.name), role=service.name, image=resolved.image,
        command=resolved.command, env=dict(resolved.env), mounts=mounts,
        ports=published(project.config.run.bind, service.ports), healthcheck=_healthcheck(resolved),
        user=_user(entry.user, ident) if entry and entry.user else None, userns=ident.userns if ident else None,
        depends_on=list(service.depends_on), health_timeout=service.timeout, data_dirs=data_dirs,
        stop_signal=entry.stop_signal if entry else None, stop_timeout=service.stop_timeout)


def _project_image_spec(project, resolved: ResolvedService, app: ContainerSpec,
                        connection: dict[str, str]) -> ContainerSpec:
    """The project's image, mounts, user and working dir; the app's env plus the connection env."""
    service = resolved.config
    return ContainerSpec(
        name=project.service_container(service.name), role=service.name, image=app.image,
        command=resolved.command, env={**connection, **app.env, **service.env}, mounts=list(app.mounts),
        ports=published(project.config.run.bind, service.ports), healthcheck=_healthcheck(resolved), user=app.user,
        working_dir=app.working_dir, depends_on=list(service.depends_on), health_timeout=service.timeout,
        data_dirs=list(app.data_dirs), stop_timeout=service.stop_timeout, userns=app.userns)


def _healthcheck(resolved: ResolvedService) -> Healthcheck | None:
    if not resolved.healthcheck:
        return None
    interval = resolved.entry.health_interval if resolved.entry else 1.0
    return Healthcheck(test=resolved.healthcheck, interval=float(interval))


def _user(template: str, ident=None) -> str:
    uid, gid = (ident.user if ident else hostuser.ids()).split(":")
    return template.format(uid=uid, gid=gid)
