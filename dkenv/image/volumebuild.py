"""The package cache where BuildKit is absent: the classic builder (the Docker SDK's, as
Podman's Docker API, an ssh or remote engine and `DKENV_BUILDER=volumes` get it) building the
BuildKit rendering in three parts (`image/volumesteps.py`):

1. the head, every instruction before the dependency step, by the classic builder;
2. the dependency step in a container of the head's image, its cache mounts become the
   user's named volumes of the same ids (`dkenv-pip-UID`, `dkenv-uv-UID`, labelled
   `dkenv.cache`, owned by the image's user when made), run as the image's user, then
   committed (the image's CMD and ENTRYPOINT kept);
3. the tail, `FROM` the committed image, by the classic builder, with the build's labels.

The volumes live in the engine, never in an image layer: every project of the user on that
engine shares them, as BuildKit's cache mounts are shared.
"""
from __future__ import annotations

import os
from pathlib import Path

from dkenv.engine.engine import BuildFailed, Engine
from dkenv.image import volumesteps

HEAD, TAIL = "Dockerfile.head", "Dockerfile.tail"  # beside the others in the build context


def describe(parts: volumesteps.Parts | None) -> str:
    """"the classic builder, cache volumes dkenv-pip-1500 and dkenv-uv-1500": the first line's
    route, from the rendering's cut (volumesteps.split)."""
    names = " and ".join(m.volume for m in parts.mounts) if parts else ""
    return f"the classic builder, cache volumes {names}" if names else "the classic builder"


def build(engine: Engine, context: str, tag: str, text: str, parts: volumesteps.Parts | None, *, progress,
          renumber: volumesteps.Renumber, nocache: bool, pull: bool, labels: dict[str, str],
          buildargs: dict[str, str]) -> None:
    """Build `text` (a BuildKit rendering, cut as `parts` by volumesteps.split) as `tag` in its
    three parts, Docker's output to `progress.text`, each part's steps numbered as the whole's
    through `renumber`. BuildFailed (engine/images.py) as a build's."""
    if parts is None:  # nothing cached: the text is a classic one
        (Path(context) / HEAD).write_text(text)
        engine.build(context, tag, nocache=nocache, pull=pull, labels=labels, buildargs=buildargs,
                     dockerfile=HEAD, on_output=progress.text)
        return
    (Path(context) / HEAD).write_text(parts.head)
    renumber.part(0)
    head = engine.build(context, "", nocache=nocache, pull=pull, labels={}, buildargs=buildargs,
                        dockerfile=HEAD, on_output=progress.text)
    _volumes(engine, head, parts.mounts)
    progress.text(volumesteps.step_line(parts))
    committed = engine.run_and_commit(head, volumesteps.with_proxies(parts.script, buildargs),
                                      {m.volume: m.target for m in parts.mounts}, progress.text, _name(tag))
    (Path(context) / TAIL).write_text(f"FROM {committed}\n{parts.tail}")
    renumber.part(parts.run_step - 1, skip=1)
    engine.build(context, tag, nocache=False, pull=False, labels=labels, buildargs=buildargs, dockerfile=TAIL,
                 on_output=progress.text)


def _name(tag: str) -> str:
    """The step's container: "dkenv-build-shop-1234" for dkenv/shop:TAG, built by process 1234."""
    project = tag.split("/", 1)[-1].split(":", 1)[0]
    return f"dkenv-build-{project}-{os.getpid()}"


def _volumes(engine: Engine, image: str, mounts: tuple[volumesteps.CacheMount, ...]) -> None:
    """Each cache volume made when missing, then given to the cache mount's owner (a new
    volume belongs to root) by a throwaway container of `image` as root."""
    made = [m for m in mounts if engine.ensure_volume(m.volume, volumesteps.VOLUME_LABEL, _tool(m))]
    if not made:
        return
    script = " && ".join(f"chown {m.uid}:{m.gid} {m.target}" for m in made)
    code, output = engine.run_once(image, ["/bin/sh", "-c", script], [],
                                   volumes={m.volume: m.target for m in made})
    if code != 0:
        raise BuildFailed(f"cannot give the cache volumes to the image's user: {output.decode(errors='replace')[-300:]}")


def _tool(mount: volumesteps.CacheMount) -> str:
    """"uv" for the volume dkenv-uv-1500: what its label says it holds."""
    return Path(mount.target).name
