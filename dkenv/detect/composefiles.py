"""A project's compose files, as `dkenv init` reads them (how the app runs, its services,
their versions, credentials and init scripts, the app's environment and env_file): which
files (a development override first), their services, a service's environment, and which
services build or mount the app's folder, the image a service names and the Dockerfile it
is built from. Pure: reads files through the YAML subset
reader, never runs anything.
"""
from __future__ import annotations

from pathlib import Path

from dkenv import imageref, yamlread


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
        doc = yamlread.loads(_text(path))
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


def builds_here(service: dict, app: str = ".") -> bool:
    """A service built from this folder (`build: .`, or a context of "." or "./"), or an
    image that mounts it (`volumes: [".:/app"]`, a development setup); `app`: the app's
    folder relative to the compose file's ("app" for `build: ./app`)."""
    build = service.get("build")
    context = build.get("context", ".") if isinstance(build, dict) else build
    if isinstance(context, str) and _same(context, app):
        return True
    volumes = service.get("volumes") if isinstance(service.get("volumes"), list) else []
    return any(isinstance(v, str) and ":" in v and _same(v.split(":", 1)[0], app) for v in volumes)


def _same(path: str, app: str) -> bool:
    """Two folders relative to the same one, written "./app/", "app"...: the same?"""
    def norm(p: str) -> str:
        parts = [w for w in p.strip().split("/") if w not in ("", ".")]
        return "/".join(parts)
    return norm(path) == norm(app)


def app_services(folder: Path, app: str = ".") -> list[tuple[Path, str, dict]]:
    """The compose services of `folder`'s compose files that build or mount `app` (relative
    to `folder`): (compose file, service name, service), development files first."""
    return [(path, name, service) for path in compose_files(folder)
            for name, service in compose_services(path).items() if builds_here(service, app)]


def project_app_services(root: Path, workdir: str) -> list[tuple[Path, str, dict]]:
    """The compose services that build or mount the project's app (in `workdir`, "" for the
    root): those of the app's folder's compose files, then the root's (`build: ./workdir`)."""
    pairs = [(root / workdir, "."), (root, workdir)] if workdir else [(root, ".")]
    return [found for folder, app in pairs for found in app_services(folder, app)]


def image_name(ref: str) -> tuple[str, str | None]:
    """A compose `image:` as (its repository's last name, its tag): `docker.io/library/postgres:15`
    -> ("postgres", "15"); a `${VAR}` in it is read as plain text."""
    repository, tag = imageref.split(ref.replace("${", "{"))
    return repository.rsplit("/", 1)[-1], tag


def build_dockerfile(compose: Path, service: dict) -> tuple[Path, Path] | None:
    """(the Dockerfile, the build context) a compose service is built from, when that
    Dockerfile is a file inside the compose file's folder (links followed); None otherwise,
    or when its `build` interpolates (`${VAR}`)."""
    build = service.get("build")
    context = build.get("context", ".") if isinstance(build, dict) else build
    name = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
    if not isinstance(context, str) or not isinstance(name, str) or "$" in context + name:
        return None
    folder = compose.parent / context
    dockerfile = (folder / name).resolve()
    if not dockerfile.is_relative_to(compose.parent.resolve()) or not dockerfile.is_file():
        return None
    return dockerfile, folder


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    except OSError:
        return ""
