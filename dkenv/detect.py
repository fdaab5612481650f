"""What a project folder says about itself: its dependency manager, Python version,
web framework, the Debian packages its dependencies need and the services they talk to.

Pure logic: reads files under the root, never runs anything. `inspect(root)` is the
entry point; `dkenv init` prints its notes and `dkenv build` asks it what the config
leaves to "auto".

Where dependency names come from: what the chosen manager installs. pip: the chosen
requirements files and every file they include with -r. poetry: [tool.poetry] dependencies
and groups, plus PEP 621 [project] ones. pipenv: Pipfile [packages] and [dev-packages].
uv and pyproject: [project] dependencies, optional-dependencies and [dependency-groups].
"""
from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dkenv import tomltext

APT_NEEDS = Path(__file__).parent / "data" / "apt_needs.toml"

# The CPython minors with official python:X.Y-slim-bookworm images (see python_from_spec).
KNOWN_PYTHONS = [(3, minor) for minor in range(8, 15)]

MAIN_REQUIREMENTS = ["requirements.txt", "requirements/base.txt", "requirements/common.txt",
                     "requirements/main.txt", "requirements/requirements.txt",
                     "requirements/prod.txt", "requirements/production.txt"]
DEV_REQUIREMENTS = ["requirements-dev.txt", "requirements_dev.txt", "dev-requirements.txt",
                    "requirements/dev.txt", "requirements/development.txt", "requirements/local.txt"]
CONSTRAINT_FILES = ["constraints.txt", "requirements/constraints.txt"]

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

FRAMEWORK_PORTS = {"django": 8000, "flask": 5000, "fastapi": 8000}
FRAMEWORK_NAMES = {"django": "Django", "flask": "Flask", "fastapi": "FastAPI"}
_SKIP_DIRS = {"node_modules", "__pycache__", "site-packages", "venv", "env", "data", "build", "dist",
              "tests", "test", "docs", "migrations"}


@dataclass
class Detection:
    """Everything `inspect` found; empty values mean "nothing found"."""

    manager: str = "none"  # pip, poetry, pipenv, uv, pyproject or none
    requirements: list[str] = field(default_factory=list)  # pip: files to install with -r
    constraints: list[str] = field(default_factory=list)  # pip: files to pass with -c
    python: str | None = None  # X.Y
    python_source: str | None = None  # the file (and key) that said so
    framework: str | None = None  # django, flask or fastapi
    command: str | None = None
    ports: list[int] = field(default_factory=list)
    apt: list[str] = field(default_factory=list)  # sorted, unique
    apt_for: dict[str, list[str]] = field(default_factory=dict)  # apt package -> dependencies needing it
    services: list[str] = field(default_factory=list)  # catalog names
    service_for: dict[str, list[str]] = field(default_factory=dict)  # service -> dependencies suggesting it
    dependencies: list[str] = field(default_factory=list)  # normalized names, sorted
    extras: dict[str, list[str]] = field(default_factory=dict)  # dependency -> extras requested
    notes: list[str] = field(default_factory=list)


def inspect(root: Path) -> Detection:
    """Look at `root` and report what it holds (see the module docstring)."""
    root = Path(root)
    found = Detection()
    pyproject = _load_toml(root / "pyproject.toml", found.notes)
    pipfile = _load_toml(root / "Pipfile", found.notes)
    found.manager = _manager(root, pyproject, pipfile)
    deps = _dependencies(root, found, pyproject or {}, pipfile or {})
    found.dependencies = sorted(deps)
    found.extras = {name: sorted(extras) for name, extras in sorted(deps.items()) if extras}

    found.python, found.python_source = detect_python(root, pyproject, pipfile, found.notes)
    if found.python:
        found.notes.append(f"python {found.python} (from {found.python_source})")
    _framework(root, deps, found)
    _apt(deps, found)
    _services(deps, found)
    return found


# --- the dependency manager ---

