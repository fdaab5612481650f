"""`dkenv debug [--wait] [--vscode] [ARGV]`: a command (default run.command) under debugpy."""
from __future__ import annotations

import json
import shlex

from dkenv.commands._ready import workdir
from dkenv.containers import debugging, engine, execution, lifecycle, pidfile
from dkenv.errors import UsageError
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
    argv = argv or shlex.split(cfg.run.command)
    wait = cfg.debug.wait if wait is None else wait
    command = debugging.debug_argv(argv, port, wait)
    cwd = workdir(opts, project)
    # converge first: a container made before [debug] port was set does not publish it
    lifecycle.up(project, engine.connect(opts.out), out=opts.out.say)
    host = debugging.attach_host(cfg.run.bind)
    waiting = "; waiting for the debugger to attach" if wait else ""
    opts.out.say(f"dkenv: debugpy listens on {host}:{port}{waiting} (VS Code: `dkenv debug --vscode`)")
    record = pidfile.read(project)  # where and as whom `up` left it running
    return execution.run(project, command, workdir=cwd, user=record.user if record else None,
                         cli_env=record.cli_env if record else None)


def write_vscode(project, out) -> int:
    path, written = debugging.write_launch_json(project)
    if written:
        out.echo(f"dkenv: wrote {path}; in VS Code, Run and Debug > \"dkenv: attach to {project.name}\", "
                 "after `dkenv debug`")
        return 0
    out.echo(f"dkenv: {path} is yours, so it is left alone; add this configuration to it:")
    out.echo(json.dumps(debugging.vscode_configuration(project), indent=4))
    return 0
