"""`dkenv debug [--wait] [--vscode] [ARGV]`: a command (default run.command) under debugpy."""
from __future__ import annotations

import shlex

from dkenv.commands._ready import workdir
from dkenv.exec import debugging, execution, pidfile
from dkenv.engine import engine
from dkenv.errors import UsageError
from dkenv.orchestrator import up
from dkenv.project.project import open_project


def run(opts, *, argv: list[str], wait: bool | None, vscode: bool) -> int:
    project = open_project(opts.directory)
    cfg = project.config
    port = cfg.debug.port
    if not port:
        raise UsageError(f"dkenv: debugging is off: set `[debug]` `port = 5678` in {cfg.path}, "
                         "then `dkenv up` publishes it")
    if vscode:
        return write_vscode(project, opts.out)
    cwd = workdir(opts, project) if argv else str(project.app_dir)  # run.command runs in the app's folder
    argv = argv or shlex.split(cfg.run.command)
    wait = cfg.debug.wait if wait is None else wait
    command = debugging.debug_argv(argv, port, wait)
    # converge first: a container made before [debug] port was set does not publish it
    up.up(project, engine.connect(opts.out), opts.out.say)
    host = debugging.attach_host(cfg.run.bind)
    waiting = "; waiting for the debugger to attach" if wait else ""
    opts.out.say(f"dkenv: debugpy listens on {host}:{port}{waiting} (VS Code: `dkenv debug --vscode`)")
    record = pidfile.read(project)  # where and as whom `up` left it running
    # docker exec, not the exec agent: debugpy's adapter outlives the program until the debugger
    # detaches, and would hold the program's stdout and stderr (passed as they are, through the
    # agent) open after it ended; docker exec closes them when the program ends
    return execution.run(project, command, workdir=cwd, user=record.user if record else None,
                         cli_env=record.cli_env if record else None, try_agent=False)


def write_vscode(project, out) -> int:
    """launch.json as `dkenv ide vscode` writes it (the attach and the launch configurations)."""
    from dkenv.commands.ide import show
    from dkenv.ide import vscode
    from dkenv.shell import interpreter

    interpreter.update(project, out.say)  # the launch configuration's
    show(vscode.write_launch(project), out)
    out.say(f"dkenv: in VS Code, Run and Debug > \"dkenv: attach to {project.name}\", after `dkenv debug`")
    return 0
