"""`dkenv services`: the catalog of services."""
from __future__ import annotations

from dkenv import catalog


def run(echo) -> int:
    echo(catalog.format_catalog())
    return 0
