"""A command line that starts a web app, read: which server (uvicorn, gunicorn, flask run,
manage.py runserver...), the app it serves (`module:attr`), its port; and the same app as
a development server for `dkenv run` (listening on 0.0.0.0, reloading on edits).

Pure: words in, words out. The commands come from what a project declares (Procfile,
Dockerfile, compose file, Makefile, README: detect/runs.py) and are never run.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

_TARGET = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*(\(\))?$")
_WRAPPERS = {("poetry", "run"), ("pipenv", "run"), ("pdm", "run"), ("hatch", "run"), ("rye", "run"),
             ("uv", "run"), ("newrelic-admin", "run-program"), ("dotenv", "run")}
_PREFIXES = {"exec", "nohup", "ddtrace-run", "opentelemetry-instrument", "env", "tini", "dumb-init"}
_SERVERS = ("uvicorn", "gunicorn", "hypercorn", "daphne")
ASGI_WORKER = "uvicorn.workers.UvicornWorker"
# the servers' options that take no value (the others take the next word)
_FLAGS = {"--reload", "--factory", "--preload", "--daemon", "-D", "--debug", "--no-debug", "--no-reload",
          "--debugger", "--no-debugger", "--with-threads", "--without-threads", "--proxy-headers",
          "--no-proxy-headers", "--access-log", "--no-access-log", "--use-colors", "--no-use-colors",
          "--capture-output", "--reuse-port", "--no-sendfile", "--check-config", "--print-config",
          "--no-server-header", "--no-date-header", "--ws-per-message-deflate", "--http2", "--verbose", "-v"}


@dataclass(frozen=True)
class Launch:
    """What a command line starts. `server`: uvicorn, gunicorn, hypercorn, daphne,
    flask, django, fastapi (the fastapi CLI), litestar, or "" for a command dkenv does not
    know; `target` the app (`module:attr`, flask's --app, the fastapi CLI's path, django's
    manage.py)."""

    server: str
    text: str  # the command (the part of a shell line that starts the server)
    target: str = ""
    factory: bool = False
    port: int | None = None
    app_dir: str = ""  # uvicorn --app-dir, gunicorn --chdir
    asgi: bool = False  # gunicorn with uvicorn's worker
    debug: bool = False  # flask's --debug (its reloader and debugger)


def read(text: str) -> Launch | None:
    """The server a shell line starts (its last part that starts one: `alembic upgrade head
    && uvicorn app.main:app` is uvicorn); else the line's last command, as server ""."""
    parts = [part for part in _commands(text) if part]
    launches = [_launch(words) for words in parts]
    known = [launch for launch in launches if launch and launch.server]
    if known:
        return known[-1]
    return launches[-1] if launches and launches[-1] else None


def _commands(text: str) -> list[list[str]]:
    """The simple commands of a shell line, split at ; && || | and newlines."""
    try:
        lexer = shlex.shlex(text.replace("\\\n", " "), posix=True, punctuation_chars=";&|\n")
        lexer.whitespace = " \t\r"
        lexer.whitespace_split = True
        tokens = list(lexer)
    except ValueError:
        return []
    commands, current = [], []
    for token in tokens:
        if token and set(token) <= set(";&|\n"):
            commands.append(current)
            current = []
        else:
            current.append(token)
    return commands + [current]


def _launch(words: list[str]) -> Launch | None:
    words, env = _unwrap(words)
    if not words:
        return None
    text = shlex.join(words)
    first = words[0].rsplit("/", 1)[-1]
    if first in ("sh", "bash") and len(words) >= 3 and words[1] == "-c":
        return read(words[2])
    if re.match(r"^python(3(\.\d+)?)?$", first):
        if words[1:2] == ["-m"] and len(words) > 2:
            words, first = words[2:], words[2]
        elif len(words) > 1 and words[1].endswith("manage.py"):
            return _django(words[1:], text)
    if first.endswith("manage.py") or first == "django-admin":
        return _django(words, text)
    if first in _SERVERS:
        return _asgi_or_wsgi(first, words[1:], text)
    if first == "flask":
        return _flask(words[1:], text, env.get("FLASK_APP", ""))
    if first == "fastapi" and words[1:2] and words[1] in ("run", "dev"):
        return _fastapi_cli(words[2:], text)
    if first == "litestar":
        return _litestar(words[1:], text)
    return Launch("", text)