def _manager(root: Path, pyproject: dict | None, pipfile: dict | None) -> str:
    """uv.lock > poetry > Pipfile > requirements files > PEP 621 > none."""
    pyproject = pyproject or {}
    if (root / "uv.lock").is_file():
        return "uv"
    if (root / "poetry.lock").is_file() or "poetry" in pyproject.get("tool", {}):
        return "poetry"
    if pipfile is not None or (root / "Pipfile.lock").is_file():
        return "pipenv"
    if requirement_files(root):
        return "pip"
    project = pyproject.get("project", {})
    if "dependencies" in project or "dependency-groups" in pyproject:
        return "pyproject"
    return "none"


def _dependencies(root: Path, found: Detection, pyproject: dict, pipfile: dict) -> dict[str, set[str]]:
    """name -> extras, from what `found.manager` installs; sets found.requirements/constraints for pip."""
    deps: dict[str, set[str]] = {}
    if found.manager == "pip":
        found.requirements = choose_requirements(root)
        reader = RequirementsReader(root)
        for rel in found.requirements:
            reader.read(rel)
        _merge(deps, reader.requirements)
        found.constraints = [c for c in CONSTRAINT_FILES
                             if (root / c).is_file() and c not in reader.constraints]
        found.notes += reader.notes
        found.notes.append("dependencies: pip, " + ", ".join(found.requirements)
                           + "".join(f" (constraints {c})" for c in found.constraints))
    elif found.manager == "pipenv":
        _merge(deps, pipfile_requirements(pipfile))
        found.notes.append("dependencies: pipenv (Pipfile)")
    elif found.manager in ("poetry", "uv", "pyproject"):
        _merge(deps, pyproject_requirements(pyproject))
        lock = {"poetry": " and poetry.lock", "uv": " and uv.lock"}.get(found.manager, "")
        if found.manager == "poetry" and not (root / "poetry.lock").is_file():
            lock = ""
        found.notes.append(f"dependencies: {found.manager} (pyproject.toml{lock})")
    else:
        extra = "; setup.py is not installed automatically" if (root / "setup.py").is_file() else ""
        found.notes.append(f"dependencies: no requirements*.txt, pyproject.toml, Pipfile or lock file{extra}")
    return deps


def requirement_files(root: Path) -> list[str]:
    """Every requirements file: *requirements*.txt at the top and requirements/*.txt."""
    top = sorted(p.name for p in root.glob("*requirements*.txt") if p.is_file())
    folder = sorted(f"requirements/{p.name}" for p in (root / "requirements").glob("*.txt") if p.is_file())
    return [f for f in top + folder if f not in CONSTRAINT_FILES]


def choose_requirements(root: Path) -> list[str]:
    """The files a development environment installs.

    The main file (requirements.txt first, then requirements/base.txt...) and the
    development file (requirements-dev.txt, requirements/dev.txt...); only the
    development file when it already includes the main one with -r.
    """
    main = next((f for f in MAIN_REQUIREMENTS if (root / f).is_file()), None)
    dev = next((f for f in DEV_REQUIREMENTS if (root / f).is_file()), None)
    if main and dev:
        reader = RequirementsReader(root)
        reader.read(dev)
        return [dev] if main in reader.files else [main, dev]
    if main or dev:
        return [main or dev]
    files = requirement_files(root)
    return files[:1]


# --- reading dependency names ---

