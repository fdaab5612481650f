"""The command line: click only. Each verb is a thin call into `dkenv.commands.<verb>.run`.

This module is also the single error boundary: FatalError -> its message and exit code
(1 runtime, 2 usage/config), Ctrl-C -> 130, anything unexpected -> 3 with the traceback
written to a log file whose path is printed.
"""
from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass, field

import click

from dkenv import __version__
from dkenv.errors import FatalError
from dkenv.output import Output


@dataclass
class Options:
    """What every command gets from the group: where the project is, and the one Output."""

    directory: str | None = None
    out: Output = field(default_factory=Output)


def _run(verb: str, opts: Options, **kwargs) -> int:
    return importlib.import_module(f"dkenv.commands.{verb}").run(opts, **kwargs)


def _complete(kind: str):
    """A completion callback (run on TAB only, see shell/completion.py): service names,
    catalog templates, or the container's commands then file names."""
    def callback(ctx, param, incomplete):
        from dkenv.shell import completion

        directory = ctx.find_root().params.get("directory")
        if kind == "services":
            words = completion.services(directory)
        elif kind == "templates":
            words = completion.templates()
        else:
            words = completion.exec_words(directory, tuple(ctx.params.get("argv") or ()))
        if words is completion.FILES:
            return [click.shell_completion.CompletionItem(incomplete, type="file")]
        return [w for w in words if w.startswith(incomplete)]

    return callback


CONTEXT = {"help_option_names": ["-h", "--help"]}
VERBOSE_BUILD = "Show Docker's raw build output instead of one line per step (as `dkenv -v`)."
PASSTHROUGH = {"ignore_unknown_options": True, "allow_interspersed_args": False}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="dkenv")
@click.option("-C", "directory", metavar="DIR", help="Run as if started in DIR (default: $DKENV_PROJECT, else the cwd).")
@click.option("-v", "--verbose", is_flag=True, help="Show the Docker Engine calls and Docker's raw build output.")
@click.option("--progress", type=click.Choice(["auto", "plain", "tty"]), envvar="DKENV_PROGRESS", default="auto",
              show_default=True, help="Build and pull progress: redrawn lines on a terminal (tty) or plain lines.")
@click.pass_context
def cli(ctx, directory, verbose, progress):
    """dkenv: a project-local development environment that is a Docker container.

    `dkenv init` once, then `dkenv up`; `dkenv exec CMD` runs CMD inside.
    With the shell hook, `dkenv activate` routes python, pip, manage.py into it.
    """
    os.environ["DKENV_PROGRESS"] = progress  # read where builds and pulls run (image/buildscreen.py)
    ctx.obj = Options(directory, Output(verbose=verbose))


@cli.command()
@click.option("--yes", "-y", is_flag=True, help="Accept what was detected without asking.")
@click.option("--python", "python", metavar="X.Y", help="Python version (default: detected, else the host's).")
@click.option("--base", metavar="IMAGE", help="Base image (default: python:X.Y-slim-bookworm).")
@click.option("--force", is_flag=True, help="Overwrite an existing .dkenv.toml.")
@click.option("--service", "services", multiple=True, metavar="NAME", help="Add a catalog service (repeatable).")
@click.pass_obj
def init(opts, yes, python, base, force, services):
    """Inspect the project and write a commented .dkenv.toml."""
    return _run("init", opts, yes=yes, python=python, base=base, force=force, services=list(services))


@cli.command()
@click.option("--no-cache", is_flag=True, help="Build every layer again.")
@click.option("--pull", is_flag=True, help="Ask the registry for a newer base image.")
@click.option("--production", is_flag=True,
              help="Build the image that ships instead: no dev dependencies, the source in, gunicorn, a non-root user.")
@click.option("-v", "--verbose", is_flag=True, help=VERBOSE_BUILD)
@click.pass_obj
def build(opts, no_cache, pull, production, verbose):
    """Write .dkenv/Dockerfile and build the project image (its log: .dkenv/build.log)."""
    opts.out.verbose = opts.out.verbose or verbose
    return _run("build", opts, no_cache=no_cache, pull=pull, production=production)


@cli.command()
@click.option("--production", is_flag=True, help="The production image's Dockerfile (`dkenv build --production`).")
@click.pass_obj
def dockerfile(opts, production):
    """Print the generated Dockerfile."""
    return _run("dockerfile", opts, production=production)