def _unwrap(words: list[str]) -> tuple[list[str], dict[str, str]]:
    """Without `VAR=value` assignments, `exec`, `poetry run`, `uv run --opts` and the like."""
    env: dict[str, str] = {}
    changed = True
    while words and changed:
        changed = False
        m = re.match(r"^([A-Za-z_]\w*)=(.*)$", words[0])
        if m:
            env[m.group(1)] = m.group(2)
            words, changed = words[1:], True
        elif words[0].rsplit("/", 1)[-1] in _PREFIXES:
            words, changed = words[1:], True
            if words[:1] == ["--"]:
                words = words[1:]
        elif tuple(words[:2]) in _WRAPPERS:
            words, changed = words[2:], True
            while words and words[0].startswith("-") and words[0] != "--":
                words = words[1:]
            if words[:1] == ["--"]:
                words = words[1:]
    return words, env


def _options(words: list[str], positional: list[str] | None = None) -> dict[str, str]:
    """`--name value`, `--name=value` and `-x value` as {"--name": value}; flags as "";
    the other words go to `positional`. A word that looks like an app (`module:attr`) is a
    value only after --app."""
    found, i = {}, 0
    while i < len(words):
        word = words[i]
        if word.startswith("-") and word != "-":  # a lone - is a value: stdin or stdout
            name, eq, value = word.partition("=")
            following = words[i + 1] if i + 1 < len(words) else "-x"
            if not eq and name not in _FLAGS and (following == "-" or not following.startswith("-")) \
                    and (name in ("--app", "-A") or not _TARGET.match(following)):
                value, i = words[i + 1], i + 1
            found[name] = value
        elif positional is not None:
            positional.append(word)
        i += 1
    return found


def _port(value: str) -> int | None:
    m = re.search(r"(?:^|:)(\d{2,5})$", value or "")
    return int(m.group(1)) if m else None


def _target(words: list[str], positional: list[str]) -> str:
    """`module:attr` anywhere, else a positional dotted module (gunicorn's `shop.wsgi`)."""
    found = next((w for w in words if _TARGET.match(w.strip("'\""))), "").strip("'\"")
    return found or next((w for w in positional if re.match(r"^[A-Za-z_][\w.]*$", w)), "")


def _asgi_or_wsgi(server: str, words: list[str], text: str) -> Launch:
    positional: list[str] = []
    opts = _options(words, positional)
    target = _target(words, positional)
    factory = "--factory" in opts or target.endswith("()")
    bind = opts.get("--bind", opts.get("-b", ""))
    port = _port(opts.get("--port", opts.get("-p", ""))) or _port(bind)
    worker = opts.get("--worker-class", opts.get("-k", ""))
    app_dir = opts.get("--app-dir", opts.get("--chdir", ""))
    asgi = server != "gunicorn" or worker.startswith("uvicorn")
    return Launch(server, text, target.removesuffix("()"), factory, port, app_dir, asgi)


def _flask(words: list[str], text: str, flask_app: str) -> Launch | None:
    if "run" not in words:
        return None  # flask db upgrade, flask translate compile...: not the server
    opts = _options(words)
    app = opts.get("--app", opts.get("-A", "")) or flask_app
    return Launch("flask", text, app, port=_port(opts.get("--port", opts.get("-p", ""))), debug="--debug" in opts)


def _django(words: list[str], text: str) -> Launch | None:
    if "runserver" not in words:
        return None  # migrate, collectstatic...
    after = words[words.index("runserver") + 1:]
    address = next((w for w in after if not w.startswith("-")), "")
    manage = words[0] if words[0].endswith("manage.py") else ""
    return Launch("django", text, manage, port=_port(address))


def _fastapi_cli(words: list[str], text: str) -> Launch:
    opts = _options(words)
    path = next((w for w in words if w.endswith(".py") or w.endswith("/")), "")
    return Launch("fastapi", text, path, port=_port(opts.get("--port", "")), asgi=True)


def _litestar(words: list[str], text: str) -> Launch | None:
    if "run" not in words:
        return None
    opts = _options(words)
    return Launch("litestar", text, opts.get("--app", ""), "--factory" in opts,
                  _port(opts.get("--port", opts.get("-p", ""))), asgi=True)
