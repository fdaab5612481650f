"""The catalog and the other tools' views of the project: services, add, doctor, export, ci."""
from __future__ import annotations

from dkenv.cli.group import cli, click, complete, run_verb


@cli.command()
@click.pass_obj
def services(opts):
    """Print the catalog of services."""
    return run_verb("services", opts)


@cli.command()
@click.argument("template", shell_complete=complete("templates"))
@click.option("--as", "as_name", metavar="NAME", help="The service's name (default: TEMPLATE).")
@click.pass_obj
def add(opts, template, as_name):
    """Add a catalog service to .dkenv.toml, keeping its comments."""
    return run_verb("add", opts, template=template, as_name=as_name)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def doctor(opts, as_json):
    """Check the Engine, the docker CLI, mounts, disk and ports; say how to fix each."""
    return run_verb("doctor", opts, as_json=as_json)


@cli.group()
def export():
    """Describe the project to other tools: compose.yaml, devcontainer.json, the production image."""


@export.command("compose")
@click.option("-o", "--output", metavar="FILE", help="Where to write (default: compose.yaml; '-': stdout).")
@click.option("--force", is_flag=True, help="Replace a file dkenv did not write.")
@click.pass_obj
def export_compose(opts, output, force):
    """Write compose.yaml: the project container and its services."""
    return run_verb("export", opts, what="compose", output=output, force=force)


@export.command("devcontainer")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write (default: .devcontainer/devcontainer.json; '-': stdout).")
@click.option("--force", is_flag=True, help="Replace a file dkenv did not write.")
@click.pass_obj
def export_devcontainer(opts, output, force):
    """Write .devcontainer/devcontainer.json, built from .dkenv/."""
    return run_verb("export", opts, what="devcontainer", output=output, force=force)


@export.command("production")
@click.argument("directory", metavar="[DIR]", required=False)
@click.option("--force", is_flag=True, help="Replace files dkenv did not write.")
@click.pass_obj
def export_production(opts, directory, force):
    """Write DIR (default: deploy/): the production Dockerfile and compose.production.yaml."""
    return run_verb("export", opts, what="production", output=directory, force=force)


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
    return run_verb("ci", opts, provider=provider, test_command=test_command, registry=registry, install=install,
                output=output, force=force)
