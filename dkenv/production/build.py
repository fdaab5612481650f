"""Building the production image (`dkenv build --production`).

The context is what `docker build -f .dkenv/production/Dockerfile .` at the project root
sends: the project's files that `.dockerignore` keeps (dkenv's defaults when it has none);
the Dockerfile (kept in `.dkenv/production/` for reading) writes everything dkenv
generates itself. dkenv assembles the context in a temporary folder, so the tag is a hash
of exactly what is built: `dkenv/NAME-production:HASH`, also tagged `latest`. An unchanged project
is not rebuilt; after a code change Docker reuses every layer but the source's.
Docker's output goes to `.dkenv/build-production.log`.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from dkenv import __version__, fileio
from dkenv.engine.engine import Engine
from dkenv.errors import ConfigError, FatalError
from dkenv.production import dockerignore, plan as production
from dkenv.image.build import _failure, run_build, shown_path
from dkenv.project.project import Project

DOCKERFILE = ".dkenv/production/Dockerfile"
LOG_NAME = "build-production.log"
LABEL = "dkenv.production"  # the project's name; not dkenv.project: `dkenv up` prunes those


def source_files(project: Project, inputs: production.ProductionInputs, out) -> list[str]:
    """The project's files the image copies (checked: the manifests and the setup script are among them)."""
    lines = dockerignore.read_lines(project.root)
    if lines is None:
        out("dkenv: no .dockerignore: leaving out dkenv's defaults (data/, .dkenv/, .git/, .env files, caches); "
            "`dkenv export production` writes them to .dockerignore")
        lines = dockerignore.DEFAULT_LINES
    else:
        missing = dockerignore.missing_required(lines)
        if missing:
            raise ConfigError(f"dkenv: {project.root / '.dockerignore'} does not leave out {', '.join(missing)}: the "
                              "production image would hold the services' data, dkenv's files or secrets; add the "
                              "line(s), or run `dkenv export production`, which adds them")
    files = [f for f in dockerignore.source_files(project.root, lines) if f != ".dockerignore"]
    kept = set(files)
    needed = [source for source, _ in inputs.plan.manifests] + ([inputs.plan.setup] if inputs.plan.setup else [])
    left_out = [f for f in needed if f not in kept]
    if left_out:
        raise ConfigError(f"dkenv: {project.root / '.dockerignore'} leaves out {', '.join(left_out)}, which the "
                          "production image installs from; remove the line that matches it")
    return files


def assemble(project: Project, inputs: production.ProductionInputs, files: list[str], folder: Path) -> str:
    """Lay the context out in `folder`; the hash of everything in it (the tag)."""
    digest = hashlib.sha256(f"dkenv {__version__} production\n".encode())
    digest.update(inputs.dockerfile.encode())
    for rel in files:
        source, target = project.root / rel, folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            if source.is_symlink():
                link = os.readlink(source)
                os.symlink(link, target)
                digest.update(f"\0{rel}\0->{link}\0".encode())
                continue
            if not source.is_file():
                continue  # a socket or a pipe: Docker skips them too
            content = fileio.read_inside(source, project.root)  # a folder swapped for a link meanwhile: refused
            mode = os.stat(source, follow_symlinks=False).st_mode
        except ValueError as e:
            raise FatalError(f"dkenv: {source} resolves outside the project ({e}); it was not copied into the "
                             "production image") from None
        except OSError as e:
            raise FatalError(f"dkenv: cannot read {source} for the production image ({e.strerror or e}); "
                             "leave it out in .dockerignore") from None
        target.write_bytes(content)
        shutil.copystat(source, target, follow_symlinks=False)
        digest.update(f"\0{rel}\0{len(content)}\0{mode & 0o777:o}\0".encode())
        digest.update(content)
    return digest.hexdigest()[:12]


def ensure_production_image(project: Project, engine: Engine, inputs: production.ProductionInputs, *, out,
                            force: bool = False, nocache: bool = False, pull: bool = False) -> str:
    """The production image's tag for the project as it is now, built if it does not exist yet."""
    fileio.ensure_work_dir(project.work_dir)
    dockerfile = project.root / DOCKERFILE
    fileio.make_dirs(dockerfile.parent)
    fileio.write_marked(dockerfile, inputs.dockerfile)
    files = source_files(project, inputs, out)
    repo = inputs.repo(project)
    with tempfile.TemporaryDirectory(prefix="dkenv-production-") as temp:
        context = Path(temp) / "context"
        context.mkdir()
        tag = f"{repo}:{assemble(project, inputs, files, context)}"
        if not force and engine.image_exists(tag):
            out(f"dkenv: image {tag} is up to date")
        else:
            _build(project, engine, inputs, context, tag, dockerfile, out=out, nocache=nocache, pull=pull)
    engine.tag_image(tag, repo, "latest")
    return tag


def _build(project: Project, engine: Engine, inputs, context: Path, tag: str, dockerfile: Path, *, out,
           nocache: bool, pull: bool) -> None:
    """Build `context` with `dockerfile`, from outside it: the Engine uses it, `COPY .` does not see it."""
    run_build(engine, str(context), tag, inputs.dockerfile, log_path=project.work_dir / LOG_NAME, out=out,
              shown=shown_path(dockerfile), nocache=nocache, pull=pull, labels={LABEL: project.name},
              dockerfile=str(dockerfile),
              failure=lambda tracker, error, log: _failure(tracker, error, _as_build(inputs), log))


def _as_build(inputs: production.ProductionInputs):
    """What the failure report reads of a build: the plan of the builder stage."""
    from dkenv.image.plan import BuildInputs

    return BuildInputs(image=inputs.plan.deps, dockerfile=inputs.dockerfile)
