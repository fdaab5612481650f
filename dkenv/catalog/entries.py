"""services.toml read into CatalogEntry values: what each service is (image, ports, data,
healthcheck, credentials, connection variables) and how `dkenv init` recognises a
project that needs it (its [NAME.detect] table, a `Detect`).

Pure: the standard library and tomltext. It sits below detect/ so that detection reads
the same entries services/ runs (docs/design.md); docs/services.md describes every key.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from dkenv import tomltext

CATALOG_FILE = Path(__file__).with_name("services.toml")
REQUIRED_FIELDS = ("description", "image", "tag", "ports", "data", "healthcheck", "env", "url", "connection")
OPTIONAL_FIELDS = ("user", "command", "weak", "health_interval", "stop_signal", "data_version_file",
                   "run_as_host_user", "groups", "passwd", "init_dir", "detect")
DETECT_FIELDS = ("packages", "alongside", "rank", "propose_as", "env_words", "schemes", "stands_for")


@dataclass(frozen=True)
class Detect:
    """How `dkenv init` recognises a project that needs the service: [NAME.detect] with
    its defaults filled in (see the header of services.toml)."""

    packages: list[str] = field(default_factory=list)  # "psycopg2", "celery[redis]": a dependency suggesting it
    alongside: dict[str, list[str]] = field(default_factory=dict)  # "amqp" suggests it beside "celery" or "kombu"
    rank: int | None = None  # where it comes among the services init proposes, lowest first
    propose_as: str = ""  # the name init gives the service when no earlier one has it (default: the entry's)
    env_words: list[str] = field(default_factory=list)  # words of .env variable names meaning it (POSTGRES, PG)
    schemes: list[str] = field(default_factory=list)  # URL schemes naming this server (postgres, postgresql)
    stands_for: list[str] = field(default_factory=list)  # entries whose clients it serves too (mariadb: mysql)


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
    init_dir: str = ""  # the folder of scripts the image runs on its first initialisation ("": none)
    detect: Detect = field(default_factory=Detect)  # how init recognises a project needing it

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
        values["detect"] = parse_detect(name, values["url"], body.get("detect", {}))
        entries[name] = CatalogEntry(name=name, **values)
    return entries


def parse_detect(name: str, url: str, raw: dict) -> Detect:
    """[NAME.detect] with its defaults: the entry's name as `propose_as`, NAME upper-cased
    as the one env word, the scheme of `url` as the one scheme. ValueError for an unknown
    key, or packages without a rank."""
    unknown = [f for f in raw if f not in DETECT_FIELDS]
    if unknown:
        raise ValueError(f"services.toml: [{name}.detect]: unknown {unknown}")
    if (raw.get("packages") or raw.get("alongside")) and not isinstance(raw.get("rank"), int):
        raise ValueError(f"services.toml: [{name}.detect]: packages without an integer rank")
    return Detect(packages=list(raw.get("packages", [])),
                  alongside={k: list(v) for k, v in raw.get("alongside", {}).items()},
                  rank=raw.get("rank"),
                  propose_as=raw.get("propose_as", name),
                  env_words=list(raw.get("env_words", [name.upper()])),
                  schemes=list(raw.get("schemes", [url.partition(":")[0].lower()])),
                  stands_for=list(raw.get("stands_for", [])))


def split_package(spec: str) -> tuple[str, str | None]:
    """A `detect.packages` item -> (dependency name, the extra it must request or None):
    "celery[redis]" -> ("celery", "redis")."""
    name, bracket, extra = spec.partition("[")
    return name, extra.rstrip("]") if bracket else None