def normalize(name: str) -> str:
    """PyPI name normalization (PEP 503): lowercase, runs of -_. become one '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


_NAME_RE = re.compile(r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?")
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2")


def parse_requirement(text: str) -> tuple[str, set[str]] | None:
    """A PEP 508 line (`celery[redis]>=5; python_version>"3.8"`) -> (name, extras).

    URLs and paths give the `#egg=` name when they have one, else None.
    """
    text = text.strip()
    first = text.split()[0] if text else ""
    if not first:
        return None
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://|^file:|^[./~]", first) or "/" in first.split("@")[0]:
        egg = re.search(r"[#&]egg=([A-Za-z0-9._-]+)(?:\[([^\]]*)\])?", text)
        if egg:
            return normalize(egg.group(1)), _extras(egg.group(2))
        if first.endswith(".whl"):
            return normalize(first.rsplit("/", 1)[-1].split("-")[0]), set()
        return None
    if first.endswith(_ARCHIVES):
        return None
    m = _NAME_RE.match(text)
    if not m:
        return None
    return normalize(m.group(1)), _extras(m.group(2))


def _extras(text: str | None) -> set[str]:
    return {normalize(e.strip()) for e in (text or "").split(",") if e.strip()}


def _merge(into: dict[str, set[str]], found: dict[str, set[str]]) -> None:
    for name, extras in found.items():
        into.setdefault(name, set()).update(extras)


class RequirementsReader:
    """Reads pip requirements files, following -r includes; -c files are only recorded."""

    def __init__(self, root: Path):
        self.root = root
        self.files: list[str] = []  # read, relative to root
        self.constraints: list[str] = []  # named by -c
        self.requirements: dict[str, set[str]] = {}
        self.notes: list[str] = []

    def read(self, rel: str) -> None:
        rel = os.path.normpath(rel)
        if rel in self.files:
            return
        try:
            text = (self.root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            self.notes.append(f"{rel}: cannot be read")
            return
        self.files.append(rel)
        for line in _logical_lines(text):
            self._line(rel, line)

    def _line(self, rel: str, line: str) -> None:
        option = re.match(r"^(-r|--requirement|-c|--constraint|-e|--editable)(?:\s*=\s*|\s+|(?=[^-\s]))(\S+)",
                          line)
        if option:
            flag, target = option.groups()
            if flag in ("-e", "--editable"):
                self._add(parse_requirement(target))
                return
            path = os.path.normpath(os.path.join(os.path.dirname(rel), target))
            if path.startswith(".."):
                self.notes.append(f"{rel}: {target} is outside the project, not read")
            elif flag in ("-c", "--constraint"):
                self.constraints.append(path)
            else:
                self.read(path)
            return
        if line.startswith("-"):
            return  # --index-url, --find-links, --hash...
        self._add(parse_requirement(re.split(r"\s+--?[A-Za-z]", line)[0]))

    def _add(self, requirement: tuple[str, set[str]] | None) -> None:
        if requirement:
            name, extras = requirement
            self.requirements.setdefault(name, set()).update(extras)


def _logical_lines(text: str) -> list[str]:
    """Lines with continuations joined and comments (`#` at the start or after a space) dropped."""
    joined = re.sub(r"\\\r?\n", " ", text)
    lines = (re.sub(r"(^|\s)#.*$", "", line).strip() for line in joined.splitlines())
    return [line for line in lines if line]


def pyproject_requirements(data: dict) -> dict[str, set[str]]:
    """[project] dependencies and optional-dependencies, [dependency-groups], [tool.poetry]."""
    found: dict[str, set[str]] = {}
    project = data.get("project", {})
    specs = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        specs += group
    for group in data.get("dependency-groups", {}).values():
        specs += group  # {include-group = ...} tables are skipped below
    for spec in specs:
        requirement = parse_requirement(spec) if isinstance(spec, str) else None
        if requirement:
            found.setdefault(requirement[0], set()).update(requirement[1])
    poetry = data.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    tables += [g.get("dependencies", {}) for g in poetry.get("group", {}).values() if isinstance(g, dict)]
    for table in tables:
        _merge(found, _named_table(table))
    found.pop("python", None)
    return found


def pipfile_requirements(data: dict) -> dict[str, set[str]]:
    """Pipfile [packages] and [dev-packages]."""
    found: dict[str, set[str]] = {}
    for table in ("packages", "dev-packages"):
        _merge(found, _named_table(data.get(table, {})))
    return found


def _named_table(table: dict) -> dict[str, set[str]]:
    """`name = "spec"` or `name = {version, extras = [...]}` (or a list of those) entries."""
    found: dict[str, set[str]] = {}
    if not isinstance(table, dict):
        return found
    for name, spec in table.items():
        extras: set[str] = set()
        for item in spec if isinstance(spec, list) else [spec]:
            if isinstance(item, dict):
                extras |= {normalize(e) for e in item.get("extras", []) if isinstance(e, str)}
        found.setdefault(normalize(name), set()).update(extras)
    return found


def _load_toml(path: Path, notes: list[str]) -> dict | None:
    if not path.is_file():
        return None
    try:
        return tomltext.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:  # tomltext.loads raises ValueErrors for invalid TOML
        notes.append(f"{path.name}: not readable as TOML ({e}); ignored")
        return {}


# --- the Python version ---

def detect_python(root: Path, pyproject: dict | None, pipfile: dict | None,
                  notes: list[str]) -> tuple[str | None, str | None]:
    """(X.Y, source): .python-version, requires-python, poetry's python, runtime.txt, Pipfile."""
    candidates: list[tuple[str, object, Callable[[str], str | None]]] = []
    version_file = root / ".python-version"
    if version_file.is_file():
        candidates.append((".python-version", _first_line(version_file), python_from_version))
    pyproject = pyproject or {}
    requires = pyproject.get("project", {}).get("requires-python")
    candidates.append(("pyproject.toml requires-python", requires, python_from_spec))
    poetry_python = pyproject.get("tool", {}).get("poetry", {}).get("dependencies", {}).get("python")
    candidates.append(("pyproject.toml [tool.poetry.dependencies] python", poetry_python, python_from_spec))
    runtime = root / "runtime.txt"
    if runtime.is_file():
        candidates.append(("runtime.txt", _first_line(runtime), python_from_version))
    requires = (pipfile or {}).get("requires", {})
    for key in ("python_version", "python_full_version"):
        candidates.append((f"Pipfile [requires] {key}", requires.get(key), python_from_version))
    for source, value, parse in candidates:
        if not isinstance(value, str) or not value.strip():
            continue
        version = parse(value)
        if version:
            return version, source
        notes.append(f"{source}: {value.strip()!r} names no CPython 3 version dkenv understands; ignored")
    return None, None


