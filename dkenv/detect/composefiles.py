"""A project's compose files, as `dkenv init` reads them (how the app runs, its services,
their versions, credentials and init scripts, the app's environment and env_file): which
files (a development override first), their services, a service's environment, and which
services build or mount the app's folder, the image a service names and the Dockerfile it
is built from. Pure: reads files through the YAML subset
reader, never runs anything.
"""
from __future__ import annotations

import os
import posixpath
from pathlib import Path

from dkenv import fileio, imageref, yamlread


def compose_files(root: Path) -> list[Path]:
    """The folder's compose files, a development override first, production and CI ones last."""
    files = [p for pattern in ("compose*.y*ml", "docker-compose*.y*ml") for p in root.glob(pattern) if p.is_file()]

    def rank(path: Path) -> tuple[int, str]:
        name = path.name.lower()
        return (0 if any(w in name for w in ("override", "dev", "local")) else
                2 if any(w in name for w in ("prod", "test", "ci")) else 1, name)
    return sorted(set(files), key=rank)


def compose_services(path: Path, notes: list[str] | None = None) -> dict[str, dict]:
    """A compose file's services, name -> its mapping; {} when the file cannot be read (said
    in `notes` when given)."""
    try:
        doc = yamlread.loads(fileio.text_or_empty(path))
    except ValueError as e:
        if notes is not None:
            notes.append(f"{path.name}: not read ({e})")
        return {}
    services = doc.get("services") if isinstance(doc, dict) else None
    return {str(n): s for n, s in services.items() if isinstance(s, dict)} if isinstance(services, dict) else {}


def service_env(service: dict) -> dict:
    """A compose service's `environment`, as a mapping (its list form `- KEY=VALUE` read)."""
    env = service.get("environment")
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env if isinstance(e, str) and "=" in e)
    return env if isinstance(env, dict) else {}


def mount_targets(service: dict) -> list[str]:
    """The container paths a compose service's `volumes` mount (short `src:target[:mode]`
    and long `{target: ...}` syntax), normalised; a bare `target` (an anonymous volume) too."""
    volumes = service.get("volumes") if isinstance(service.get("volumes"), list) else []
    targets = []
    for volume in volumes:
        if isinstance(volume, dict):
            target = volume.get("target")
        elif isinstance(volume, str):
            parts = volume.split(":")
            target = parts[1] if len(parts) > 1 else parts[0]
        else:
            target = None
        if isinstance(target, str) and target.startswith("/"):
            targets.append(posixpath.normpath(target))
    return targets


def builds_here(service: dict, app: str, folder: Path, root: Path | None = None) -> bool:
    """A service built from the app's folder, or an image that bind-mounts it (`volumes:
    [".:/app"]`, a development setup; a short-syntax source is a path when it starts with
    "." or "/", else a named volume). `app`: the app's folder relative to `folder`, the
    compose file's ("." for the folder itself, "backend" for a root compose file's `build:
    ./backend`); `root`: the project's root (default: `folder`).

    Built from it: its build context is that folder, or the context holds the folder and
    the build's Dockerfile lies in it (`context: .` with `dockerfile: backend/Dockerfile`,
    a root-context build of a monorepo's backend, the Dockerfile copying `backend/` and the
    root's lock). Paths are compared once normalised and resolved (links followed); a
    Dockerfile outside the project's root, a context that is a URL or interpolates (`${VAR}`),
    count for nothing."""
    here = _folder(folder, app)
    build = service.get("build")
    context = build.get("context", ".") if isinstance(build, dict) else build
    built_in = _folder(folder, context) if isinstance(context, str) else None
    if built_in is not None and here is not None:
        if built_in == here:
            return True
        dockerfile = _dockerfile(build, built_in, root or folder)
        if dockerfile is not None and built_in in here.parents and here in dockerfile.parents:
            return True
    volumes = service.get("volumes") if isinstance(service.get("volumes"), list) else []
    sources = [v.split(":", 1)[0] for v in volumes if isinstance(v, str) and ":" in v]
    return any(source.startswith((".", "/")) and _folder(folder, source) == here for source in sources)


