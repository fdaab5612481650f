"""The production side of a detected framework: the server command (gunicorn, with
uvicorn's worker for FastAPI), the PyPI packages that command needs, the release step
(migrations) and the checks left to the user (secret key, allowed hosts, CORS origins).

Pure logic: reads the project's files (manage.py, the settings, the app module,
alembic.ini), never runs anything. `dkenv init` prints the choice and its reason;
`production/plan.py` uses the same answer for what `[production]` leaves unset.
"""
from __future__ import annotations

import re
import shlex
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path

from dkenv import fileio
from dkenv.detect import frameworks

GUNICORN_CONFIG = "/etc/dkenv/gunicorn.conf.py"  # in the production image: workers, logs (production/dockerfile.py)
UVICORN_WORKER = "uvicorn.workers.UvicornWorker"


@dataclass
class Server:
    """What runs the app in production, and why."""

    command: str | None  # None: no framework found, [production] command must say
    reason: str
    packages: list[str] = field(default_factory=list)  # gunicorn, uvicorn: added when the project lacks them
    release: str = ""  # the one-shot step before the app starts ("": none)
    release_reason: str = ""
    checks: list[str] = field(default_factory=list)  # what the user must still decide


def server(root: Path, framework: str | None, deps: Container[str], port: int) -> Server:
    """The production server of the app in `root` (the app's folder) for `framework`
    (detect/frameworks.py's name, or None); `deps` are the names the production image installs."""
    bind = f"--bind 0.0.0.0:{port} --config {GUNICORN_CONFIG}"
    if framework == "django":
        found = _django(root, bind)
    elif framework in frameworks.ASGI:
        found = _asgi(root, framework, bind)
    elif framework == "flask":
        found = _flask(root, bind)
    else:
        found = Server(None, "no web framework (Django, FastAPI, Litestar, Starlette, Flask) found: set "
                             "[production] command")
    if found.command:
        found.packages = [p for p in server_packages(found.command) if p not in deps]
    if not found.release and (root / "alembic.ini").is_file():
        found.release, found.release_reason = "alembic upgrade head", "alembic.ini is there"
    found.checks += ["secrets (database passwords, API keys) are given at run time (docker run -e, "
                     "compose's environment), never written in the image or in .dkenv.toml"]
    return found


def server_packages(command: str) -> list[str]:
    """The PyPI packages a command's server needs: gunicorn, and uvicorn for its worker."""
    try:
        words = shlex.split(command)
    except ValueError:
        return []
    needed = ["gunicorn"] if words and words[0] == "gunicorn" else []
    if any(w.startswith("uvicorn.workers") for w in words) or words[:1] == ["uvicorn"]:
        needed.append("uvicorn")
    return needed


# --- Django ---

_SETTINGS_MODULE = re.compile(r"""DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']""")
_WSGI_APPLICATION = re.compile(r"""^WSGI_APPLICATION\s*=\s*["']([\w.]+)["']""", re.MULTILINE)


def _django(root: Path, bind: str) -> Server:
    manage = frameworks.find_manage_py(root)
    if manage is None:
        return Server(None, "Django, but no manage.py found: set [production] command")
    folder = manage.rpartition("/")[0]  # where the settings module is imported from
    base = root / folder if folder else root
    settings_module = _search(_SETTINGS_MODULE, fileio.text_or_empty(root / manage))
    settings = _settings_text(base, settings_module) if settings_module else ""
    target = _search(_WSGI_APPLICATION, settings)
    if target and "." in target:
        module, _, variable = target.rpartition(".")
        reason = f"WSGI_APPLICATION = {target!r} in {settings_module}"
    else:
        package = (settings_module or "").rpartition(".")[0] if settings_module else ""
        wsgi = next((p for p in ([f"{package.replace('.', '/')}/wsgi.py"] if package else []) if (base / p).is_file()),
                    None) or _first_wsgi(base)
        if wsgi is None:
            return Server(None, "Django, but neither WSGI_APPLICATION nor a wsgi.py was found: set [production] "
                                "command")
        module, variable = wsgi[:-3].replace("/", "."), "application"
        reason = f"{wsgi} (no WSGI_APPLICATION found in the settings)"
    chdir = f" --chdir {shlex.quote(folder)}" if folder else ""
    checks = _django_checks(settings)
    return Server(f"gunicorn {module}:{variable}{chdir} {bind}", f"Django through gunicorn: {reason}",
                  release=f"python {manage} migrate --noinput", release_reason="Django's migrations",
                  checks=checks)


def _settings_text(base: Path, module: str) -> str:
    """The settings module's text; a settings package's every .py file."""
    path = base / module.replace(".", "/")
    if path.with_suffix(".py").is_file():
        return fileio.text_or_empty(path.with_suffix(".py"))
    if path.is_dir():
        return "\n".join(fileio.text_or_empty(p) for p in sorted(path.glob("*.py")))
    return ""


