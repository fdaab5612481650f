"""The `dkenv` group and what its verbs share: the global options, the `Options` every
command receives, `run_verb` (the thin call into `dkenv.commands.<verb>.run`, imported on
use) and the completion callbacks. The verbs' declarations are in the sibling modules.
"""
from __future__ import annotations

import importlib

import click

from dkenv import __version__
from dkenv.output import Options, Output


def run_verb(verb: str, opts: Options, **kwargs) -> int:
    """Run a verb: `dkenv.commands.<verb>.run(opts, **kwargs)`, imported only now."""
    return importlib.import_module(f"dkenv.commands.{verb}").run(opts, **kwargs)


def complete(kind: str):
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
    ctx.obj = Options(directory, Output(verbose=verbose, progress=progress))
