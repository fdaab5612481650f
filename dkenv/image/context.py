"""The project's build context kept in `.dkenv/`: the generated Dockerfile beside the
files it COPYs (manifests/, ca/, setup/) and a `.dockerignore` that leaves out the rest
of `.dkenv/` (shims, run/, logs), so `docker build .dkenv` builds the same image as
`dkenv build` does, for whoever deploys the project, `dkenv export` and CI.

Every file here is dkenv's: the Dockerfile and `.dockerignore` carry the marker (a file
without it is never replaced), and the context folders are synced (a manifest the
project no longer has is removed)."""
from __future__ import annotations

import shutil
from pathlib import Path

from dkenv import declared, fileio
from dkenv.errors import FatalError
from dkenv.imagepaths import CONTEXT_CA, CONTEXT_MANIFESTS, CONTEXT_SETUP
from dkenv.image.plan import BuildInputs
from dkenv.project.project import Project

BUILDKIT_DOCKERFILE = "Dockerfile.buildkit"
FOLDERS = (CONTEXT_MANIFESTS, CONTEXT_CA, CONTEXT_SETUP.split("/")[0])
DOCKERIGNORE = "\n".join([
    f"# {fileio.MARK}: `docker build .dkenv` sends the Dockerfile and the files it copies only",
    "*", "!Dockerfile", *(f"!{folder}" for folder in FOLDERS), "",
])


def write_project_context(project: Project, build: BuildInputs) -> Path:
    """Write `.dkenv/Dockerfile`, its context files and `.dockerignore`; the folder."""
    folder = fileio.ensure_work_dir(project.work_dir)
    fileio.write_marked(folder / "Dockerfile", build.dockerfile)
    if build.buildkit:  # `DOCKER_BUILDKIT=1 docker build -f .dkenv/Dockerfile.buildkit .dkenv`: the cached route
        fileio.write_marked(folder / BUILDKIT_DOCKERFILE, build.buildkit)
    fileio.write_marked(folder / ".dockerignore", DOCKERIGNORE)
    for name in FOLDERS:
        _sync(folder / name, {k[len(name) + 1:]: v for k, v in build.files.items() if k.startswith(name + "/")})
    return folder


def _sync(folder: Path, files: dict[str, bytes]) -> None:
    """Make `folder` hold exactly `files` (relative path -> content); manifests/ always exists
    (the Dockerfile copies it when there are dependencies)."""
    try:
        declared.listing(folder)  # an entry added or removed is a change to undo
        if folder.is_symlink() or folder.exists() and not folder.is_dir():
            fileio.remove(folder)
        if not files and folder.name != CONTEXT_MANIFESTS:
            if folder.exists():
                shutil.rmtree(folder)  # never follows a link: one is removed as itself
            return
        fileio.make_dirs(folder)
        for path in sorted(folder.rglob("*"), reverse=True):  # deepest first
            rel = path.relative_to(folder).as_posix()
            if path.is_dir() and not path.is_symlink():
                declared.listing(path)
                if not any(name.startswith(rel + "/") for name in files):
                    shutil.rmtree(path)
            elif rel not in files or path.is_symlink():
                fileio.remove(path)
        for rel, content in files.items():
            path = declared.path(folder / rel)
            fileio.make_dirs(path.parent)
            if not path.is_file() or path.is_symlink() or path.read_bytes() != content:
                fileio.write_atomic(path, content, 0o644)
    except OSError as e:
        raise FatalError(f"dkenv: cannot write the build context in {folder}: {e.strerror or e}") from None
