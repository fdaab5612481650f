"""What a project's dependencies need beside Python: the Debian packages to build or
load them (the table in apt_needs.toml) and the services they talk to (psycopg2
-> postgres, celery[redis] -> redis...).

Pure logic: dependency names and extras in (see dependencies.py), findings and notes out.
"""
from __future__ import annotations

import functools
from pathlib import Path

from dkenv import tomltext

APT_NEEDS = Path(__file__).with_name("apt_needs.toml")

SERVICE_FOR = {
    "psycopg": "postgres", "psycopg2": "postgres", "psycopg2-binary": "postgres",
    "psycopg-binary": "postgres", "asyncpg": "postgres", "pg8000": "postgres",
    "redis": "redis", "django-redis": "redis", "channels-redis": "redis", "rq": "redis",
    "mysqlclient": "mysql", "pymysql": "mysql", "mysql-connector-python": "mysql", "aiomysql": "mysql",
    "pymongo": "mongodb", "motor": "mongodb", "mongoengine": "mongodb",
    "opensearch-py": "opensearch",
    "elasticsearch": "elasticsearch", "elasticsearch-dsl": "elasticsearch",
    "clickhouse-driver": "clickhouse", "clickhouse-connect": "clickhouse",
    "pika": "rabbitmq", "aio-pika": "rabbitmq", "librabbitmq": "rabbitmq",
}
# (package, extra) -> service: celery[redis], kombu[librabbitmq]...
SERVICE_FOR_EXTRA = {
    ("celery", "redis"): "redis", ("kombu", "redis"): "redis",
    ("celery", "amqp"): "rabbitmq", ("celery", "librabbitmq"): "rabbitmq",
    ("kombu", "amqp"): "rabbitmq", ("kombu", "librabbitmq"): "rabbitmq",
}
SERVICE_ORDER = ["postgres", "mysql", "mongodb", "redis", "rabbitmq", "elasticsearch", "opensearch",
                 "clickhouse"]


@functools.lru_cache(maxsize=1)
def apt_needs() -> dict:
    """The [packages] table of apt_needs.toml."""
    return tomltext.loads(APT_NEEDS.read_text(encoding="utf-8")).get("packages", {})


def apt_packages(deps: dict[str, set[str]], notes: list[str]) -> dict[str, list[str]]:
    """Debian package -> the dependencies needing it, both sorted; a hint in `notes` for the
    packages needed only when pip builds a dependency from source."""
    needs = apt_needs()
    apt_for: dict[str, list[str]] = {}
    for name in sorted(deps):
        entry = needs.get(name)
        if not entry:
            continue
        extras = deps[name]
        wanted = []
        if entry.get("when", "always") == "source":
            notes.append(f"{name}: wheels exist for common platforms; if pip builds it from source, "
                         f"add {' '.join(entry['apt'])} to image.apt ({entry.get('why', '')})")
        elif not extras & set(entry.get("unless_extras", [])):
            wanted.append(entry)
        wanted += [e for extra, e in entry.get("extras", {}).items() if extra in extras]
        for item in wanted:
            for package in item["apt"]:
                apt_for.setdefault(package, []).append(name)
            notes.append(f"apt: {' '.join(item['apt'])} for {name} ({item.get('why', '')})")
    return {package: sorted(set(names)) for package, names in sorted(apt_for.items())}


def proposed_services(deps: dict[str, set[str]], notes: list[str]) -> dict[str, list[str]]:
    """Catalog service -> the dependencies suggesting it (sorted), in SERVICE_ORDER."""
    service_for: dict[str, set[str]] = {}
    for name, extras in deps.items():
        if name in SERVICE_FOR:
            service_for.setdefault(SERVICE_FOR[name], set()).add(name)
        for extra in extras:
            if (name, extra) in SERVICE_FOR_EXTRA:
                service_for.setdefault(SERVICE_FOR_EXTRA[(name, extra)], set()).add(f"{name}[{extra}]")
    if "amqp" in deps and ("celery" in deps or "kombu" in deps):
        service_for.setdefault("rabbitmq", set()).add("amqp")
    proposed = {s: sorted(service_for[s]) for s in SERVICE_ORDER if s in service_for}
    for service, names in proposed.items():
        notes.append(f"service: {service} (for {', '.join(names)})")
    return proposed
