"""`dkenv init`: inspect the project and write a commented `.dkenv.toml`."""
from __future__ import annotations

import difflib
import os
import re
import sys
from pathlib import Path

from dkenv import config, detect, scaffold
from dkenv.errors import FatalError, UsageError

_PYTHON_RE = re.compile(r"^3\.\d{1,2}$")
DATABASES = ("postgres", "mysql", "mariadb")  # the first one found becomes the service "db"


def run(directory: str | None, *, yes: bool, python: str | None, base: str | None, force: bool,
        services: list[str], echo) -> int:
    """Write `.dkenv.toml` in `directory` (default: the cwd). `yes`: never ask (init asks nothing today)."""
    root = _root(directory)
    path = root / config.CONFIG_NAME
    if path.exists() and not force:
        raise UsageError(f"dkenv: {path} already exists; `dkenv init --force` overwrites it")
    if python is not None and not _PYTHON_RE.match(python):
        raise UsageError(f'dkenv: --python {python!r}: give a version X.Y, like "3.12"')
    if base is not None and not base.strip():
        raise UsageError("dkenv: --base: name an image, like python:3.12-slim-bookworm")

    found = detect.inspect(root)
    echo(f"dkenv: inspected {root}")
    for note in found.notes:
        echo(f"  {note}")
    chosen_python = python or found.python or "%d.%d" % sys.version_info[:2]
    if python:
        echo(f"  python {python} (--python)")
    elif not found.python:
        echo(f"  python {chosen_python}: the host's (nothing in the project names a version)")
    chosen = choose_services(found.services, services, echo)
    for name, template in chosen:
        echo(f"  service {name}: {template}")
    blocks = [_service_toml(name, template) for name, template in chosen]
    text = scaffold.render_config(found, name=config.default_name(root), base=base, python=chosen_python,
                                  services_toml=blocks)
    config.validate(path, text)  # a mistake of ours must not be left behind in the project
    _write(path, text)
    added = scaffold.update_gitignore(root)
    allowed = _allow(root, echo)

    echo(f"dkenv: wrote {path}")
    if added:
        echo(f"dkenv: added {', '.join(added)} to {root / '.gitignore'}")
    if allowed:
        echo("dkenv: allowed this .dkenv.toml for auto-activation")
    echo("Next: review .dkenv.toml, then `dkenv up`")
    return 0


def _root(directory: str | None) -> Path:
    root = Path(directory or os.getcwd()).absolute()
    if not root.is_dir():
        raise UsageError(f"dkenv: no such directory: {directory}")
    return root


def choose_services(detected: list[str], requested: list[str], echo) -> list[tuple[str, str]]:
    """(service name, catalog template) pairs: the detected ones, then the requested ones.

    Requested names must be in the catalog (UsageError otherwise); detected ones the
    catalog lacks are skipped with a message.
    """
    catalog = _catalog()
    templates: list[str] = []
    for template in detected:
        if catalog is None:
            echo(f"dkenv: {template} not added: no service catalog in this dkenv")
        elif template not in catalog:
            echo(f"dkenv: {template} not added: not in the service catalog")
        elif template not in templates:
            templates.append(template)
    for raw in requested:
        template = raw.strip().lower()
        if catalog is None:
            raise FatalError("dkenv: --service: no service catalog in this dkenv")
        if template not in catalog:
            hint = difflib.get_close_matches(template, list(catalog), n=1)
            suggestion = f' (did you mean "{hint[0]}"?)' if hint else ""
            raise UsageError(f"dkenv: --service {raw!r}: not in the catalog{suggestion}; "
                             f"available: {', '.join(sorted(catalog))}")
        if template not in templates:
            templates.append(template)
    chosen: list[tuple[str, str]] = []
    for template in templates:
        taken = {name for name, _ in chosen}
        name = "db" if template in DATABASES and "db" not in taken else template
        chosen.append((name, template))
    return chosen


def _catalog() -> dict | None:
    try:
        from dkenv import catalog
    except ImportError:
        return None
    return catalog.catalog()


def _service_toml(name: str, template: str) -> str:
    from dkenv import addservice

    return addservice.service_toml(name, template)


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise FatalError(f"dkenv: cannot write {path}: {e.strerror}") from None


def _allow(root: Path, echo) -> bool:
    """Approve the new file for auto-activation (the user just wrote it)."""
    try:
        from dkenv import allow
    except ImportError:
        return False
    try:
        allow.allow(root)
    except OSError as e:
        echo(f"dkenv: warning: could not record the approval ({e}); run `dkenv allow`")
        return False
    return True
