"""`dkenv up [--no-build]`: image, network, services, project container, the IDE interpreter
`.dkenv/bin/python` (the sequence: orchestrator/up.py). Nothing to do is found first,
without the Engine (containers/noop.py)."""
from __future__ import annotations

from dkenv.containers import noop
from dkenv.project.project import open_project
from dkenv.shell import interpreter


def run(opts, *, build: bool, pull: str, force: bool) -> int:
    project = open_project(opts.directory)
    found = noop.check(project, opts.out.say) if pull != "always" else None  # no Engine call, no SDK
    if found is not None:
        return done(project, opts, found.inputs)
    from dkenv.engine import engine
    from dkenv.orchestrator import up

    outcome = up.up(project, engine.connect(opts.out), opts.out.say, build=build, pull=pull, force=force,
                    command=True)
    exposed(project, opts.out.say)
    opts.out.say(f"dkenv: {project.name} is up; `dkenv exec CMD` or `dkenv shell` to work inside")
    lock_note(project, outcome.inputs, opts.out.say)
    return 0


def done(project, opts, inputs) -> int:
    """Nothing to do: the IDE interpreter (written when it differs), and the last line;
    `inputs`: the image plan the no-op check made (image/plan.BuildInputs)."""
    interpreter.update(project, opts.out.say)
    exposed(project, opts.out.say)
    opts.out.say(f"dkenv: {project.name} is up; `dkenv exec CMD` or `dkenv shell` to work inside")
    lock_note(project, inputs, opts.out.say)
    return 0


def lock_note(project, inputs, say) -> None:
    """Said last when the image of `inputs` (the plan `up` made: image/plan.BuildInputs)
    resolved the versions without a lock (image/resolvedlock.py)."""
    from dkenv import installers

    installer = installers.find(inputs.image.install)
    if installer is None or not installer.lock_file:
        return  # no installer, or one without a lock file: resolvedlock is not even loaded
    from dkenv.image import resolvedlock

    line = resolvedlock.note(inputs.image, project.app_dir)
    if line:
        say(line)


def exposed(project, say) -> None:
    """Ports published beyond this machine are said at every `up` (shell/reach.py)."""
    from dkenv.shell import reach

    line = reach.exposure(project.config)
    if line:
        say(f"dkenv: warning: {line}")