@cli.command()
@click.option("--full", is_flag=True, help="The whole image reference (dkenv/NAME:TAG).")
@click.pass_obj
def tag(opts, full):
    """Print the image tag: a hash of the image's inputs (no Engine needed)."""
    return _run("tag", opts, full=full)


@cli.command()
@click.option("--no-build", is_flag=True, help="Fail instead of building a missing or stale image.")
@click.option("--pull", type=click.Choice(["missing", "never", "always"]), default="missing", show_default=True,
              help="Pull service images: when missing, never, or always.")
@click.option("--force", is_flag=True, help="Recreate a service even on data of another major version.")
@click.option("-v", "--verbose", is_flag=True, help=VERBOSE_BUILD)
@click.pass_obj
def up(opts, no_build, pull, force, verbose):
    """Build if needed, then start the services and the project container."""
    opts.out.verbose = opts.out.verbose or verbose
    return _run("up", opts, build=not no_build, pull=pull, force=force)


@cli.command()
@click.option("--purge", is_flag=True, help="Also delete persisted data in data/ (asks first).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before --purge deletes data.")
@click.option("--root", metavar="PATH", help="The containers of the project whose folder was PATH (moved or deleted).")
@click.argument("services", nargs=-1, shell_complete=_complete("services"))
@click.pass_obj
def down(opts, purge, yes, root, services):
    """Stop and remove the project's containers and network; data/ stays."""
    return _run("down", opts, purge=purge, yes=yes, services=list(services), root=root)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def status(opts, as_json):
    """Image, freshness, containers, health and ports."""
    return _run("status", opts, as_json=as_json)


@cli.command()
@click.option("-f", "--follow", is_flag=True, help="Keep printing new lines.")
@click.option("--tail", default="100", metavar="N", help="Lines from the end (default 100, 'all').")
@click.argument("service", required=False, shell_complete=_complete("services"))
@click.pass_obj
def logs(opts, follow, tail, service):
    """Logs of the project container or of SERVICE."""
    return _run("logs", opts, service=service, follow=follow, tail=tail)


@cli.command()
@click.pass_obj
def run(opts):
    """Run run.command in the foreground in the project container."""
    return _run("run", opts)


@cli.command(context_settings=PASSTHROUGH)
@click.option("-e", "--env", "env", multiple=True, metavar="K=V", help="Set a variable for this command.")
@click.option("--user", metavar="USER", help="Run as USER (e.g. root) instead of the host user.")
@click.argument("argv", nargs=-1, required=True, type=click.UNPROCESSED, shell_complete=_complete("commands"))
@click.pass_obj
def exec(opts, env, user, argv):  # noqa: A001 - the verb is the name users type
    """Run ARGV in the project container (started when needed), at the same cwd."""
    return _run("exec", opts, argv=list(argv), env=list(env), user=user)


@cli.command()
@click.pass_obj
def shell(opts):
    """An interactive bash in the project container."""
    return _run("shell", opts)


@cli.command(context_settings=PASSTHROUGH)
@click.option("--wait/--no-wait", default=None, help="Wait for the debugger before running (default: debug.wait).")
@click.option("--vscode", is_flag=True, help="Write .vscode/launch.json to attach VS Code, and stop.")
@click.argument("argv", nargs=-1, type=click.UNPROCESSED, shell_complete=_complete("commands"))
@click.pass_obj
def debug(opts, wait, vscode, argv):
    """Run ARGV (default: run.command) under debugpy, on [debug] port."""
    return _run("debug", opts, argv=list(argv), wait=wait, vscode=vscode)


@cli.command()
@click.argument("target", type=click.Choice(["vscode", "pycharm"]))
@click.pass_obj
def ide(opts, target):
    """Make VS Code or PyCharm use the project interpreter .dkenv/bin/python."""
    return _run("ide", opts, target=target)


@cli.command()
@click.argument("shell_name", metavar="[bash|zsh|fish]", required=False,
                shell_complete=lambda ctx, param, incomplete: [s for s in ("bash", "zsh", "fish")
                                                               if s.startswith(incomplete)])
@click.option("--auto", is_flag=True, help="Activate on entering a project folder, deactivate on leaving.")
@click.pass_obj
def hook(opts, shell_name, auto):
    """Print the shell hook: eval "$(dkenv hook bash)" in ~/.bashrc."""
    return _run("hook", opts, shell_name=shell_name, auto=auto)


