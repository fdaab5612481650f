"""The wheels a project's exact pins have, for `init`'s choice of Python.

A pin (`name==version`) whose release has wheels, none for CPython X.Y, builds from source
on X.Y: it needs a compiler and headers, and an old release often does not build at all
(psycopg2-binary 2.9.9 and greenlet 3.0.1 have wheels up to 3.12). A lock names its files
(poetry.lock, uv.lock, pdm.lock: read, nothing asked). A fully pinned requirements file is
a lock that names none; PyPI's simple API (PEP 691's JSON, what pip and uv read) names
them: one request per pin over a few kept-alive connections (0.2 s for microblog's 54 pins
here), each with a short timeout, the wheels of the pinned version kept. Any failure
(offline, a proxy refusing, a pin PyPI does not have: a private index) makes the answer
unknown (None), never a guess; detect/lockcheck.py judges the files as it judges a lock's.
Only `init` asks, and only when it chooses the Python itself; builds never do.
"""
from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from dkenv.manifests.locks import Pin

HOST, PATH = "pypi.org", "/simple"
ACCEPT = "application/vnd.pypi.simple.v1+json"
WORKERS = 4
TIMEOUT = 2.0  # seconds, each connection attempt and read (a stalled address: the next one is tried)
MOST = 200  # pins asked at most: a longer file is not checked
_PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*==\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)\s*(?:;(.*))?$")


@dataclass(frozen=True)
class Fit:
    """A project's pinned requirements with the wheels each has: the Pythons they fit."""

    name: str  # the lock or the requirements files: "poetry.lock", "requirements.txt"
    pins: tuple[Pin, ...]

    def fitting(self) -> set[str]:
        """The X.Y (dkenv's known ones) on which no pin builds from source."""
        from dkenv.detect import lockcheck
        from dkenv.manifests.pythonversion import KNOWN

        return {v for v in KNOWN if not lockcheck.check_pins(self.name, list(self.pins), v).from_source}

    def why(self) -> str:
        return f"one {self.name}'s pins all have wheels for"

    def report(self, python: str):
        """lockcheck's report of the pins for `python` (a lockcheck.LockReport)."""
        from dkenv.detect import lockcheck

        return lockcheck.check_pins(self.name, list(self.pins), python)

    def note(self, python: str | None) -> str | None:
        """The pins with no wheel for `python`, said as a lock's are; None when they all have one."""
        if python is None:
            return None
        report = self.report(python)
        return "\n    ".join([report.headline(), *report.details()]) if report.from_source else None


def fit(folder: Path, requirements: list[str], lock: Path | None = None, fetch=None) -> Fit | None:
    """The pins of the project's lock, which names its files (detect/lockcheck.lock_of), else
    of its requirements files with PyPI's wheels for them; None when it has none, or PyPI
    cannot say."""
    if lock is not None:
        from dkenv.manifests import locks

        return Fit(lock.name, tuple(locks.pins(lock)))
    found = pins(folder, requirements) if requirements else []
    known = with_files(found, fetch)
    return Fit(", ".join(requirements), tuple(known)) if known else None


def pins(root: Path, files: list[str]) -> list[Pin]:
    """The exact pins of the requirements `files` (includes followed), without their files: read
    from the project, nothing asked."""
    from dkenv.manifests.requirements import RequirementsReader

    found = []
    for _, line in RequirementsReader(root).read(*files).lines:
        m = _PINNED.match(line.strip())
        if m and "*" not in m.group(2):
            found.append(Pin(m.group(1), m.group(2), None, (m.group(3) or "").strip()))
    return found


def with_files(found: list[Pin], fetch=None) -> list[Pin] | None:
    """`found` with the wheel names the index has for each; None when any cannot be asked.
    `fetch(name, version)`: a stand-in index (tests); by default `_fetch_all`."""
    if not found or len(found) > MOST:
        return None
    try:
        names = [fetch(p.name, p.version) for p in found] if fetch else _fetch_all(found)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return [Pin(pin.name, pin.version, tuple(files), pin.markers) for pin, files in zip(found, names)]


def _fetch_all(found: list[Pin]) -> list[list[str]]:
    """Each pin's wheels, from WORKERS kept-alive connections to the index, its name looked up
    once: a lookup or a TLS handshake per request stalls (seen here: 5 s for some lookups made
    at once). Through a proxy the environment names, one request at a time with urllib."""
    import socket
    import ssl
    import urllib.request

    if urllib.request.getproxies().get("https") and not urllib.request.proxy_bypass(HOST):
        return [_wheels(_get_via_urllib(pin.name), pin.version) for pin in found]
    address = socket.getaddrinfo(HOST, 443, type=socket.SOCK_STREAM)[0][4][:2]
    context = ssl.create_default_context()

    def work(chunk: list[Pin]) -> list[tuple[Pin, list[str]]]:
        connection = _connection(address, context)
        try:
            return [(pin, _wheels(_get(connection, pin.name), pin.version)) for pin in chunk]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        answers = dict(pair for part in pool.map(work, [found[i::WORKERS] for i in range(WORKERS)]) for pair in part)
    return [answers[pin] for pin in found]


def _connection(address, context):
    import http.client
    import socket

    class Connection(http.client.HTTPSConnection):
        def connect(self):  # to the address looked up once, the TLS name the index's
            self.sock = context.wrap_socket(socket.create_connection(address, self.timeout), server_hostname=HOST)

    return Connection(HOST, 443, timeout=TIMEOUT, context=context)


def _get(connection, name: str) -> dict:
    from dkenv.manifests.dependencies import normalize

    connection.request("GET", f"{PATH}/{normalize(name)}/", headers={"Accept": ACCEPT})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise OSError(f"{name}: HTTP {response.status}")
    return json.loads(body)


def _get_via_urllib(name: str) -> dict:
    import ssl
    import urllib.request

    from dkenv.manifests.dependencies import normalize

    request = urllib.request.Request(f"https://{HOST}{PATH}/{normalize(name)}/", headers={"Accept": ACCEPT})
    with urllib.request.urlopen(request, timeout=TIMEOUT, context=ssl.create_default_context()) as response:
        return json.load(response)


def _wheels(doc: dict, version: str) -> list[str]:
    """The wheel names of `version` in a simple API page (ValueError for a version that is none)."""
    from packaging.version import InvalidVersion, Version

    try:
        wanted = {version, str(Version(version))}  # as pinned, and normalized as wheel names write it
    except InvalidVersion:
        raise ValueError(version) from None
    names = (str(entry["filename"]) for entry in doc["files"])
    return [n for n in names if n.endswith(".whl") and n.count("-") >= 4 and n.split("-")[1] in wanted]
