"""Where a project's app lives, for `dkenv init`: the root, or a folder inside it (a
monorepo's `backend/`, a uv workspace member) when the root holds no web framework; the
`.env` file its settings read; and `.env` values that name this machine, which inside the
container mean the container itself.

Pure logic: reads files, never runs anything.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

from dkenv.catalog.entries import catalog
from dkenv.detect import composefiles
from dkenv.detect.detection import Detection, inspect
from dkenv.detect.frameworks import FRAMEWORK_NAMES
from dkenv.manifests.workspace import find_workspace

# the likeliest homes of an app, tried first (then the other folders, alphabetically)
PREFERRED = ("backend", "app", "api", "server", "src", "web", "service", "services")
_MANIFESTS = ("pyproject.toml", "requirements.txt", "requirements", "Pipfile", "setup.py", "manage.py")
_SKIP = {"node_modules", "venv", "env", "data", "build", "dist", "docs", "tests", "test", "frontend"}
_LOCAL = re.compile(r"(^|[/@:])(localhost|127\.0\.0\.1|\[::1\])([:/]|$)")


def locate(root: Path) -> Detection:
    """What `inspect` finds at the root, or in the folder holding the app; with `workdir`
    and `env_file` set, and a note saying what was chosen and why."""
    root = Path(root)
    found = inspect(root)
    if not found.framework or found.manager == "none":
        found = _subfolder(root, found) or found
    found.env_file = env_file(root, found.workdir)
    if found.env_file:
        found.notes.append(f"settings: {found.env_file} (run.env_file)")
    return found


def candidates(root: Path) -> list[str]:
    """Folders that may hold the app: the members of the uv workspace rooted here, and the
    folders one level down holding a manifest; likeliest first."""
    workspace = find_workspace(root)
    found = {m for m in workspace.members if m != "."} if workspace and workspace.root == root else set()
    try:
        subfolders = [p for p in root.iterdir() if p.is_dir()]
    except OSError:
        subfolders = []
    for path in subfolders:
        if path.name.startswith(".") or path.name in _SKIP or (path / "pyvenv.cfg").is_file():
            continue
        if any((path / m).exists() for m in _MANIFESTS) or any(path.glob("*requirements*.txt")):
            found.add(path.name)
    return sorted(found, key=_rank)


def _rank(rel: str) -> tuple[int, str]:
    name = rel.rsplit("/", 1)[-1]
    return (PREFERRED.index(name) if name in PREFERRED else len(PREFERRED), rel)


def _subfolder(root: Path, at_root: Detection) -> Detection | None:
    """The folder holding a web framework (with what it installs, when the root has the
    framework only through a manage.py one level down and installs nothing); else, when the
    root installs nothing, the first folder that does."""
    inspected = [(rel, inspect(root / rel, within=root)) for rel in candidates(root)]
    with_app = [(rel, d) for rel, d in inspected if d.framework and (not at_root.framework or d.manager != "none")]
    if with_app:
        rel, chosen = with_app[0]
        why = f"{FRAMEWORK_NAMES[chosen.framework]} is there; the root has " + (
            "no manifest" if at_root.framework else "no web framework")
    elif at_root.framework:
        return None
    else:
        installing = [(rel, d) for rel, d in inspected if d.manager != "none"]
        if at_root.manager != "none" or not installing:
            return None
        rel, chosen = installing[0]
        why = f"its {chosen.manager} manifests; the root has none"
    others = [f"{r}/ ({FRAMEWORK_NAMES[d.framework]})" for r, d in with_app if r != rel]
    chosen.workdir = rel
    chosen.notes.insert(0, f"app folder: {rel}/ ({why}); image.workdir = {rel!r}")
    if others:
        chosen.notes.insert(1, f"also: {', '.join(others)}; image.workdir chooses another")
    return chosen


def env_file(root: Path, workdir: str) -> str:
    """The file the project's compose service for the app reads (`env_file`), else the
    `.env` in the app's folder, else at the root (relative to the root); "" for none."""
    return compose_env_file(root, workdir) or next(
        (rel for rel in ([f"{workdir}/.env"] if workdir else []) + [".env"] if (root / rel).is_file()), "")


def compose_env_file(root: Path, workdir: str) -> str:
    """The first `env_file` of a compose service that builds or mounts the app's folder (in
    the app's folder's compose files, then the root's) that exists inside the project."""
    for compose, _name, service in composefiles.project_app_services(root, workdir):
        files = service.get("env_file")
        for item in files if isinstance(files, list) else [files]:
            path = item.get("path") if isinstance(item, dict) else item
            if not isinstance(path, str) or not path.strip():
                continue
            target = (compose.parent / path.strip()).resolve()
            if target.is_file() and target.is_relative_to(root.resolve()):
                return target.relative_to(root.resolve()).as_posix()
    return ""


