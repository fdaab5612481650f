"""`dkenv up [--no-build]`: image, network, services, project container; then the IDE
interpreter `.dkenv/bin/python`. Nothing to do is found without the Engine (noop.py)."""
from __future__ import annotations

from dkenv.containers import noop
from dkenv.project.project import open_project
from dkenv.shell import interpreter


def run(opts, *, build: bool, pull: str, force: bool) -> int:
    project = open_project(opts.directory)
    if pull != "always" and noop.up_to_date(project, opts.out.say):  # no Engine call, no SDK
        return done(project, opts)
    from dkenv.engine import engine
    from dkenv.containers import lifecycle, workers
    from dkenv.ide import sitepackages
    from dkenv.shell import refresh

    eng = engine.connect(opts.out)
    actions = lifecycle.up(project, eng, out=opts.out.say, build=build, pull=pull, force=force)
    sitepackages.after_up(project, eng, actions, opts.out.say)  # the IDE's copy, when the venv changed
    refresh.after_up(project, eng, actions, opts.out.say)
    interpreter.report(project, interpreter.write(project), opts.out.say)
    workers.after_up(eng, actions, opts.out.say)  # a dead worker: exit 1, after everything is written
    exposed(project, opts.out.say)
    opts.out.say(f"dkenv: {project.name} is up; `dkenv exec CMD` or `dkenv shell` to work inside")
    return 0


def done(project, opts) -> int:
    """Nothing to do: the IDE interpreter (written when it differs), and the last line."""
    interpreter.report(project, interpreter.write(project), opts.out.say)
    exposed(project, opts.out.say)
    opts.out.say(f"dkenv: {project.name} is up; `dkenv exec CMD` or `dkenv shell` to work inside")
    return 0


def exposed(project, say) -> None:
    """Ports published beyond this machine are said at every `up` (shell/reach.py)."""
    from dkenv.shell import reach

    line = reach.exposure(project.config)
    if line:
        say(f"dkenv: warning: {line}")
