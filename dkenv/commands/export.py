"""`dkenv export compose|devcontainer [-o FILE] [--force]`: describe the project to Docker
Compose or Dev Containers, from the same plan as `dkenv up` (no Engine needed). The build
context in .dkenv/ and the data/ folders are made first, so the other tool finds them.

`dkenv export production [DIR]`: the production image's Dockerfile and
compose.production.yaml in DIR (default deploy/), built from the project root."""
from __future__ import annotations

import os
from pathlib import Path

from dkenv import fileio
from dkenv.containers import desired
from dkenv.errors import FatalError
from dkenv.image import context, plan
from dkenv.project.project import open_project

DEFAULT_OUTPUT = {"compose": "compose.yaml", "devcontainer": ".devcontainer/devcontainer.json"}
NEXT = {"compose": "docker compose up -d (or docker-compose), then docker compose exec app CMD",
        "devcontainer": "open the folder in VS Code (Reopen in Container), or devcontainer up --workspace-folder ."}


def run(opts, *, what: str, output: str | None, force: bool) -> int:
    project = open_project(opts.directory)
    if what == "production":
        return production(opts, project, output, force)
    inputs = plan.make(project)
    image = inputs.tag(project)
    wanted = desired.specs(project, image)
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
    desired.prepare_dirs(project, wanted)
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


def production(opts, project, directory: str | None, force: bool) -> int:
    """DIR/Dockerfile and DIR/compose.production.yaml, and a .dockerignore that keeps data/,
    .dkenv/ and .env files out of the image."""
    from dkenv.errors import UsageError
    from dkenv.production import compose as compose_production
    from dkenv.production import plan as image_production
    from dkenv.project import ignorefiles

    folder = (Path(directory) if directory else project.root / "deploy").absolute()
    if not folder.resolve().is_relative_to(project.root.resolve()):
        raise UsageError(f"dkenv: {folder} is outside the project {project.root}: the production image is built "
                         "from the project root, so its Dockerfile goes in a folder inside it")
    rel = folder.resolve().relative_to(project.root.resolve()).as_posix()
    inputs = image_production.make(project, f"{rel}/Dockerfile" if rel != "." else "Dockerfile")
    doc, needed = compose_production.document(project, inputs, rel)
    files = [(folder / "Dockerfile", inputs.dockerfile),
             (folder / compose_production.FILE, compose_production.render(doc, rel, needed))]
    for target, _ in files:  # refuse before writing any
        check_ours(target, force)
    fileio.make_dirs(folder)
    for target, content in files:
        write(target, content, force)
    for note in inputs.notes:
        opts.out.say(f"dkenv: {note}")
    how, lines = ignorefiles.update_dockerignore(project.root)
    if how == "created":
        opts.out.say(f"dkenv: wrote {project.root / '.dockerignore'} (data/, .dkenv/, .git/, .env files, caches)")
    elif lines:
        opts.out.say(f"dkenv: added {', '.join(lines)} to {project.root / '.dockerignore'}")
    shown = os.path.relpath(folder)
    opts.out.say(f"dkenv: wrote {shown}/Dockerfile and {shown}/{compose_production.FILE}; next: "
                 f"docker build -f {rel}/Dockerfile -t {inputs.repo(project)} . (from the project root), or "
                 + " ".join(f"{v}=..." for v in needed) + f" docker compose -f {rel}/{compose_production.FILE} up -d")
    return 0
