"""Whether the app needs a service its dependencies suggest, or only may use it: `init`
writes a service active only when both hold, else commented with why (docs/projects.md).

1. The main dependencies need it: a service suggested only by development, test or optional
   dependencies (a group, an extra, requirements-dev.txt: `Installer.main_names` leaves
   them out) is for the tests, not the app.
2. The development settings do not make it optional: when every read of the service's
   connection variables (its catalog entry's `connection`: ELASTICSEARCH_URL...) is a bare
   `NAME = os.environ.get('VAR')` / `os.getenv('VAR')` / `env.str('VAR', default=None)` (no
   default, no `or` fallback), and the code tests the settings naming where it is
   (`if app.config['NAME']`, `... if NAME else None`, `bool(NAME or OTHER)`), the app
   runs without it: the feature is off when unset. A read with a default (`or 'redis://'`,
   a second argument, `os.environ['VAR']`, any other call naming the variable) keeps it active.

Pure logic: reads the project's Python files (not its tests, migrations or venvs), never
runs anything.
"""
from __future__ import annotations

import re
from pathlib import Path

from dkenv import fileio
from dkenv.catalog.entries import CatalogEntry, split_package
from dkenv.manifests.dependencies import normalize

_SKIP = {"node_modules", "venv", "env", "site-packages", "__pycache__", "migrations", "alembic", "tests", "test",
         "data", "build", "dist", "docs", "static", "templates"}
_MAX_FILES = 600
_MAX_BYTES = 400_000
_MAX_DEPTH = 5


def python_files(root: Path) -> list[Path]:
    """The project's own Python files, nearest first, a bounded number."""
    found: list[Path] = []
    level = [Path(root)]
    for _ in range(_MAX_DEPTH):
        below = []
        for folder in level:
            try:
                entries = sorted(folder.iterdir())
            except OSError:
                continue
            for path in entries:
                if path.name.startswith(".") or path.is_symlink():
                    continue
                if path.is_dir():
                    if path.name not in _SKIP and not (path / "pyvenv.cfg").exists():
                        below.append(path)
                elif path.suffix == ".py" and not path.name.startswith("test") and not path.name.endswith("_test.py"):
                    found.append(path)
                if len(found) >= _MAX_FILES:
                    return found
        level = below
    return found


def dev_only(suggesting: list[str], main: set[str] | None) -> str | None:
    """Why the dependencies suggesting a service are development ones only, else None
    (`main`: the main dependencies' normalized names; None: unknown, all count)."""
    if main is None:
        return None
    names = sorted({normalize(split_package(spec)[0]) for spec in suggesting})
    if any(name in main for name in names):
        return None
    return (f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} not among the app's main dependencies "
            f"(only in an extra, a dependency group, a development requirements file or production ones the "
            f"app does not run on here: tests, tools, options, deployment)")


def _call_reads(variable: str) -> re.Pattern:
    """A call naming the variable first (os.getenv('V'...), env('V'), config('V')), or environ['V']."""
    v = re.escape(variable)
    return re.compile(rf"""(?:[\w.]+\(\s*|environ\s*\[\s*)['"]{v}['"]""")


def _bare_read(variable: str) -> re.Pattern:
    """`NAME = os.environ.get('V')` (or os.getenv; django-environ's `env('V', default=None)`
    and `env.str(...)`, decouple's `config('V', default=None)`: without the default those
    raise), the whole line: unset means None."""
    v = re.escape(variable)
    none = r"\s*,\s*(?:default\s*=\s*)?None"
    call = (rf"""(?:(?:os\.)?(?:environ\.get|getenv)\(\s*['"]{v}['"](?:{none})?"""
            rf"""|(?:env(?:\.\w+)?|config)\(\s*['"]{v}['"]{none})""")
    return re.compile(rf"""^\s*(?P<name>\w+)\s*(?::[^=\n]+)?=\s*{call}\s*\)\s*(?:#.*)?$""")


def _tested(name: str) -> re.Pattern:
    """`if ...NAME...` on one line, or `bool(...NAME...)`: the code asks whether the setting is set."""
    n = re.escape(name)
    return re.compile(rf"""\bif\s+(?:not\s+)?[^:\n]*?\b{n}\b(?:['"]\])?|\bbool\([^)\n]*\b{n}\b[^)\n]*\)""")


def optional(root: Path, entry: CatalogEntry, files: list[Path] | None = None) -> str | None:
    """Why the settings make the service optional (rule 2 of the module docstring), else None.
    Each bare read of where the service is (a variable whose value names its host: its URL,
    its host name) must be tested; its port, user or password may be read bare untested
    (Flagsmith: `CLICKHOUSE_ENABLED = bool(CLICKHOUSE_URL or CLICKHOUSE_HOST)`)."""
    files = python_files(root) if files is None else files
    texts = {path: fileio.text_or_empty(path)[:_MAX_BYTES] for path in files}
    bare: list[tuple[Path, str, str]] = []  # (file, setting name, the line) of the reads naming where it is
    for variable, template in entry.connection.items():
        calls, plain = _call_reads(variable), _bare_read(variable)
        for path, text in texts.items():
            for line in text.splitlines():
                if not calls.search(line):
                    continue
                match = plain.match(line)
                if match is None:
                    return None  # read with a default, or required: the app wants it
                if "{url}" in template or "{name}" in template:
                    bare.append((path, match["name"], line.strip()))
    if not bare:
        return None
    tests = []
    for _, name, _ in bare:
        test = next(((path, m.group(0)) for path, text in texts.items() if (m := _tested(name).search(text))), None)
        if test is None:
            return None  # unset is None, and nothing asks: used as if always set
        tests.append(test)
    path, _, line = bare[0]
    where, test = tests[0]
    return (f"optional in the settings: {_rel(path, root)} reads `{line}` with no default, and "
            f"{_rel(where, root)} runs without it (`{test.strip()}`)")


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
