"""A project's compose files, as `dkenv init` reads them (how the app runs, its services,
their versions, credentials and init scripts, the app's environment and env_file): which
files (a development override first), their services, a service's environment, and which
services build or mount the app's folder. Pure: reads files through the YAML subset
reader, never runs anything.
"""
from __future__ import annotations

from pathlib import Path

from dkenv import yamlread


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


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    except OSError:
        return ""
