"""Which service wrote each `data/NAME`, and with which credentials: `data/.dkenv.json`.

A data folder belongs to the kind of server that created it: PostgreSQL's files mean nothing
to Redis, and a server started on another's files fails, or worse, initialises over them.
And a database keeps the password it was created with: a `POSTGRES_PASSWORD` added or
changed later reaches the injected `DATABASE_URL`, never the cluster. So after `up` starts a
service, dkenv records its template and a hash of each variable its connection URL names;
before the next `up` stops or creates anything:

- a service whose `data/NAME` was written by another template is refused (exit 1), like a
  major-version change (containers/upgrades.py), unless `--force`;
- a changed credential gets one line: the data keeps the old one, and how to change or reset it.

The record lives in `data/` itself, which no container mounts (each service mounts its own
`data/NAME`): the container cannot rewrite what the host checks. A folder with data and no
record (an earlier dkenv's) is adopted as it is at the next `up`.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from dkenv import fileio
from dkenv.errors import FatalError

RECORD = ".dkenv.json"
_ENV_REF = re.compile(r"\{(?:env|quoted)\[([A-Za-z_][A-Za-z0-9_]*)\]\}")


def path(project) -> Path:
    return project.data_dir / RECORD


def read(project) -> dict:
    try:
        found = json.loads(path(project).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return found if isinstance(found, dict) else {}


def credentials(resolved) -> dict[str, str]:
    """The variables the service's URL and connection templates name, each as a hash (the
    record never holds a secret): {"POSTGRES_PASSWORD": "sha256:..."}."""
    entry = resolved.entry
    if entry is None:
        return {}
    texts = [entry.url or "", *entry.connection.values()]
    names = sorted({name for text in texts for name in _ENV_REF.findall(text)})
    return {name: "sha256:" + hashlib.sha256(resolved.env.get(name, "").encode()).hexdigest()[:16]
            for name in names}


def _services(project):
    """(name, resolved, data folder) of every catalog service that keeps data."""
    from dkenv.services.resolve import resolve

    for name, service in sorted(project.config.services.items()):
        resolved = resolve(service)
        if resolved.entry is not None and resolved.data_path:
            yield name, resolved, project.data_dir / name


def _has_data(folder: Path) -> bool:
    try:
        return folder.is_dir() and not folder.is_symlink() and any(folder.iterdir())
    except OSError:
        return False


def check(project, force: bool, out) -> set[str]:
    """Before anything is stopped or created: another kind's data refused, changed
    credentials said. The services whose folder holds no data yet (they start fresh)."""
    recorded, fresh = read(project), set()
    for name, resolved, folder in _services(project):
        mine = recorded.get(name)
        if not _has_data(folder):
            fresh.add(name)
            continue
        if not isinstance(mine, dict):
            continue
        template, written_by = resolved.entry.name, mine.get("template")
        if written_by and written_by != template and not force:
            raise FatalError(
                f"dkenv: {folder} holds data written by {written_by}, and the service {name} is now "
                f"{template}, which would start on those files. Nothing was stopped. Move {folder} away (or "
                f"`dkenv down --purge {name}`) to start {template} fresh, or set its template back to "
                f"{written_by}; `dkenv up --force` starts it anyway")
        if written_by != template:
            continue
        before = mine.get("credentials") if isinstance(mine.get("credentials"), dict) else {}
        changed = sorted(k for k, v in credentials(resolved).items() if k in before and before[k] != v)
        if changed:
            out(f"dkenv: warning: {', '.join(changed)} of {name} changed since {folder} was created; "
                f"{template} keeps the credentials it was created with, so the URL dkenv injects no longer "
                f"matches them: change them inside the service (for PostgreSQL, `ALTER USER ... PASSWORD`), "
                f"or `dkenv down --purge {name}` to recreate its data with the new ones")
    return fresh


def record(project, fresh: set[str]) -> None:
    """After the services started: what each data folder now holds. A service that started
    fresh (`fresh`, from `check`), or was never recorded, is recorded as it is now; one whose
    data was there keeps the credentials it was created with (the database keeps them). A
    record that cannot be written only costs the next check."""
    recorded = read(project)
    changed = False
    for name, resolved, _ in _services(project):
        mine = recorded.get(name) if isinstance(recorded.get(name), dict) else {}
        current = {"template": resolved.entry.name, "credentials": credentials(resolved)}
        keep = name not in fresh and mine.get("template") == current["template"] and mine.get("credentials")
        if not keep and mine != current:
            recorded[name] = current
            changed = True
    if changed:
        try:
            fileio.write_atomic(path(project), json.dumps(recorded, indent=2, sort_keys=True) + "\n")
        except (OSError, FatalError):
            pass
