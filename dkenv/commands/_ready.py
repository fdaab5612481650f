"""What exec, run, shell and debug share: the project, its running container, the cwd inside."""
from __future__ import annotations

import os

from dkenv.exec import execution
from dkenv.errors import UsageError
from dkenv.project.project import Project, open_project


def workdir(opts, project: Project) -> str:
    """The cwd inside; with -C DIR from outside the project, its root."""
    try:
        return execution.container_cwd(project)
    except UsageError:
        if not opts.directory:
            raise
        return str(project.root)


def running_project(opts):
    """The project, the cwd inside, and the pid file's record of its running container (its
    engine and user: what `execution.run` takes as `cli_env` and `user`)."""
    project = open_project(opts.directory)
    cwd = workdir(opts, project)
    record = ensure_running(opts, project)
    from dkenv.commands import _lean

    _lean.remember(project)  # validated and running: the next `dkenv exec` may skip all this
    return project, cwd, record


def ensure_running(opts, project: Project):
    """Start the project container when needed; the pid file's record of it. When the pid
    file says it runs, neither the SDK nor the Engine is touched."""
    from dkenv.exec import pidfile

    record = pidfile.known_running(project)
    if record is None:
        from dkenv.engine import engine
        from dkenv.orchestrator import up

        if os.environ.get("DKENV_FROM_SHIM"):
            _approved_or_refuse(project)
        record = up.ensure_running(project, engine.connect(opts.out), opts.out.say)
    return record


def _approved_or_refuse(project) -> None:
    """A shim may build and start the project only with what was approved: `.dkenv.toml`
    and the files it runs at build or injects (a pull can change them after activation)."""
    from dkenv.shell import allow

    if not allow.is_allowed(project.root):
        raise UsageError(f"dkenv: {project.config.path} (or a file it runs at build or injects) is not approved "
                         "to start the project from a shim or the IDE interpreter (never approved, or changed "
                         "since); review it, then `dkenv allow`")
