"""`dkenv services`: the catalog of services."""
from __future__ import annotations

from dkenv.services import catalog


def run(opts) -> int:
    opts.out.echo(catalog.format_catalog())
    return 0
