"""What a project's dependencies need beside Python: the Debian packages to build or
load them (the table in apt_needs.toml) and the services they talk to (each catalog
entry's detect.packages and detect.alongside: psycopg2 -> postgres, celery[redis] -> redis...).

Pure logic: dependency names and extras in (see dependencies.py), findings and notes out.
"""
from __future__ import annotations

import functools
from pathlib import Path

from dkenv import tomltext
from dkenv.catalog.entries import Detect, catalog, split_package

APT_NEEDS = Path(__file__).with_name("apt_needs.toml")


@functools.lru_cache(maxsize=1)
def apt_needs() -> dict:
    """The [packages] table of apt_needs.toml."""
    return tomltext.loads(APT_NEEDS.read_text(encoding="utf-8")).get("packages", {})


def source_build_packages(names: list[str]) -> list[str]:
    """The Debian packages pip needs to build `names` (normalized) from source:
    build-essential, then the headers of apt_needs.toml's [source] table and [packages]."""
    table = tomltext.loads(APT_NEEDS.read_text(encoding="utf-8"))
    wanted = ["build-essential"]
    for name in names:
        wanted += table.get("source", {}).get(name, [])
        wanted += table.get("packages", {}).get(name, {}).get("apt", [])
    return list(dict.fromkeys(wanted))


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


def proposed_services(deps: dict[str, set[str]], notes: list[str],
                      transitive: set[str] | frozenset = frozenset()) -> dict[str, list[str]]:
    """Catalog service -> the dependencies suggesting it (sorted), in the entries' detect.rank
    order; `transitive`: names only other packages need (`suggesting`)."""
    ranked = sorted((e for e in catalog().values() if e.detect.rank is not None), key=lambda e: e.detect.rank)
    proposed = {}
    for entry in ranked:
        names = suggesting(entry.detect, deps, transitive)
        if names:
            proposed[entry.name] = sorted(names)
    for service, names in proposed.items():
        notes.append(f"service: {service} (for {', '.join(names)})")
    return proposed


def suggesting(detect: Detect, deps: dict[str, set[str]], transitive: set[str] | frozenset = frozenset()) -> set[str]:
    """The dependencies (`name`, `name[extra]`) that suggest an entry's service. An `alongside`
    name counts only when the project asks for it itself: amqp is in every compiled lock of a
    Celery project (kombu needs it), whatever its broker."""
    found = set()
    for spec in detect.packages:
        name, extra = split_package(spec)
        if name in deps and (extra is None or extra in deps[name]):
            found.add(spec)
    found.update(name for name, beside in detect.alongside.items()
                 if name in deps and name not in transitive and any(other in deps for other in beside))
    return found
