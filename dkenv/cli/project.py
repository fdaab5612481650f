"""The verbs of the project's life: init, build, dockerfile, tag, up, lock, down, status, logs."""
from __future__ import annotations

from dkenv.cli.group import VERBOSE_BUILD, cli, click, complete, run_verb


@cli.command()
@click.option("--yes", "-y", is_flag=True, help="Accept what was detected without asking.")
@click.option("--python", "python", metavar="X.Y", help="Python version (default: detected, else the host's).")
@click.option("--base", metavar="IMAGE", help="Base image (default: python:X.Y-slim-bookworm).")
@click.option("--force", is_flag=True, help="Overwrite an existing .dkenv.toml.")
@click.option("--service", "services", multiple=True, metavar="NAME", help="Add a catalog service (repeatable).")
@click.pass_obj
def init(opts, yes, python, base, force, services):
    """Inspect the project and write a commented .dkenv.toml."""
    return run_verb("init", opts, yes=yes, python=python, base=base, force=force, services=list(services))


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
    return run_verb("build", opts, no_cache=no_cache, pull=pull, production=production)


@cli.command()
@click.option("--production", is_flag=True, help="The production image's Dockerfile (`dkenv build --production`).")
@click.pass_obj
def dockerfile(opts, production):
    """Print the generated Dockerfile."""
    return run_verb("dockerfile", opts, production=production)


@cli.command()
@click.option("--full", is_flag=True, help="The whole image reference (dkenv/NAME:TAG).")
@click.pass_obj
def tag(opts, full):
    """Print the image tag: a hash of the image's inputs (no Engine needed)."""
    return run_verb("tag", opts, full=full)


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
    return run_verb("up", opts, build=not no_build, pull=pull, force=force)


@cli.command()
@click.option("--force", is_flag=True,
              help="Replace the project's lock file with one resolved anew in the image (else refused).")
@click.option("-v", "--verbose", is_flag=True, help=VERBOSE_BUILD)
@click.pass_obj
def lock(opts, force, verbose):
    """Write the lock the image resolved (for a project without one) into the project."""
    opts.out.verbose = opts.out.verbose or verbose
    return run_verb("lock", opts, force=force)


@cli.command()
@click.option("--purge", is_flag=True, help="Also delete persisted data in data/ (asks first).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before --purge deletes data.")
@click.option("--root", metavar="PATH", help="The containers of the project whose folder was PATH (moved or deleted).")
@click.argument("services", nargs=-1, shell_complete=complete("services"))
@click.pass_obj
def down(opts, purge, yes, root, services):
    """Stop and remove the project's containers and network; data/ stays."""
    return run_verb("down", opts, purge=purge, yes=yes, services=list(services), root=root)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def status(opts, as_json):
    """Image, freshness, containers, health and ports."""
    return run_verb("status", opts, as_json=as_json)


@cli.command()
@click.option("-f", "--follow", is_flag=True, help="Keep printing new lines.")
@click.option("--tail", default="100", metavar="N", help="Lines from the end (default 100, 'all').")
@click.argument("service", required=False, shell_complete=complete("services"))
@click.pass_obj
def logs(opts, follow, tail, service):
    """Logs of the project container or of SERVICE."""
    return run_verb("logs", opts, service=service, follow=follow, tail=tail)
