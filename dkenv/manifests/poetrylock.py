"""A poetry.lock as `poetry export` must read it to install every extra's packages: pure.

Locks older than lock-version 2.1 (Poetry 1.x's 1.0 and 1.1 with `[metadata.files]`,
1.5+'s 2.0 with `files` per package) say which package an extra brings twice: in
`[package.extras]` (`socks = ["PySocks (>=1.5.6,!=1.5.7)"]`) and as an optional entry of
`[package.dependencies]` (`PySocks = {version = ">=1.5.6,<1.5.7 || >1.5.7", optional = true}`).
The export plugin walks these locks from the project's dependencies and follows an
optional dependency only when it is *equal*, constraint included, to an entry of an extra
the dependent asked for (`requests[socks]`); Poetry 1.1 wrote the two constraints in
different words (a union beside PEP 440's `!=`), so the extra's package was left out of the
export and pip's hash-checking mode refused the install (`celery[redis]` without `redis`).

`for_export` writes each such optional dependency's constraint as its extra's entry
writes it (the same versions in the extra's words), in the copy the image builds from;
the project's lock is never changed. Locks of lock-version 2.1 and later carry each
package's groups and markers, which the export reads instead: they are left as they are.
"""
from __future__ import annotations

import re

from dkenv import tomltext
from dkenv.manifests.dependencies import normalize

# a PEP 508 line or Poetry's "name[extras] (constraint) ; markers": the name, then the version text
_ENTRY = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:\(([^)]*)\)|([^;@(]*))\s*(?:;.*)?$")
_DIRECT = ("url", "path", "git", "file")  # a direct origin: its constraint is not compared


def legacy(doc) -> bool:
    """A lock the export walks through its dependencies (lock-version before 2.1)."""
    version = str((doc.get("metadata") or {}).get("lock-version", "1.0"))
    try:
        return tuple(int(p) for p in version.split(".")[:2]) < (2, 1)
    except ValueError:
        return False


def entry_constraint(entry: str) -> tuple[str, str] | None:
    """(normalized name, constraint) of an extra's entry; "*" for any version; None unreadable."""
    hit = _ENTRY.match(entry)
    if hit is None:
        return None
    spec = (hit.group(2) if hit.group(2) is not None else hit.group(3) or "").strip()
    return normalize(hit.group(1)), spec or "*"


def _optional_items(value) -> list:
    """The optional, registry entries of one name in [package.dependencies] (a table or a list of them)."""
    items = value if isinstance(value, list) else [value]
    return [i for i in items if hasattr(i, "get") and i.get("optional") and not any(k in i for k in _DIRECT)]


def _align(package) -> int:
    """Rewrite one package's optional dependencies in its extras' words; how many changed."""
    extras, deps = package.get("extras"), package.get("dependencies")
    if not hasattr(extras, "items") or not hasattr(deps, "items"):
        return 0
    wanted: dict[str, list[str]] = {}
    for entries in extras.values():
        for entry in entries if isinstance(entries, list) else ():
            parsed = entry_constraint(str(entry))
            if parsed and parsed[1] not in wanted.setdefault(parsed[0], []):
                wanted[parsed[0]].append(parsed[1])
    changed = 0
    for name, value in deps.items():
        items, constraints = _optional_items(value), wanted.get(normalize(name), [])
        if not items or not constraints or (len(constraints) > 1 and len(constraints) != len(items)):
            continue  # no extra names it, or the entries cannot be paired with the items
        for item, constraint in zip(items, constraints * len(items) if len(constraints) == 1 else constraints):
            if str(item.get("version", "*")) != constraint:
                item["version"] = constraint
                changed += 1
    return changed


def for_export(text: str) -> str:
    """The lock's text with every optional dependency's constraint as its extra writes it
    (legacy locks only); `text` itself when nothing changes or it is not readable."""
    try:
        doc = tomltext.parse(text)
    except (ValueError, tomltext.TOMLKitError):
        return text
    if not legacy(doc):
        return text
    packages = doc.get("package")
    changed = sum(_align(p) for p in packages if hasattr(p, "get")) if isinstance(packages, list) else 0
    return doc.as_string() if changed else text