def _first_line(path: Path) -> str | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return next((line.strip() for line in lines if line.strip() and not line.strip().startswith("#")), None)


def python_from_version(text: str) -> str | None:
    """A version naming one Python: "3.12.1", "3.12", "python-3.11.4", "cpython-3.12" -> X.Y."""
    m = re.match(r"^(?:c?python[-@]?)?(3)\.(\d+)(?![\d])", text.strip(), re.IGNORECASE)
    return f"{m.group(1)}.{m.group(2)}" if m else None


def python_from_spec(spec: str) -> str | None:
    """The lowest X.Y a version specifier allows, as a Python to build with.

    The rule: the lowest X.Y among KNOWN_PYTHONS (3.8 to 3.14, those with official python
    images) such that some X.Y.Z satisfies every clause; ">=3.10,<3.13" -> "3.10",
    ">=3.6" -> "3.8", "^3.11" -> "3.11", "~=3.9.2" -> "3.9". When no known minor fits,
    the specifier's own lowest bound (">=3.15" -> "3.15"); "" and "*" say nothing -> None.
    PEP 440 specifiers and poetry's ^, ~, "X.Y.*" and `||` alternatives are understood; anything else -> None.
    """
    alternatives = []
    if spec.strip() in ("", "*"):
        return None  # no constraint says nothing
    for part in spec.split("||"):
        clauses = _clauses(part)
        if clauses is None:
            return None
        alternatives.append(clauses)
    for major, minor in KNOWN_PYTHONS:
        if any(_allows_minor(clauses, major, minor) for clauses in alternatives):
            return f"{major}.{minor}"
    bounds = [v for clauses in alternatives for op, v, _ in clauses
              if op in (">=", "==", "~=") and len(v) >= 2 and v[0] == 3]
    return "%d.%d" % min(bounds)[:2] if bounds else None


_CLAUSE_RE = re.compile(r"\s*(~=|===|==|!=|<=|>=|<|>|\^|~|=)?\s*(\d+(?:\.\d+)*)(\.\*)?[A-Za-z0-9.+!-]*\s*,?")


