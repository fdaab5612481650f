"""`dkenv add TEMPLATE [--as NAME]`: a catalog service appended to .dkenv.toml."""
from __future__ import annotations

from dkenv.project import config
from dkenv.services import catalog, edit, resolve
from dkenv.shell import allow


def run(opts, *, template: str, as_name: str | None) -> int:
    out = opts.out
    root = config.locate_root(opts.directory)
    path = root / config.CONFIG_NAME
    was_allowed = allow.is_allowed(root)
    name = edit.add_service(path, template, as_name)
    if was_allowed:
        try:
            allow.allow(root)  # dkenv made this edit: an approval of the file before it stays
        except OSError:
            pass  # `dkenv allow` approves it again
    entry = catalog.catalog()[template.strip().lower()]
    out.echo(f"dkenv: added [services.{name}] ({entry.default_image}) to {path}")
    out.echo(f"  host name {name!r}; injects {', '.join(resolve.injected_names(entry, name))}")
    out.echo("Next: review it, then `dkenv up` starts it")
    return 0
