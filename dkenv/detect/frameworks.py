"""The web framework a project uses (Django, FastAPI, Litestar, Starlette, Flask), the app
it makes, its development server command and its port.

Pure logic: looks at the dependency names and greps the project's .py files, never runs
anything. The framework is the dependency's: Django when `django` is a dependency (a
`manage.py` alone is not Django: other frameworks have CLI wrappers of that name; without
any readable dependency, a manage.py that imports Django counts). The app is found as
`app = FastAPI(...)`, `app = get_application()` (a module-level call), or a factory
(`def create_app(...)`, or any function annotated `-> FastAPI`), in the project's modules
or packages (`app/main.py` is `app.main:app`). What is not found is a guess: its `guess`
says why, and `init` writes the command commented (detect/runs.py, which also reads what
the project itself declares first).
"""
from __future__ import annotations

import os
import re
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

from dkenv import fileio

FRAMEWORK_PORTS = {"django": 8000, "flask": 5000, "fastapi": 8000, "litestar": 8000, "starlette": 8000}
FRAMEWORK_NAMES = {"django": "Django", "flask": "Flask", "fastapi": "FastAPI", "litestar": "Litestar",
                   "starlette": "Starlette"}
ASGI = {"fastapi": "FastAPI", "litestar": "Litestar", "starlette": "Starlette"}  # framework -> app class
FACTORIES = ("create_app", "make_app", "get_application", "get_app", "create_application", "app_factory")
_SKIP_DIRS = {"node_modules", "__pycache__", "site-packages", "venv", "env", "data", "build", "dist",
              "tests", "test", "docs", "migrations"}


@dataclass(frozen=True)
class App:
    """Where the app is made: `variable` in `rel`, or the factory function `variable`."""

    rel: str
    variable: str
    factory: bool
    how: str  # "app = get_application() in app/main.py"

    @property
    def module(self) -> str:
        return module_of(self.rel)[0]


@dataclass
class Framework:
    name: str  # a key of FRAMEWORK_NAMES
    command: str | None  # None: Django without a manage.py
    port: int
    guess: str = ""  # why `command` is only a guess ("": it is not)
    why: str = ""  # how the app was found
    manage: str = ""  # Django's manage.py, relative
    app: App | None = None


def detect_framework(root: Path, deps: Container[str], notes: list[str]) -> Framework | None:
    """Django, else an ASGI framework, else Flask; None for none of them."""
    name = _framework(root, deps)
    if name is None:
        return None
    port = FRAMEWORK_PORTS[name]
    if name == "django":
        found = _django(root)
    elif name in ASGI:
        found = _asgi(root, name)
    else:
        found = _flask(root)
    found.port = port
    notes.append(f"framework: {FRAMEWORK_NAMES[name]}" + (f" ({found.why})" if found.why else ""))
    return found


def _framework(root: Path, deps: Container[str]) -> str | None:
    if "django" in deps or (not _has_any(deps) and _find_manage_py(root, any_file=False)):
        return "django"
    for name in ASGI:
        if name in deps:
            return name
    if "uvicorn" in deps and find_app(root, "FastAPI"):
        return "fastapi"
    return "flask" if "flask" in deps else None


def _has_any(deps: Container[str]) -> bool:
    try:
        return bool(len(deps))  # type: ignore[arg-type]
    except TypeError:
        return True


def _django(root: Path) -> Framework:
    manage = _find_manage_py(root, any_file=True)
    if not manage:
        return Framework("django", None, 0, why="no manage.py found: set run.command yourself")
    return Framework("django", f"python {manage} runserver 0.0.0.0:8000", 0, why=manage, manage=manage)


def _asgi(root: Path, name: str) -> Framework:
    app = find_app(root, ASGI[name])
    if app is None:
        return Framework(name, uvicorn_command("main:app"), 0,
                         guess=f"no `app = {ASGI[name]}(...)`, app factory or run command was found; "
                               "main:app is uvicorn's usual example")
    module, app_dir = module_of(app.rel)
    return Framework(name, uvicorn_command(f"{module}:{app.variable}", app.factory, app_dir), 0, why=app.how,
                     app=app)