def _clauses(spec: str) -> list[tuple[str, tuple[int, ...], bool]] | None:
    """'>=3.10,<3.13' -> [('>=', (3, 10), False), ('<', (3, 13), False)]; None if unparseable."""
    spec = spec.strip()
    if spec in ("", "*"):
        return []
    out = []
    position = 0
    while position < len(spec):
        m = _CLAUSE_RE.match(spec, position)
        if not m or m.end() == position:
            return None
        position = m.end()
        op, wildcard = m.group(1) or "==", bool(m.group(3))
        version = tuple(int(x) for x in m.group(2).split("."))
        if op == "^":  # poetry: below the next release of the leftmost non-zero part
            index = next((i for i, x in enumerate(version) if x != 0), len(version) - 1)
            out += [(">=", version, False), ("<", version[:index] + (version[index] + 1,), False)]
        elif op == "~":  # poetry: ~X.Y[.Z] is X.Y.*, ~X is X.*
            out += [(">=", version, False), ("==", version[:2], True)]
        else:
            out.append(("==" if op in ("=", "===") else op, version, wildcard))
    return out


def _allows_minor(clauses, major: int, minor: int) -> bool:
    return any(all(_satisfies((major, minor, patch), c) for c in clauses) for patch in range(0, 40))


def _satisfies(version: tuple[int, ...], clause) -> bool:
    op, wanted, wildcard = clause
    if op == "~=":
        prefix = wanted[:-1] if len(wanted) > 1 else wanted
        return _cmp(version, wanted) >= 0 and version[:len(prefix)] == prefix
    if wildcard:
        matches = version[:len(wanted)] == wanted
        return matches if op == "==" else not matches if op == "!=" else _compare(op, _cmp(version, wanted))
    return _compare(op, _cmp(version, wanted))


def _compare(op: str, order: int) -> bool:
    return {"==": order == 0, "!=": order != 0, "<": order < 0, "<=": order <= 0,
            ">": order > 0, ">=": order >= 0}[op]


