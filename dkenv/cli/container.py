"""The verbs that run something in the project container: run, exec, shell, debug, and ide (its interpreter path)."""
from __future__ import annotations

from dkenv.cli.group import PASSTHROUGH, cli, click, complete, run_verb


@cli.command()
@click.pass_obj
def run(opts):
    """Run run.command in the foreground in the project container."""
    return run_verb("run", opts)


@cli.command(context_settings=PASSTHROUGH)
@click.option("-e", "--env", "env", multiple=True, metavar="K=V", help="Set a variable for this command.")
@click.option("--user", metavar="USER", help="Run as USER (e.g. root) instead of the host user.")
@click.argument("argv", nargs=-1, required=True, type=click.UNPROCESSED, shell_complete=complete("commands"))
@click.pass_obj
def exec(opts, env, user, argv):  # noqa: A001 - the verb is the name users type
    """Run ARGV in the project container (started when needed), at the same cwd."""
    return run_verb("exec", opts, argv=list(argv), env=list(env), user=user)


@cli.command()
@click.pass_obj
def shell(opts):
    """An interactive bash in the project container."""
    return run_verb("shell", opts)


@cli.command(context_settings=PASSTHROUGH)
@click.option("--wait/--no-wait", default=None, help="Wait for the debugger before running (default: debug.wait).")
@click.option("--vscode", is_flag=True, help="Write .vscode/launch.json to attach VS Code, and stop.")
@click.argument("argv", nargs=-1, type=click.UNPROCESSED, shell_complete=complete("commands"))
@click.pass_obj
def debug(opts, wait, vscode, argv):
    """Run ARGV (default: run.command) under debugpy, on [debug] port."""
    return run_verb("debug", opts, argv=list(argv), wait=wait, vscode=vscode)


@cli.command()
@click.argument("target", type=click.Choice(["vscode", "pycharm"]))
@click.option("--force", is_flag=True, help="Replace a .dkenv/bin/python dkenv did not write with dkenv's.")
@click.pass_obj
def ide(opts, target, force):
    """Make VS Code or PyCharm use the project interpreter .dkenv/bin/python."""
    return run_verb("ide", opts, target=target, force=force)