def _first_wsgi(base: Path) -> str | None:
    for rel in frameworks.python_files(base, max_depth=2):
        if rel.endswith("/wsgi.py"):
            return rel
    return None


def _django_checks(settings: str) -> list[str]:
    checks = []
    if re.search(r"^SECRET_KEY\s*=\s*[\"']", settings, re.MULTILINE):
        checks.append("SECRET_KEY is written in the settings: read it from the environment and set it at run time")
    else:
        checks.append("SECRET_KEY: a long random value, set at run time (never the development one)")
    if re.search(r"^DEBUG\s*=\s*True", settings, re.MULTILINE):
        checks.append("DEBUG = True in the settings: turn it off in production (from an environment variable)")
    else:
        checks.append("DEBUG: off in production ([production] env sets the variable your settings read)")
    if re.search(r"""^ALLOWED_HOSTS\s*=\s*\[\s*["']\*["']\s*\]""", settings, re.MULTILINE):
        checks.append("ALLOWED_HOSTS is ['*']: name your domain names (and CSRF_TRUSTED_ORIGINS for HTTPS)")
    else:
        checks.append("ALLOWED_HOSTS: your domain names (and CSRF_TRUSTED_ORIGINS for HTTPS)")
    if "corsheaders" in settings:
        checks.append("CORS_ALLOWED_ORIGINS: the front-end origins allowed to call the API (django-cors-headers)")
    checks.append("static files: `collectstatic` and something to serve them (WhiteNoise, or the web server "
                  "in front); gunicorn does not")
    return checks


# --- ASGI frameworks (FastAPI, Litestar, Starlette) and Flask ---

def _asgi(root: Path, framework: str, bind: str) -> Server:
    cls = frameworks.ASGI[framework]
    app = frameworks.find_app(root, cls)
    if app is None:
        return Server(None, f"{cls}, but no `app = {cls}(...)` or app factory was found: set [production] command")
    module, pythonpath = _module(app.rel)
    target = f"'{module}:{app.variable}()'" if app.factory else f"{module}:{app.variable}"
    command = f"gunicorn {target} --worker-class {UVICORN_WORKER}{pythonpath} {bind}"
    source = fileio.text_or_empty(root / app.rel)
    checks = []
    if "CORSMiddleware" in source or "CORSMiddleware" in _grep_sources(root, "CORSMiddleware"):
        checks.append("CORS: allow_origins lists the front-end origins only, not \"*\"")
    else:
        checks.append("CORS: a browser front end on another origin needs CORSMiddleware with its origins")
    checks.append("SECRET_KEY (tokens, sessions): a long random value, set at run time")
    checks.append("behind a proxy: gunicorn's --forwarded-allow-ips names it, so the client's scheme and "
                  "address are trusted")
    return Server(command, f"{cls} through gunicorn with uvicorn's worker: {app.how}", checks=checks)


def _flask(root: Path, bind: str) -> Server:
    factory = frameworks.find_in_sources(root, re.compile(r"^def (create_app|make_app)\(", re.MULTILINE))
    app = frameworks.find_app(root, "Flask")
    hit = (app.rel, app.variable) if app and not app.factory else None
    if factory:
        module, pythonpath = _module(factory[0])
        target, reason = f"'{module}:{factory[1]}()'", f"the factory {factory[1]}() in {factory[0]}"
    elif hit:
        module, pythonpath = _module(hit[0])
        target, reason = f"{module}:{hit[1]}", f"{app.how}"
    else:
        return Server(None, "Flask, but neither `app = Flask(...)` nor create_app() was found: set [production] "
                            "command")
    release, why = "", ""
    if (root / "migrations" / "alembic.ini").is_file():
        release, why = f"flask --app {module} db upgrade", "Flask-Migrate's migrations/ folder"
    sources = fileio.text_or_empty(root / (factory or hit)[0])
    checks = ["SECRET_KEY is written in the code: read it from the environment and set it at run time"
              if re.search(r"SECRET_KEY\s*=\s*[\"']", sources) else
              "SECRET_KEY: a long random value, set at run time"]
    checks.append("CORS: the front-end origins allowed (Flask-CORS), if a browser app on another origin calls it")
    return Server(f"gunicorn {target}{pythonpath} {bind}", f"Flask through gunicorn: {reason}",
                  release=release, release_reason=why, checks=checks)


def _module(rel: str) -> tuple[str, str]:
    """A source file's module, and gunicorn's --pythonpath for a src/ layout."""
    module = rel[:-3].replace("/", ".").removesuffix(".__init__")
    if module.startswith("src."):
        return module[4:], " --pythonpath src"
    return module, ""


def _grep_sources(root: Path, word: str) -> str:
    hit = frameworks.find_in_sources(root, re.compile(rf"^.*({re.escape(word)}).*$", re.MULTILINE))
    return hit[1] if hit else ""


def _search(pattern: re.Pattern, text: str) -> str | None:
    m = pattern.search(text)
    return m.group(1) if m else None