@cli.command()
@click.option("--shell-code", metavar="SHELL", hidden=True, help="Emit code for the hook to eval.")
@click.option("--auto", is_flag=True, hidden=True, help="Called by auto-activation: only approved projects.")
@click.pass_obj
def activate(opts, shell_code, auto):
    """Route python, pip, manage.py... of this shell into the project container."""
    return _run("activate", opts, shell_code=shell_code, auto=auto)


@cli.command()
@click.option("--shell-code", metavar="SHELL", hidden=True, help="Emit code for the hook to eval.")
@click.pass_obj
def deactivate(opts, shell_code):
    """Undo `dkenv activate` in this shell."""
    return _run("deactivate", opts, shell_code=shell_code)


@cli.command()
@click.pass_obj
def allow(opts):
    """Approve this project's .dkenv.toml for auto-activation."""
    return _run("allow", opts)


@cli.command()
@click.pass_obj
def deny(opts):
    """Withdraw the approval given by `dkenv allow`."""
    return _run("deny", opts)


@cli.command()
@click.pass_obj
def rehash(opts):
    """Regenerate the shims (after installing console scripts)."""
    return _run("rehash", opts)


@cli.command()
@click.pass_obj
def shims(opts):
    """List the shims of this project."""
    return _run("shims", opts)


@cli.command()
@click.pass_obj
def services(opts):
    """Print the catalog of services."""
    return _run("services", opts)


@cli.command()
@click.argument("template", shell_complete=_complete("templates"))
@click.option("--as", "as_name", metavar="NAME", help="The service's name (default: TEMPLATE).")
@click.pass_obj
def add(opts, template, as_name):
    """Add a catalog service to .dkenv.toml, keeping its comments."""
    return _run("add", opts, template=template, as_name=as_name)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def doctor(opts, as_json):
    """Check the Engine, the docker CLI, mounts, disk and ports; say how to fix each."""
    return _run("doctor", opts, as_json=as_json)


@cli.group()
def export():
    """Describe the project to other tools: compose.yaml, devcontainer.json, the production image."""


@export.command("compose")
@click.option("-o", "--output", metavar="FILE", help="Where to write (default: compose.yaml; '-': stdout).")
@click.option("--force", is_flag=True, help="Replace a file dkenv did not write.")
@click.pass_obj
def export_compose(opts, output, force):
    """Write compose.yaml: the project container and its services."""
    return _run("export", opts, what="compose", output=output, force=force)


@export.command("devcontainer")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write (default: .devcontainer/devcontainer.json; '-': stdout).")
@click.option("--force", is_flag=True, help="Replace a file dkenv did not write.")
@click.pass_obj
def export_devcontainer(opts, output, force):
    """Write .devcontainer/devcontainer.json, built from .dkenv/."""
    return _run("export", opts, what="devcontainer", output=output, force=force)


@export.command("production")
@click.argument("directory", metavar="[DIR]", required=False)
@click.option("--force", is_flag=True, help="Replace files dkenv did not write.")
@click.pass_obj
def export_production(opts, directory, force):
    """Write DIR (default: deploy/): the production Dockerfile and compose.production.yaml."""
    return _run("export", opts, what="production", output=directory, force=force)


@cli.command()
@click.argument("provider", type=click.Choice(["github", "gitlab"]))
@click.option("--test-command", metavar="CMD", help="The test step's shell line (default: dkenv exec pytest).")
@click.option("--registry", metavar="REG",
              help="Where the image is pulled from and pushed to ('': build every time; "
                   "default: the provider's registry).")
@click.option("--install", metavar="SPEC", help="What CI installs dkenv from (default: dkenv==VERSION).")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write (default: .github/workflows/dkenv.yml or .gitlab-ci.yml; '-': stdout).")
@click.option("--force", is_flag=True, help="Replace a file dkenv did not write.")
@click.pass_obj
def ci(opts, provider, test_command, registry, install, output, force):
    """Write a CI workflow that runs the tests in the project image."""
    return _run("ci", opts, provider=provider, test_command=test_command, registry=registry, install=install,
                output=output, force=force)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error ends here as one message and an exit code."""
    try:
        code = cli.main(args=argv, prog_name="dkenv", standalone_mode=False)
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("", err=True)
        return 130
    except FatalError as e:
        click.echo(str(e), err=True)
        return e.exit_code
    except BrokenPipeError:
        return 1
    except Exception:  # an unexpected error: say where the traceback went
        from dkenv import crashlog

        click.echo(f"dkenv: unexpected error, please report it; details in {crashlog.write()}", err=True)
        return 3
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
