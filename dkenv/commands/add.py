"""`dkenv add TEMPLATE [--as NAME]`: a catalog service appended to .dkenv.toml."""
from __future__ import annotations

from dkenv import addservice, catalog, config, services


def run(directory: str | None, template: str, as_name: str | None, echo) -> int:
    root = config.locate_root(directory)
    path = root / config.CONFIG_NAME
    was_allowed = _is_allowed(root)
    name = addservice.add_service(path, template, as_name)
    if was_allowed:
        _allow(root)  # dkenv made this edit: an approval of the file before it stays
    entry = catalog.catalog()[template.strip().lower()]
    echo(f"dkenv: added [services.{name}] ({entry.default_image}) to {path}")
    echo(f"  host name {name!r}; injects {', '.join(services.injected_names(entry, name))}")
    echo("Next: review it, then `dkenv up` starts it")
    return 0


def _is_allowed(root) -> bool:
    try:
        from dkenv import allow
    except ImportError:
        return False
    return allow.is_allowed(root)


def _allow(root) -> None:
    from dkenv import allow

    try:
        allow.allow(root)
    except OSError:
        pass  # `dkenv allow` approves it again
