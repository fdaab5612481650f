"""`dkenv services`: the catalog of services."""
from __future__ import annotations

from dkenv import services


def run(echo) -> int:
    echo(services.format_catalog())
    return 0