def uvicorn_command(target: str, factory: bool = False, app_dir: str = "", port: int = 8000) -> str:
    options = (" --factory" if factory else "") + (f" --app-dir {app_dir}" if app_dir else "")
    return f"uvicorn {target}{options} --host 0.0.0.0 --port {port} --reload"


def flask_command(app: str = "", port: int = 5000, debug: bool = False) -> str:
    """`flask run` finds app.py or wsgi.py by itself, and in a module an `app` or a create_app()."""
    return f"flask {'--app ' + app + ' ' if app else ''}{'--debug ' if debug else ''}run --host 0.0.0.0 --port {port}"


def _flask(root: Path) -> Framework:
    app = find_app(root, "Flask")
    if app is None:
        if any((root / f).is_file() for f in ("app.py", "wsgi.py")):
            return Framework("flask", flask_command(), 0, why="app.py or wsgi.py, which `flask run` finds")
        return Framework("flask", flask_command(), 0,
                         guess="no `app = Flask(...)`, create_app() or FLASK_APP was found, nor app.py or "
                               "wsgi.py for `flask run` to find")
    module = app.module  # flask finds a single Flask(...) or create_app() in app or wsgi itself
    found = "" if module in ("app", "wsgi") else module
    if found and not app.factory and app.variable not in ("app", "application"):
        found += f":{app.variable}"
    return Framework("flask", flask_command(found), 0, why=app.how, app=app)


def module_of(rel: str) -> tuple[str, str]:
    """A source file's module, and the folder to import it from (src/ for a src layout)."""
    module = rel[:-3].replace("/", ".").removesuffix(".__init__")
    if module.startswith("src."):
        return module[4:], "src"
    return module, ""


def find_app(root: Path, cls: str) -> App | None:
    """The app `cls` makes in the project's sources: an instance (`app = cls(...)`), else a
    module-level call (`app = get_application()`), else a factory function."""
    instance = re.compile(rf"^(\w+)\s*(?::\s*[\w.]+\s*)?=\s*(?:\w+\.)?{cls}\(", re.MULTILINE)
    call = re.compile(r"^(app|application|api)\s*(?::\s*[\w.]+\s*)?=\s*(?:[\w.]+\.)?(\w+)\(", re.MULTILINE)
    factory = re.compile(rf"^(?:async\s+)?def\s+(\w+)\([^)]*\)\s*(?:->\s*[\"']?(?:\w+\.)?({cls})\b)?", re.MULTILINE)
    best: tuple[int, App] | None = None
    for rel in _python_files(root, max_depth=3):
        text = fileio.text_or_empty(root / rel)
        mentions = re.search(rf"\b{cls}\b", text) is not None
        if mentions and (m := instance.search(text)):
            return App(rel, m.group(1), False, f"{m.group(1)} = {cls}(...) in {rel}")
        if best and best[0] <= 1:
            continue
        m = call.search(text)
        if m and (mentions or m.group(2) in FACTORIES) and m.group(2) != cls:
            best = (1, App(rel, m.group(1), False, f"{m.group(1)} = {m.group(2)}() in {rel}"))
            continue
        if best is None and mentions:
            for m in factory.finditer(text):
                if m.group(2) or m.group(1) in FACTORIES:
                    best = (2, App(rel, m.group(1), True, f"the factory {m.group(1)}() in {rel}"))
                    break
    return best[1] if best else None


def _find_manage_py(root: Path, any_file: bool) -> str | None:
    """A manage.py at the root or one level down: one that is Django's (it names django or
    DJANGO_SETTINGS_MODULE) first; with `any_file`, any when none is."""
    found = (["manage.py"] if (root / "manage.py").is_file() else []) + [
        rel for rel in _python_files(root, max_depth=1) if rel.endswith("/manage.py")]
    djangos = [rel for rel in found if re.search(r"django|DJANGO_SETTINGS_MODULE", fileio.text_or_empty(root / rel))]
    return (djangos or (found if any_file else [None]))[0] if found else None


def _find_in_sources(root: Path, pattern: re.Pattern) -> tuple[str, str] | None:
    for rel in _python_files(root, max_depth=3):
        m = pattern.search(fileio.text_or_empty(root / rel))
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


# for detect/production.py: the same searches, for the production server
def find_manage_py(root: Path) -> str | None:
    return _find_manage_py(root, any_file=True)


find_in_sources = _find_in_sources
python_files = _python_files
