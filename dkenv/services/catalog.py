"""The service catalog: services.toml read into CatalogEntry values, and the table
`dkenv services` prints.

Pure logic: no Docker, no click. docs/services.md describes services.toml and every entry;
resolve.py resolves a [services.NAME] with an entry's defaults, specs.py makes it a container.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from dkenv import tomltext
from dkenv.project.schema import ServiceConfig

CATALOG_FILE = Path(__file__).with_name("services.toml")
REQUIRED_FIELDS = ("description", "image", "tag", "ports", "data", "healthcheck", "env", "url", "connection")
OPTIONAL_FIELDS = ("user", "command", "weak", "health_interval", "stop_signal", "data_version_file",
                   "run_as_host_user", "groups", "passwd")


@dataclass(frozen=True)
class CatalogEntry:
    """One entry of services.toml (see the header of that file)."""

    name: str
    description: str
    image: str
    tag: str
    ports: list[int]
    data: str
    healthcheck: str
    env: dict[str, str]
    url: str
    connection: dict[str, str]
    user: str | None = None
    command: str | None = None
    weak: list[str] = field(default_factory=list)
    health_interval: float = 1.0
    stop_signal: str | None = None  # the signal for a clean shutdown, when not the image's own
    data_version_file: str | None = None  # in the data folder: the major version that wrote it
    run_as_host_user: bool = True  # with data: runs as the host user's UID:GID, so data/NAME is theirs
    groups: list[str] = field(default_factory=list)  # supplementary groups when it runs as the host user
    passwd: bool = False  # the host UID needs a passwd entry in the container (a mounted /etc/passwd)

    @property
    def default_image(self) -> str:
        return f"{self.image}:{self.tag}"


@functools.lru_cache(maxsize=1)
def catalog() -> dict[str, CatalogEntry]:
    """Every catalog entry by name, in file order."""
    return parse_catalog(CATALOG_FILE.read_text(encoding="utf-8"))


def parse_catalog(text: str) -> dict[str, CatalogEntry]:
    """Catalog entries from TOML text; a missing or unknown field is a bug of ours (ValueError)."""
    entries = {}
    for name, body in tomltext.loads(text).items():
        missing = [f for f in REQUIRED_FIELDS if f not in body]
        unknown = [f for f in body if f not in REQUIRED_FIELDS + OPTIONAL_FIELDS]
        if missing or unknown:
            raise ValueError(f"services.toml: [{name}]: missing {missing}, unknown {unknown}")
        values = {k: v.strip() if isinstance(v, str) else v for k, v in body.items()}
        values["env"] = {k: str(v) for k, v in body["env"].items()}
        values["connection"] = {k: str(v) for k, v in body["connection"].items()}
        values["ports"] = [int(p) for p in body["ports"]]
        entries[name] = CatalogEntry(name=name, **values)
    return entries


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