def _cmp(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    size = max(len(a), len(b))
    a, b = a + (0,) * (size - len(a)), b + (0,) * (size - len(b))
    return (a > b) - (a < b)


# --- framework, command and ports ---

def _framework(root: Path, deps: dict[str, set[str]], found: Detection) -> None:
    manage = _find_manage_py(root)
    if manage or "django" in deps:
        found.framework = "django"
        if manage:
            found.command = f"python {manage} runserver 0.0.0.0:8000"
        else:
            found.notes.append("framework: Django, but no manage.py found: set run.command yourself")
    elif "fastapi" in deps or "uvicorn" in deps and _find_assignment(root, "FastAPI"):
        found.framework = "fastapi"
        found.command = _uvicorn_command(root)
    elif "flask" in deps:
        found.framework = "flask"
        found.command = _flask_command(root)
    if found.framework:
        found.ports = [FRAMEWORK_PORTS[found.framework]]
        if found.command:
            found.notes.append(f"framework: {FRAMEWORK_NAMES[found.framework]} -> {found.command}")


def _find_manage_py(root: Path) -> str | None:
    if (root / "manage.py").is_file():
        return "manage.py"
    for rel in _python_files(root, max_depth=1):
        if rel.endswith("/manage.py"):
            return rel
    return None


def _uvicorn_command(root: Path) -> str:
    target, app_dir = "main:app", ""
    hit = _find_assignment(root, "FastAPI")
    if hit:
        rel, variable = hit
        module = rel[:-3].replace("/", ".").removesuffix(".__init__")
        if module.startswith("src."):
            module, app_dir = module[4:], " --app-dir src"
        target = f"{module}:{variable}"
    return f"uvicorn {target}{app_dir} --host 0.0.0.0 --port 8000 --reload"


def _flask_command(root: Path) -> str:
    """`flask run` finds app.py or wsgi.py by itself; another module is named with --app."""
    app = ""
    hit = _find_assignment(root, "Flask")
    if hit:
        rel, variable = hit
        module = rel[:-3].replace("/", ".").removesuffix(".__init__")
        if module not in ("app", "wsgi"):  # flask finds any single Flask() in those itself
            app = f"--app {module}" + ("" if variable in ("app", "application") else f":{variable}") + " "
    else:
        factory = _find_in_sources(root, re.compile(r"^def (create_app|make_app)\(", re.MULTILINE))
        if factory and factory[0][:-3] not in ("app", "wsgi"):
            app = f"--app {factory[0][:-3].replace('/', '.').removesuffix('.__init__')} "
    return f"flask {app}run --host 0.0.0.0 --port 5000"


def _find_assignment(root: Path, cls: str) -> tuple[str, str] | None:
    """(file, variable) of the first `variable = [module.]cls(` in the project's sources."""
    pattern = re.compile(rf"^(\w+)\s*(?::\s*[\w.]+\s*)?=\s*(?:\w+\.)?{cls}\(", re.MULTILINE)
    return _find_in_sources(root, pattern)


def _find_in_sources(root: Path, pattern: re.Pattern) -> tuple[str, str] | None:
    for rel in _python_files(root, max_depth=3):
        try:
            text = (root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        m = pattern.search(text)
        if m:
            return rel, m.group(1)
    return None


_PREFERRED = {"main.py": 0, "app.py": 1, "asgi.py": 2, "wsgi.py": 3, "__init__.py": 5}


def _python_files(root: Path, max_depth: int, limit: int = 2000) -> list[str]:
    """The project's .py files (relative, '/'-separated), shallowest and likeliest first;
    hidden folders, virtualenvs, tests and the like are skipped."""
    found = []
    root_str = str(root)
    for folder, dirs, files in os.walk(root_str):
        rel_folder = os.path.relpath(folder, root_str)
        depth = 0 if rel_folder == "." else rel_folder.count(os.sep) + 1
        dirs[:] = [d for d in dirs if depth < max_depth and not d.startswith(".") and d not in _SKIP_DIRS
                   and not os.path.isfile(os.path.join(folder, d, "pyvenv.cfg"))]
        for name in files:
            if name.endswith(".py"):
                rel = name if rel_folder == "." else f"{rel_folder}/{name}".replace(os.sep, "/")
                found.append((depth, _PREFERRED.get(name, 4), rel))
        if len(found) >= limit:
            break
    return [rel for _, _, rel in sorted(found)]


# --- Debian packages and services ---

@functools.lru_cache(maxsize=1)
def apt_needs() -> dict:
    """The [packages] table of data/apt_needs.toml."""
    return tomltext.loads(APT_NEEDS.read_text(encoding="utf-8")).get("packages", {})


def _apt(deps: dict[str, set[str]], found: Detection) -> None:
    needs = apt_needs()
    apt_for: dict[str, list[str]] = {}
    for name in sorted(deps):
        entry = needs.get(name)
        if not entry:
            continue
        extras = deps[name]
        wanted = []
        if entry.get("when", "always") == "source":
            found.notes.append(f"{name}: wheels exist for common platforms; if pip builds it from source, "
                               f"add {' '.join(entry['apt'])} to image.apt ({entry.get('why', '')})")
        elif not extras & set(entry.get("unless_extras", [])):
            wanted.append(entry)
        wanted += [e for extra, e in entry.get("extras", {}).items() if extra in extras]
        for item in wanted:
            for package in item["apt"]:
                apt_for.setdefault(package, []).append(name)
            found.notes.append(f"apt: {' '.join(item['apt'])} for {name} ({item.get('why', '')})")
    found.apt = sorted(apt_for)
    found.apt_for = {package: sorted(set(names)) for package, names in sorted(apt_for.items())}


def _services(deps: dict[str, set[str]], found: Detection) -> None:
    service_for: dict[str, set[str]] = {}
    for name, extras in deps.items():
        if name in SERVICE_FOR:
            service_for.setdefault(SERVICE_FOR[name], set()).add(name)
        for extra in extras:
            if (name, extra) in SERVICE_FOR_EXTRA:
                service_for.setdefault(SERVICE_FOR_EXTRA[(name, extra)], set()).add(f"{name}[{extra}]")
    if "amqp" in deps and ("celery" in deps or "kombu" in deps):
        service_for.setdefault("rabbitmq", set()).add("amqp")
    found.services = [s for s in SERVICE_ORDER if s in service_for]
    found.service_for = {s: sorted(service_for[s]) for s in found.services}
    for service in found.services:
        found.notes.append(f"service: {service} (for {', '.join(found.service_for[service])})")
