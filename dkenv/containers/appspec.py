"""The project container: one long-lived container per project, the source bind-mounted
at the same absolute path, data/ with it, and over it, read-only, what the host runs or
trusts by itself (`.dkenv/`, `.git`...: boundary.py); the shell history in a mounted folder,
and the IDEs' helper folders ([ide] mounts) read-only at their own paths. Its process is the
exec agent (exec/agent), whose file `up` writes into `.dkenv/run/`."""
from __future__ import annotations

from dkenv import hostuser
from dkenv.containers import boundary
from dkenv.exec import agent
from dkenv.image.bytecode import WARM_UP
from dkenv.engine.identity import Identity
from dkenv.engine.spec import APP_ROLE, ContainerSpec, Mount, published
from dkenv.imagepaths import HISTORY_DIR
from dkenv.project import envfile, ide
from dkenv.project.project import Project


def debug_ports(project: Project) -> list[str]:
    """debugpy's port, published as the same port on the host, when [debug] port is set."""
    port = project.config.debug.port
    return [f"{port}:{port}"] if port else []


def app_env(project: Project) -> dict[str, str]:
    """run.env_file, then run.env on top, then what dkenv itself sets."""
    run = project.config.run
    env = envfile.load(project.root / run.env_file) if run.env_file else {}
    env.update(run.env)
    env.update({
        "DKENV_PROJECT": str(project.root),
        "DKENV_PROJECT_NAME": project.name,
        "HISTFILE": f"{HISTORY_DIR}/bash_history",
    })
    return env


def bytecode_env(project: Project, user: hostuser.User) -> dict[str, str]:
    """PYTHONDONTWRITEBYTECODE=1 when the project is the image user's home or holds it: that
    home is then the host's folder, and the bytecode cache the image keeps in it
    (image/bytecode.py) would be written where the host could run it."""
    root = str(project.root).rstrip("/") + "/"
    return {"PYTHONDONTWRITEBYTECODE": "1"} if (user.home.rstrip("/") + "/").startswith(root) else {}


def ide_mounts(project: Project) -> list[Mount]:
    """The IDEs' helper folders, read-only, each from its real folder at the path the IDE
    uses (project/ide.py chooses them; the same path when no link is on the way)."""
    return [Mount(f.source, f.target, read_only=True) for f in ide.mounts(project.config)]


def engine_lent(project: Project) -> tuple[list[Mount], dict[str, str], list[str]]:
    """`[run] docker = true`: the engine's socket, DOCKER_HOST and the host's static docker
    client for the project container (engine/lend.py); nothing otherwise."""
    if not project.config.run.docker:
        return [], {}, []
    from dkenv.engine import endpoint, lend

    ep = endpoint.resolve()
    if ep.tls is not None:
        from dkenv.errors import FatalError

        raise FatalError(f"dkenv: [run] docker: the engine at {ep.host} uses TLS, whose certificates dkenv does not "
                         "hand to the container; unset [run] docker, or select a local engine")
    return lend.lent(ep.host, lend.host_client())


def app_entrypoint(project: Project) -> tuple[list[str], list[str]]:
    """The project container's entrypoint and command: the venv compiled in the background
    first (image/bytecode.py), then the exec agent (exec/agent), else sleep."""
    return agent.entrypoint(project, WARM_UP)


def app_spec(project: Project, image: str, ident: Identity | None = None) -> ContainerSpec:
    """The project container; its user is the image's (the engine's identity was baked in),
    its user namespace the identity's (keep-id on rootless Podman)."""
    root = str(project.root)
    entrypoint, command = app_entrypoint(project)
    engine_mounts, engine_env, engine_groups = engine_lent(project)
    return ContainerSpec(
        name=project.container,
        role=APP_ROLE,
        image=image,
        entrypoint=entrypoint,
        command=command,
        env={**app_env(project), **engine_env,
             **bytecode_env(project, ident.image_user if ident else hostuser.current())},
        mounts=[Mount(root, root), *boundary.mounts(project), Mount(str(project.history_dir), HISTORY_DIR),
                *ide_mounts(project), *engine_mounts],
        group_add=engine_groups,
        ports=published(project.config.run.bind, project.config.run.ports + debug_ports(project)),
        working_dir=root,
        init=True,
        data_dirs=[str(project.history_dir.relative_to(project.data_dir))],
        host_files=agent.host_files(project),
        userns=ident.userns if ident else None,
    )