def _folder(folder: Path, rel: str) -> Path | None:
    """`rel` (relative to `folder`, or absolute) normalised, then resolved; None for a URL or an
    interpolation (`${VAR}`), which name no folder dkenv can know."""
    rel = rel.strip()
    if not rel or "$" in rel or "://" in rel or rel.startswith("git@"):
        return None
    return Path(os.path.normpath(folder / rel)).resolve()


def _dockerfile(build, context: Path, root: Path) -> Path | None:
    """The Dockerfile a build names (`dockerfile`, relative to its context; "Dockerfile"),
    normalised and resolved; None when it interpolates or lies outside `root`."""
    name = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
    if not isinstance(name, str) or not name.strip() or "$" in name:
        return None
    path = Path(os.path.normpath(context / name.strip())).resolve()
    return path if path.is_relative_to(root.resolve()) else None


def runs_python(path: Path, service: dict) -> bool:
    """A compose service (of the compose file at `path`) that builds or mounts the app runs it
    on Python, or nobody can tell: built, its target stage on a python image (warehouse's
    `static` builds `target: static-deps`, FROM node: `npm run watch`); not built, the image
    another service builds (`image: myapp` beside `web: {build: ., image: myapp}`), else a
    python image (kitsune's `node` mounts the app in `node:22-bookworm`: not one)."""
    from dkenv import dockerstages

    if not service.get("build"):
        image = service.get("image")
        if not isinstance(image, str):
            return False
        builder = next((s for s in compose_services(path).values() if isinstance(s, dict) and s.get("build")
                        and s.get("image") == image), None)  # `image: myapp`, which another service builds
        return runs_python(path, builder) if builder is not None else "python" in image_name(image)[0]
    target = build_target(service).lower()
    found = build_dockerfile(path, service) if target else None
    if found is None:
        return True
    stages = dockerstages.read(found[0])
    at = next((i for i, stage in enumerate(stages) if stage.name == target), None)
    if at is None:
        return True
    return any(dockerstages.python_minor(stage.image) for stage in dockerstages.lineage(stages[:at + 1]))


def build_target(service: dict) -> str:
    """The stage a compose service's build stops at (`build: {target: dev}`); "" for the final one."""
    build = service.get("build")
    target = build.get("target") if isinstance(build, dict) else None
    return target.strip() if isinstance(target, str) and "$" not in target else ""


def app_services(folder: Path, app: str = ".", root: Path | None = None) -> list[tuple[Path, str, dict]]:
    """The compose services of `folder`'s compose files that build or mount `app` (relative
    to `folder`; `builds_here`): (compose file, service name, service), development files first.
    `root`: the project's root (default: `folder`)."""
    return [(path, name, service) for path in compose_files(folder)
            for name, service in compose_services(path).items() if builds_here(service, app, folder, root)]


def project_app_services(root: Path, workdir: str) -> list[tuple[Path, str, dict]]:
    """The compose services that build or mount the project's app (in `workdir`, "" for the
    root): those of the app's folder's compose files, then the root's (`build: ./workdir`, or
    `context: .` with `dockerfile: workdir/Dockerfile`)."""
    pairs = [(root / workdir, "."), (root, workdir)] if workdir else [(root, ".")]
    return [found for folder, app in pairs for found in app_services(folder, app, root)]


def image_name(ref: str) -> tuple[str, str | None]:
    """A compose `image:` as (its repository's last name, its tag): `docker.io/library/postgres:15`
    -> ("postgres", "15"); a `${VAR}` in it is read as plain text."""
    repository, tag = imageref.split(ref.replace("${", "{"))
    return repository.rsplit("/", 1)[-1], tag


def build_dockerfile(compose: Path, service: dict) -> tuple[Path, Path] | None:
    """(the Dockerfile, the build context) a compose service is built from, when that
    Dockerfile is a file inside the compose file's folder (its path normalised, then links
    followed); None otherwise, or when its `build` interpolates (`${VAR}`)."""
    build = service.get("build")
    context = build.get("context", ".") if isinstance(build, dict) else build
    if not isinstance(context, str) or "$" in context or "://" in context:
        return None
    folder = compose.parent / context
    dockerfile = _dockerfile(build, Path(os.path.normpath(folder)), compose.parent)
    if dockerfile is None or not dockerfile.is_file():
        return None
    return dockerfile, folder


