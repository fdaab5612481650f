"""Settings that write a service's host instead of reading it, for `dkenv init` to say: a
project whose `configuration.py` holds `'HOST': 'localhost'` (or a literal
`postgresql://...@localhost/...`) reaches, in the container, the container itself, and no
variable dkenv sets can change that. The line is named, with the service it means and the
variables dkenv sets for it, so the user knows which file to change.

Pure logic: reads the project's settings-like Python files (`settings*.py`, `config*.py`,
`configuration*.py`, and the files of `settings/`, `config/` and `conf/` packages, among
the project's own Python files: detect/serviceuse.py), never imports or runs them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dkenv.catalog.entries import catalog
from dkenv.detect.serviceuse import python_files

_NAMES = re.compile(r"^(settings|config|configuration|local_settings|.*_settings|.*_config)\w*\.py$")
_PACKAGES = ("settings", "config", "conf")
_LOCAL = r"(?:localhost|127\.0\.0\.1)"
_HOST_KEY = re.compile(rf"""["'](?:HOST|host)["']\s*:\s*["']{_LOCAL}["']|^\s*[A-Z_]*HOST[A-Z_]*\s*=\s*["']{_LOCAL}["']""")
_URL = re.compile(rf"""["'](\w+)(?:\+\w+)?://[^"'\s]*?@?{_LOCAL}[:/"']""")
_READS = re.compile(r"environ|getenv|\benv\(|\benv\.|\bconfig\(|\bdecouple\b|\bEnv\(")
_BLOCK = re.compile(r"""^\s*(?:["']?(\w+)["']?\s*[:=]\s*(?:\{|dict\()|(\w+)\s*=\s*\{)""")
MAX_FILES = 40
MAX_BYTES = 200_000


@dataclass(frozen=True)
class Hardcoded:
    path: str  # relative to the folder searched
    line: int
    text: str  # the line, stripped
    service: str  # the dkenv service meant
    variables: tuple[str, ...]  # what dkenv sets for it: DATABASE_URL, PGHOST...

    def note(self) -> str:
        shown = self.text if len(self.text) <= 70 else self.text[:67] + "..."
        return (f"{self.path}:{self.line}: `{shown}` names this machine, which in the container is the container "
                f"itself; the {self.service} service is the host {self.service!r}: change that line to read a "
                f"variable (dkenv sets {', '.join(self.variables)})")


def find(folder: Path, services: dict[str, str]) -> list[Hardcoded]:
    """The settings lines of `folder` writing localhost where one of `services` (dkenv service
    name -> catalog template) is meant; one per file and service."""
    if not services:
        return []
    found, seen = [], set()
    for path in _settings_files(folder):
        try:
            lines = path.read_text(encoding="utf-8", errors="replace")[:MAX_BYTES].splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, 1):
            if (line.lstrip().startswith("#") or _READS.search(line)
                    or _continues_a_read(lines[max(0, number - 4):number - 1])):
                continue
            service = _meant(line, lines[max(0, number - 12):number - 1], services)
            rel = path.relative_to(folder).as_posix()
            if service and (rel, service) not in seen:
                seen.add((rel, service))
                entry = catalog()[services[service]]
                hosts = [k for k, t in entry.connection.items() if "{url}" in t or "{name}" in t]
                found.append(Hardcoded(rel, number, line.strip(), service, tuple(hosts[:3])))
    return found


_WEB = ("http", "https")


def _continues_a_read(before: list[str]) -> bool:
    """The line is an argument of a read the line before opened: `X = env.str(` then
    `"X", default="http://localhost:8080"` (Flagsmith's settings)."""
    previous = next((line for line in reversed(before) if line.strip()), "")
    return previous.rstrip().endswith(("(", ",")) and bool(_READS.search(previous))


def _meant(line: str, before: list[str], services: dict[str, str]) -> str | None:
    """The service a line writing localhost means: a URL's scheme, else the words of the
    block it is in (`DATABASES = {`, `'REDIS': {`) or of its own name; None for none."""
    url = _URL.search(line)
    if url:
        scheme = url.group(1).lower()
        if scheme in _WEB:  # any web server: the service's own port must say which (ClickHouse's 8123)
            port = re.search(rf"{_LOCAL}:(\d+)", line[url.start():])
            return next((name for name, t in services.items() if port and int(port.group(1)) in catalog()[t].ports
                         and scheme in (catalog()[t].detect.schemes + [catalog()[t].url.split(":", 1)[0]])), None)
        return next((name for name, t in services.items() if scheme in catalog()[t].detect.schemes
                     or scheme == catalog()[t].url.split(":", 1)[0]), None)
    if not _HOST_KEY.search(line):
        return None
    words = _words(line) - {"HOST"}
    for previous in [""] + list(reversed(before)):  # its own name, then the blocks it is in, nearest first
        block = _BLOCK.match(previous)
        if block:
            words = _words(block.group(1) or block.group(2))
        meant = next((name for name, t in services.items() if words & set(catalog()[t].detect.env_words)), None)
        if meant:
            return meant
    return None


def _words(text: str) -> set[str]:
    """The upper-case words of a name or line, each plural also as its singular: Django's
    `DATABASES = {` means a DATABASE."""
    words = set(re.split(r"[_\W]+", text.upper()))
    return words | {w[:-1] for w in words if len(w) > 3 and w.endswith("S")}


def _settings_files(folder: Path) -> list[Path]:
    """The settings-like files among the project's own Python files (detect/serviceuse.py:
    not its tests, migrations or venvs), the shallowest first, at most MAX_FILES."""
    return [path for path in python_files(folder)
            if _NAMES.match(path.name) or path.parent.name in _PACKAGES][:MAX_FILES]
