"""The service catalog as services use it: its entries (read by catalog/entries.py, the
data below detect/ and services/), the entry of a service, and the table `dkenv services`
prints.

Pure logic: no Docker, no click. docs/services.md describes services.toml and every entry;
resolve.py resolves a [services.NAME] with an entry's defaults, specs.py makes it a container.
"""
from __future__ import annotations

from dkenv.catalog.entries import CatalogEntry, catalog
from dkenv.project.schema import ServiceConfig

__all__ = ["CatalogEntry", "catalog", "entry_for", "format_catalog"]


def entry_for(service: ServiceConfig) -> CatalogEntry | None:
    """The catalog entry of a service: its template, else its name when that is in the catalog."""
    return catalog().get(service.template if service.template is not None else service.name)


def format_catalog() -> str:
    """The table `dkenv services` prints."""
    rows = [("NAME", "IMAGE", "PORTS", "INJECTS")]
    for entry in catalog().values():
        rows.append((entry.name, entry.default_image, ",".join(map(str, entry.ports)),
                     " ".join(entry.connection)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths)) + "  " + row[3]
             for row in rows]
    lines += ["", "Every service NAME also injects NAME_URL, NAME_HOST and NAME_PORT.",
              "Add one: dkenv add TEMPLATE [--as NAME]; details: docs/services.md"]
    return "\n".join(line.rstrip() for line in lines)
