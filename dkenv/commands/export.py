"""`dkenv export compose|devcontainer [-o FILE] [--force]`: describe the project to Docker
Compose or Dev Containers, from the same plan as `dkenv up` (no Engine needed). The build
context in .dkenv/ and the data/ folders are made first, so the other tool finds them."""
from __future__ import annotations

from pathlib import Path

from dkenv import fileio
from dkenv.containers import lifecycle
from dkenv.errors import FatalError
from dkenv.image import context, plan
from dkenv.project.project import open_project

DEFAULT_OUTPUT = {"compose": "compose.yaml", "devcontainer": ".devcontainer/devcontainer.json"}
NEXT = {"compose": "docker compose up -d (or docker-compose), then docker compose exec app CMD",
        "devcontainer": "open the folder in VS Code (Reopen in Container), or devcontainer up --workspace-folder ."}


def run(opts, *, what: str, output: str | None, force: bool) -> int:
    project = open_project(opts.directory)
    inputs = plan.make(project)
    image = inputs.tag(project)
    wanted = lifecycle.specs(project, image)
    from dkenv.export import compose

    text = compose.render(compose.document(project, image, wanted))
    beside = None
    if what == "devcontainer":
        from dkenv.export import devcontainer

        with_services = len(wanted) > 1  # then Compose-based: the services start with it
        text = devcontainer.render(devcontainer.document(project, inputs, wanted[-1], compose=with_services))
        if with_services:
            beside = (devcontainer.COMPOSE_FILE, compose.render(compose.document(project, image, wanted, tag=False)))
    context.write_project_context(project, inputs)
    lifecycle.prepare_dirs(project, wanted)
    if output == "-":
        opts.out.echo(text.rstrip("\n"))
        return 0
    path = Path(output) if output else project.root / DEFAULT_OUTPUT[what]
    files = [(path, text)] + ([(path.parent / beside[0], beside[1])] if beside else [])
    for target, _ in files:  # refuse before writing any
        check_ours(target, force)
    for target, content in files:
        write(target, content, force)
    opts.out.say(f"dkenv: wrote {path}; next: {NEXT[what]}")
    return 0


def check_ours(path: Path, force: bool) -> None:
    """A file dkenv did not write is replaced only with --force."""
    if not force and path.exists() and not fileio.written_by_dkenv(path):
        raise FatalError(f"dkenv: {path} exists and was not written by dkenv; "
                         "move it away, or pass --force to replace it")


def write(path: Path, text: str, force: bool) -> None:
    """Write a marked file: a file dkenv wrote is replaced; another only with --force."""
    check_ours(path, force)
    if path.exists() and not fileio.written_by_dkenv(path):
        fileio.write_atomic(path, text)
        return
    fileio.write_marked(path, text)
