"""`dkenv ide vscode|pycharm`: make an IDE use the project interpreter `.dkenv/bin/python`
and the copy of site-packages (see docs/ide.md)."""
from __future__ import annotations

from dkenv.project.project import open_project
from dkenv.shell import allow, interpreter


def run(opts, *, target: str) -> int:
    out = opts.out
    project = open_project(opts.directory)
    interpreter.update(project, out.say)
    allow.allow(project.root)  # the interpreter may start the project with this .dkenv.toml
    if target == "vscode":
        vscode(project, out)
    else:
        from dkenv.ide import pycharm

        for line in pycharm.steps(project):
            out.echo(line)
    site_packages(project, out)
    return 0


def show(outcome, out) -> None:
    """One line per file: what changed, or why it was left alone and what to add by hand."""
    if outcome.manual:
        out.say(f"dkenv: {outcome.path} left alone ({outcome.reason}); add this to it:")
        out.echo(outcome.manual)
    elif outcome.changes:
        out.say(f"dkenv: {outcome.path}: {', '.join(outcome.changes)}")
    else:
        out.say(f"dkenv: {outcome.path} is up to date")


def vscode(project, out) -> None:
    from dkenv.ide import vscode as code

    show(code.write_settings(project), out)
    show(code.write_launch(project), out)
    out.say(f"dkenv: VS Code uses {interpreter.path(project)} for a folder with no interpreter chosen yet; "
            "otherwise `Python: Select Interpreter` > `Enter interpreter path...` and give it. "
            f'Run and Debug > "dkenv: current file in {project.name}" debugs in the container')


def site_packages(project, out) -> None:
    """The copy for host-side analysis: made now when the container runs, else at `dkenv up`."""
    from dkenv.exec import pidfile
    from dkenv.ide import sitepackages

    if not project.config.ide.site_packages or sitepackages.recorded(project) is not None:
        return
    record = pidfile.known_running(project)
    if record is None:
        out.say(f"dkenv: `dkenv up` copies the venv's site-packages to {sitepackages.folder(project)} "
                "for the IDE's analysis")
        return
    from dkenv.engine import engine
    from dkenv.errors import FatalError

    try:  # the engine the project runs on (the pid file's record)
        eng = engine.connect_recorded(record, out)
        state = eng.state(project.container)
    except FatalError as e:  # the files are written; the copy waits for `dkenv up`
        out.say(str(e))
        return
    if state is not None and state.running:
        sitepackages.try_sync(project, eng, state.image, out.say)
