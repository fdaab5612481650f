"""Service images: present before anything is stopped or created. A missing one is
pulled (policy "missing", like compose's `--pull missing`); one that cannot be had is
one message naming it and what to do, and nothing running is touched."""
from __future__ import annotations

from dkenv import imageref
from dkenv.containers.engine import Engine
from dkenv.containers.spec import ContainerSpec
from dkenv.errors import FatalError


def ensure_present(engine: Engine, specs: list[ContainerSpec], project_image: str, policy: str, out) -> None:
    wanted = sorted({s.image: s.role for s in specs if s.image != project_image}.items())
    for image, role in wanted:
        present = engine.image_exists(image)
        if present and policy != "always":
            continue
        if policy == "never":
            raise FatalError(_missing(image, role, "and --pull never was given"))
        out(f"dkenv: pulling {image} (for {role})")
        problem = engine.pull(image, out)
        if problem and not present:
            raise FatalError(_missing(image, role, f"and pulling it failed: {problem}"))
        if problem:
            out(f"dkenv: could not pull a newer {image} ({problem}); keeping the one here")


def _missing(image: str, role: str, why: str) -> str:
    repo = imageref.split(image)[0]
    return (f"dkenv: the image {image} (for the service {role}) is not on this machine {why}. Nothing was "
            f"stopped or changed. Pull it where a registry is reachable (`docker pull {image}`), or set the "
            f"service's `version` to a tag you have (`docker images {repo}`)")
