"""`dkenv up [--no-build]`: image, network, services, project container, the IDE interpreter
`.dkenv/bin/python` (the sequence: orchestrator/up.py). Nothing to do is found first,
without the Engine (containers/noop.py)."""
from __future__ import annotations

from dkenv.containers import noop
from dkenv.project.project import open_project
from dkenv.shell import interpreter


def run(opts, *, build: bool, pull: str, force: bool) -> int:
    project = open_project(opts.directory)
    if pull != "always" and noop.up_to_date(project, opts.out.say):  # no Engine call, no SDK
        return done(project, opts)
    from dkenv.engine import engine
    from dkenv.orchestrator import up

    up.up(project, engine.connect(opts.out), opts.out.say, build=build, pull=pull, force=force, command=True)
    exposed(project, opts.out.say)
    opts.out.say(f"dkenv: {project.name} is up; `dkenv exec CMD` or `dkenv shell` to work inside")
    lock_note(project, opts.out.say)
    return 0


def done(project, opts) -> int:
    """Nothing to do: the IDE interpreter (written when it differs), and the last line."""
    interpreter.update(project, opts.out.say)
    exposed(project, opts.out.say)
    opts.out.say(f"dkenv: {project.name} is up; `dkenv exec CMD` or `dkenv shell` to work inside")
    lock_note(project, opts.out.say)
    return 0


def lock_note(project, say) -> None:
    """Said last when the image resolved the versions without a lock (image/resolvedlock.py)."""
    from dkenv import installers
    from dkenv.image import plan, resolvedlock

    install = project.config.image.install
    installer = installers.find(install)
    if install != "auto" and (installer is None or not installer.lock_file):
        return  # no installer, or one without a lock file: nothing more to read

    line = resolvedlock.note(plan.make(project).image, project.app_dir)
    if line:
        say(line)


def exposed(project, say) -> None:
    """Ports published beyond this machine are said at every `up` (shell/reach.py)."""
    from dkenv.shell import reach

    line = reach.exposure(project.config)
    if line:
        say(f"dkenv: warning: {line}")
