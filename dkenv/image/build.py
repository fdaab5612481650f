"""Building the project image: write .dkenv/Dockerfile, build when the tag is missing."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from dkenv import fileio
from dkenv.containers.engine import Engine
from dkenv.containers.spec import LABEL_PROJECT, LABEL_ROOT
from dkenv.image import plan
from dkenv.project.project import Project

PROXY_VARS = ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")


def write_dockerfile(project: Project, build: plan.BuildInputs) -> Path:
    """`.dkenv/Dockerfile`: the explicit description of the image, for whoever deploys."""
    path = project.work_dir / "Dockerfile"
    fileio.write_marked(path, build.dockerfile)
    return path


def ensure_image(project: Project, engine: Engine, *, out, force: bool = False, nocache: bool = False,
                 pull: bool = False, build: plan.BuildInputs | None = None) -> str:
    """The image tag for the project's current inputs (`build`, else computed), built if it
    does not exist yet."""
    build = build or plan.make(project)
    write_dockerfile(project, build)
    tag = build.tag(project)
    if not force and engine.image_exists(tag):
        out(f"dkenv: image {tag} is up to date")
        return tag
    out(f"dkenv: building {tag} (Dockerfile: {project.work_dir / 'Dockerfile'})")
    with tempfile.TemporaryDirectory(prefix="dkenv-build-") as folder:
        context = Path(folder) / "context"
        plan.write_context(build, context)
        engine.build(str(context), tag, nocache=nocache, pull=pull,
                     labels={LABEL_PROJECT: project.name, LABEL_ROOT: str(project.root)},
                     buildargs={k: v for k, v in os.environ.items() if k in PROXY_VARS},
                     on_output=_stream)
    out(f"dkenv: built {tag}")
    return tag


def _stream(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


def prune_old_images(project: Project, engine: Engine, keep: str) -> None:
    """Remove the project's previous images that no container uses any more."""
    for image_id, tags in engine.project_images(project.name):
        if keep not in tags:
            engine.remove_image(image_id)