def compose_environment(root: Path, workdir: str, services: dict[str, str],
                        aliases: dict[str, str] | None = None) -> tuple[dict[str, str], str, list[str]]:
    """The `environment` of the project's compose service for the app (as `compose_env_file`
    finds it), for run.env: its values naming another compose service as host (`@web-db:5432`)
    point at the dkenv service meant (by the variable's name, as `local_hosts`), the app's own service name is localhost; a value that
    names one no dkenv service stands for, or interpolates (`${VAR}`), is left out. Returns
    (variables, where, left out). `aliases`: compose service -> the dkenv service standing
    for it (`rabbitmq` -> `rabbitmq`, `web-db` -> `db`), asked before the variable's name.
    Only a value's host is read (`host_span`): CTFd's `mysql+pymysql://ctfd:ctfd@db/ctfd`
    names the app's service `ctfd` as user and database, not as host. A path the service's
    `volumes` mount is left out too: CTFd's LOG_FOLDER=/var/log/CTFd is its compose file's
    mount, absent (and not the user's to create) in dkenv's container, where the app's
    default (a folder of the project) applies."""
    for path, name, service in composefiles.project_app_services(root, workdir):
        env = composefiles.service_env(service)
        if not env or not composefiles.runs_python(path, service):  # kitsune's node service mounts the app too
            continue
        others = [n for n in composefiles.compose_services(path) if n != name]
        mounted = composefiles.mount_targets(service)
        kept, dropped = {}, []
        for key, value in env.items():
            value = _with_host(str(key), "" if value is None else str(value), {name: "localhost"})  # itself
            pointed = _point_at(str(key), value, others, services, aliases or {})
            if "$" in value or pointed is None or _under(value, mounted):
                dropped.append(str(key))
            else:
                kept[str(key)] = pointed
        return kept, f"{path.name} (services.{name}.environment)", dropped
    return {}, "", []


def _words(key: str) -> set[str]:
    """A variable name's words, upper-case: POSTGRES_SERVER -> {POSTGRES, SERVER}."""
    return set(re.split(r"[_\W]+", key.upper()))


def _under(value: str, targets: list[str]) -> bool:
    """`value` is an absolute path at or below one of `targets`."""
    if not value.startswith("/"):
        return False
    path = posixpath.normpath(value)
    return any(path == t or path.startswith(t.rstrip("/") + "/") for t in targets)


_URL_HOST = re.compile(r"^[A-Za-z][\w+.-]*://(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#@,]*)")
_PORT_HOST = re.compile(r"^([\w.-]+):\d+(?:/.*)?$")
_HOST_WORDS = ("HOST", "HOSTNAME", "SERVER", "ADDR", "ADDRESS", "ENDPOINT")  # PGHOST, DB_HOST, REDIS_SERVER


def host_span(key: str, value: str) -> tuple[int, int] | None:
    """Where a variable's value names a host: a URL's (after its user and password), a
    `host:port`'s, or the whole value of a variable whose name says host (DB_HOST=db); None
    for any other value (a user or database name that happens to equal a service's)."""
    for pattern in (_URL_HOST, _PORT_HOST):
        m = pattern.match(value)
        if m:
            return m.span(1)
    words = _words(key)
    said = any(word.endswith(_HOST_WORDS) for word in words)
    return (0, len(value)) if said and re.fullmatch(r"[\w.-]+", value) else None


def _with_host(key: str, value: str, hosts: dict[str, str]) -> str:
    """`value` with its host replaced when it is one of `hosts` (old -> new)."""
    span = host_span(key, value)
    if span is None or value[span[0]:span[1]] not in hosts:
        return value
    return value[:span[0]] + hosts[value[span[0]:span[1]]] + value[span[1]:]


def _point_at(key: str, value: str, hosts: list[str], services: dict[str, str],
              aliases: dict[str, str]) -> str | None:
    """`value` with a compose service named as its host replaced by the dkenv service the
    variable means; unchanged when it names none; None when no dkenv service stands for it."""
    span = host_span(key, value)
    host = value[span[0]:span[1]] if span else None
    if host not in hosts:
        return value
    words = _words(key)
    by_name = next((n for n, t in services.items() if words & set(catalog()[t].detect.env_words)), None)
    meant = aliases.get(host, by_name)
    return None if meant is None else _with_host(key, value, {host: meant})


def local_hosts(values: dict[str, str], services: dict[str, str]) -> dict[str, str]:
    """The .env variables naming this machine (localhost) where a service is meant, with
    the value pointing at it instead: inside the container, localhost is the container.
    `services`: service name -> catalog template, whose detect.env_words say which variables
    mean it; POSTGRES_SERVER=localhost -> "db"."""
    meaning = {name: set(catalog()[template].detect.env_words) for name, template in services.items()}
    hints = {}
    for key, value in values.items():
        words = _words(key)
        service = next((name for name, service_words in meaning.items() if words & service_words), None)
        if service and _LOCAL.search(value):
            hints[key] = _LOCAL.sub(lambda m: f"{m.group(1)}{service}{m.group(3)}", value)
    return hints
