"""The incremental step's Dockerfile (image/incremental.py decides when it applies): the
previous image of the project, the new manifests copied over the old, one RUN that makes
the venv what the new manifests give, then what the clean build installs after its
dependencies (the editable wheels, debugpy), `compileall` of what changed where the image
compiles at install (image/bytecode.py: nothing is compiled where the running environment
writes the bytecode; the step then writes none either, its image's ENV set again last). Pure text.

- requirements files (`pip`, `pyproject`: `Installer.uv_requirements`): `uv pip compile`
  of them for the venv's Python (pip and setuptools left out: SEEDS), `uv pip sync` of
  the result (what a bump no longer needs goes too), then the clean build's own
  `uv pip install -r` (a no-op but for pip and setuptools);
- uv with its lock (`uv sync --frozen`): its own steps again, exact by themselves.

With BuildKit (`cache`) on the shared cache mounts; without, no cache at all
(`UV_NO_CACHE=1`), and uv installed into /tmp for the step when the image has none (the
classic rendering of a requirements project).
"""
from __future__ import annotations

import dataclasses
import shlex

from dkenv import installers
from dkenv.image import bytecode, cachemounts, dockerfile
from dkenv.imagepaths import BUILD_DIR, CONTEXT_MANIFESTS, TOOLS, VENV
from dkenv.installers.base import UV_PIP

NAME = "Dockerfile.incremental"
RESOLVED = "/tmp/dkenv-resolved.txt"
SEEDS = ("pip", "setuptools")  # what the venv is made with: left to the clean build's own command


def applies(plan: dockerfile.ImagePlan) -> bool:
    """Whether the plan's installer installs requirements files with uv (the step's tool),
    or is uv with its lock (`uv sync --frozen`: exact by itself)."""
    return plan.install != "none" and (installers.get(plan.install).uv_requirements or synced(plan))


def synced(plan: dockerfile.ImagePlan) -> bool:
    """An installer whose steps sync its lock exactly (uv), with the lock: the step runs them again."""
    return plan.install != "none" and plan.locked and installers.get(plan.install).exact_lock


def render(plan: dockerfile.ImagePlan, previous: str, *, cache: bool) -> str:
    """The incremental step on the image `previous` (its id): with BuildKit's cache mounts
    (`cache`), else with no cache at all (the classic builder)."""
    user = f"{plan.user.uid}:{plan.user.gid}"
    script = [
        *(installers.get(plan.install).steps(plan) if synced(plan) else _pip_sync(plan)),
        # what changed compiled, as pip does (uv would compile every file of the venv again),
        # unless the running environment writes the bytecode (image/bytecode.py)
        *([] if plan.pycache else
          [f"{VENV}/bin/python -m compileall -qq {VENV}/lib/python*/site-packages >/dev/null || true"]),
        f"rm -rf /tmp/dkenv-uv {RESOLVED}",
    ]
    body = " \\\n && ".join(script)
    env = cachemounts.CACHE_ENV if cache else "PIP_NO_CACHE_DIR=1 UV_NO_CACHE=1"
    mounts = f"{cachemounts.mounts(plan.user)} \\\n    " if cache else ""
    parts = [
        "# dkenv's incremental step (docs/design.md): the previous image of the project, its venv made",
        "# what the changed requirements resolve to; .dkenv/Dockerfile is the full description",
        f"FROM {previous}",
        # the step writes no bytecode into the image; the image's own ENV is set again last
        f"ENV {bytecode.BUILD_ENV}" if plan.pycache else "",
        f"USER {user}",
        f"WORKDIR {BUILD_DIR}",
        f"COPY --chown={user} {CONTEXT_MANIFESTS}/ {BUILD_DIR}/",
        f"# dependencies ({plan.install}, {'uv sync' if synced(plan) else 'uv pip sync'} of the changes"
        f"{', cached' if cache else ''})",
        f"RUN {mounts}set -eu; export {env}; \\\n    {body}",
        dockerfile.debug_section(plan),
        bytecode.runtime_env(plan.pycache),
        "WORKDIR /",
        f"USER {user}",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def compile_args(args: str) -> str:
    """`uv pip install`'s arguments as `uv pip compile` takes them (its files are positional)."""
    words = shlex.split(args)
    out = [w for i, w in enumerate(words) if not (w == "-r" and i + 1 < len(words))]
    return " ".join(shlex.quote(w) for w in out)


def _pip_sync(plan: dockerfile.ImagePlan) -> list[str]:
    """The requirements resolved (`uv pip compile`), the venv made that (`uv pip sync`), the
    clean build's own `uv pip install` (pip and setuptools), then the rest of its steps."""
    first, *rest = installers.get(plan.install).steps(dataclasses.replace(plan, cache=True))
    args = first[len(UV_PIP):].strip() if first.startswith(UV_PIP) else None
    if args is None:
        raise ValueError(f"the {plan.install} installer's step is not uv pip's: {first}")
    py = f"--python {VENV}/bin/python"
    keep = " ".join(f"--no-emit-package {s}" for s in SEEDS)
    return [
        # the image was built by the other route: no uv in its tools, one for this step only
        f'uv={TOOLS}/bin/uv; if [ ! -x "$uv" ]; then {VENV}/bin/python -m venv /tmp/dkenv-uv'
        ' && /tmp/dkenv-uv/bin/pip install -q uv && uv=/tmp/dkenv-uv/bin/uv; fi',
        f'"$uv" pip compile -q {py} {keep} {compile_args(args)} -o {RESOLVED}',
        f'"$uv" pip sync {py} {RESOLVED}',
        f'"$uv" pip install {py} {args}',
        *rest,
    ]
