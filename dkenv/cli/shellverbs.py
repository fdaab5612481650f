"""The shell integration's verbs: hook, activate, deactivate, allow, deny, rehash, shims."""
from __future__ import annotations

from dkenv.cli.group import cli, click, run_verb
from dkenv.shell.shells import NAMES as SHELLS


@cli.command()
@click.argument("shell_name", metavar=f"[{'|'.join(SHELLS)}]", required=False,  # checked by shells.get
                shell_complete=lambda ctx, param, incomplete: [s for s in SHELLS if s.startswith(incomplete)])
@click.option("--auto", is_flag=True, help="Activate on entering a project folder, deactivate on leaving.")
@click.pass_obj
def hook(opts, shell_name, auto):
    """Print the shell hook: eval "$(dkenv hook bash)" in ~/.bashrc."""
    return run_verb("hook", opts, shell_name=shell_name, auto=auto)


@cli.command()
@click.option("--shell-code", metavar="SHELL", hidden=True, help="Emit code for the hook to eval.")
@click.option("--auto", is_flag=True, hidden=True, help="Called by auto-activation: only approved projects.")
@click.pass_obj
def activate(opts, shell_code, auto):
    """Route python, pip, manage.py... of this shell into the project container."""
    return run_verb("activate", opts, shell_code=shell_code, auto=auto)


@cli.command()
@click.option("--shell-code", metavar="SHELL", hidden=True, help="Emit code for the hook to eval.")
@click.pass_obj
def deactivate(opts, shell_code):
    """Undo `dkenv activate` in this shell."""
    return run_verb("deactivate", opts, shell_code=shell_code)


@cli.command()
@click.pass_obj
def allow(opts):
    """Approve this project's .dkenv.toml for auto-activation."""
    return run_verb("allow", opts)


@cli.command()
@click.pass_obj
def deny(opts):
    """Withdraw the approval given by `dkenv allow`."""
    return run_verb("deny", opts)


@cli.command()
@click.pass_obj
def rehash(opts):
    """Regenerate the shims (after installing console scripts)."""
    return run_verb("rehash", opts)


@cli.command()
@click.pass_obj
def shims(opts):
    """List the shims of this project."""
    return run_verb("shims", opts)
