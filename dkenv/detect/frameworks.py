"""The web framework a project uses (Django, Flask or FastAPI), its development
server command and its port.

Pure logic: looks at the dependency names and greps the project's .py files
(manage.py, `app = Flask(`, `api = FastAPI(`, `def create_app(`); never runs anything.
"""
from __future__ import annotations

import os
import re
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

FRAMEWORK_PORTS = {"django": 8000, "flask": 5000, "fastapi": 8000}
FRAMEWORK_NAMES = {"django": "Django", "flask": "Flask", "fastapi": "FastAPI"}
_SKIP_DIRS = {"node_modules", "__pycache__", "site-packages", "venv", "env", "data", "build", "dist",
              "tests", "test", "docs", "migrations"}


@dataclass
class Framework:
    name: str  # django, flask or fastapi
    command: str | None  # None: Django without a manage.py
    port: int


def detect_framework(root: Path, deps: Container[str], notes: list[str]) -> Framework | None:
    """Django (manage.py or the dependency), else FastAPI, else Flask; None for none of them."""
    manage = _find_manage_py(root)
    if manage or "django" in deps:
        name = "django"
        command = f"python {manage} runserver 0.0.0.0:8000" if manage else None
        if not manage:
            notes.append("framework: Django, but no manage.py found: set run.command yourself")
    elif "fastapi" in deps or "uvicorn" in deps and _find_assignment(root, "FastAPI"):
        name, command = "fastapi", _uvicorn_command(root)
    elif "flask" in deps:
        name, command = "flask", _flask_command(root)
    else:
        return None
    if command:
        notes.append(f"framework: {FRAMEWORK_NAMES[name]} -> {command}")
    return Framework(name, command, FRAMEWORK_PORTS[name])


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


# for detect/production.py: the same searches, for the production server
find_manage_py = _find_manage_py
find_assignment = _find_assignment
find_in_sources = _find_in_sources
python_files = _python_files
