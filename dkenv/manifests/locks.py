"""What a lock file pins, and the files it names for each pin: pure reading of poetry.lock
(lock versions 1.x, with `[metadata.files]`, and 2.x, with `files` per package), uv.lock
(`wheels` and `sdist` URLs), pdm.lock (`files`) and Pipfile.lock (pins only: it names no
files, only their hashes).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from dkenv import tomltext
from dkenv.manifests.dependencies import normalize


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    files: tuple[str, ...] | None  # file names (wheels and sdists); None: the lock names none
    markers: str = ""  # when it applies (PEP 508), "" always


def _files(entries) -> tuple[str, ...]:
    names = []
    for entry in entries or ():
        if isinstance(entry, dict):
            name = entry.get("file") or entry.get("url", "").rsplit("/", 1)[-1].split("#", 1)[0]
            if name:
                names.append(name)
    return tuple(names)


def _poetry(doc: dict) -> list[Pin]:
    shared = doc.get("metadata", {}).get("files", {}) or {}
    shared = {normalize(str(key)): entries for key, entries in shared.items()} if isinstance(shared, dict) else {}
    pins = []
    for pkg in doc.get("package", []):
        name, version = str(pkg.get("name", "")), str(pkg.get("version", ""))
        files = pkg.get("files")
        if files is None:  # lock-version 1.x: [metadata.files], keyed by the name in any spelling
            files = shared.get(normalize(name))
        pins.append(Pin(name, version, _files(files) if files is not None else None, str(pkg.get("markers", ""))))
    return pins


def _uv(doc: dict) -> list[Pin]:
    pins = []
    for pkg in doc.get("package", []):
        source = pkg.get("source", {})
        if not isinstance(source, dict) or not ({"registry", "url"} & set(source)):
            continue  # the project itself, a workspace member, a path or git dependency: built here
        entries = list(pkg.get("wheels", []))
        if isinstance(pkg.get("sdist"), dict):
            entries.append(pkg["sdist"])
        pins.append(Pin(str(pkg.get("name", "")), str(pkg.get("version", "")), _files(entries)))
    return pins


def _pdm(doc: dict) -> list[Pin]:
    return [Pin(str(p.get("name", "")), str(p.get("version", "")),
                _files(p["files"]) if "files" in p else None, str(p.get("marker", "")))
            for p in doc.get("package", [])]


def _pipfile(doc: dict) -> list[Pin]:
    pins = []
    for section in ("default", "develop"):
        for name, pin in (doc.get(section) or {}).items():
            version = str(pin.get("version", "")).lstrip("=") if isinstance(pin, dict) else ""
            if version:
                pins.append(Pin(name, version, None, str(pin.get("markers", ""))))
    return pins


READERS = {"poetry.lock": _poetry, "uv.lock": _uv, "pdm.lock": _pdm, "Pipfile.lock": _pipfile}


def pins(path: Path) -> list[Pin]:
    """The pins of a lock file known by its name; [] for an unknown or unreadable one."""
    reader = READERS.get(path.name)
    if reader is None:
        return []
    try:
        text = path.read_text(encoding="utf-8")
        doc = json.loads(text) if path.name.endswith(".lock") and path.name.startswith("Pipfile") else tomltext.loads(text)
    except (OSError, ValueError, UnicodeDecodeError):
        return []
    return reader(doc) if isinstance(doc, dict) else []
