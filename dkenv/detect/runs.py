"""The command `dkenv run` runs, as `init` proposes it: what the project itself declares
(detect/runsources.py: Procfile, compose file, Dockerfile, Makefile, README, scripts), made
a development server (on 0.0.0.0, reloading on edits); else what framework detection
found (detect/frameworks.py). Every proposal says where it came from; a guess (an app
dkenv did not find, a command whose server it does not know) says why, and `init` writes
it commented instead of a wrong active value.

How a declared server becomes the development one: uvicorn, hypercorn, daphne, flask
run, manage.py runserver, fastapi run/dev and litestar run keep their app with
`--host 0.0.0.0`, the port, and reloading; gunicorn (a production server) becomes the
framework's own development server for the same app (flask run, runserver, uvicorn for
uvicorn's worker), or gunicorn with `--reload` when no framework is known. A port below
1024 (a container's production port) is replaced by the framework's.
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from dkenv.detect import runsources as declarations
from dkenv.detect.frameworks import ASGI, FRAMEWORK_NAMES, FRAMEWORK_PORTS, Framework, flask_command, \
    uvicorn_command
from dkenv.detect.launch import Launch

UNKNOWN = ("dkenv does not know the server it starts: check that it listens on 0.0.0.0 inside the "
           "container, and set run.ports")


@dataclass
class Proposal:
    command: str
    port: int | None  # None: unknown
    source: str  # where it came from, as `init` says it
    guess: str = ""  # why it is left commented ("": written as it is)
    notes: list[str] = field(default_factory=list)


def propose(root: Path, framework: Framework | None, notes: list[str],
            within: Path | None = None) -> Proposal | None:
    """The run command for the app in `root` (see the module docstring); None for nothing.
    `within`: the project root, when `root` is the app's folder below it."""
    found, (flask_app, flask_where) = declarations.read(root, notes, within)
    flask = (flask_app, flask_where)
    first_problem: Proposal | None = None
    for item in (d for d in found if d.launch.server):
        command, port, problem = develop(root, item.launch, framework, flask)
        source = f"{item.source}: `{item.launch.text}`"
        if not problem:
            return _with_others(Proposal(command, port, source), found, item, root, framework, flask)
        if first_problem is None:
            first_problem = Proposal(command, port, source, guess=problem)
    if framework and framework.command:
        return _from_framework(root, framework, flask, first_problem, found)
    if first_problem:
        return first_problem
    other = next((d for d in found if not d.launch.server), None)
    if other:
        return Proposal(other.launch.text, None, f"{other.source}: `{other.launch.text}`", guess=UNKNOWN)
    return None


def _from_framework(root: Path, framework: Framework, flask: tuple[str, str], problem: Proposal | None,
                    found: list) -> Proposal:
    if framework.name == "flask" and flask[0]:
        app, trouble = _flask_app(root, flask[0])
        if not trouble:
            return Proposal(flask_command(app), framework.port, f"FLASK_APP={flask[0]} in {flask[1]}")
    why = f"{FRAMEWORK_NAMES[framework.name]}: {framework.why}" if framework.why else FRAMEWORK_NAMES[framework.name]
    proposal = Proposal(framework.command or "", framework.port, why, guess=framework.guess)
    if problem:
        proposal.notes.append(f"not used: {problem.source} ({problem.guess})")
    others = [d for d in found if not d.launch.server]
    if others:
        proposal.notes.append(f"also declared: {others[0].source}: `{others[0].launch.text}`")
    return proposal


def _with_others(proposal: Proposal, found: list, chosen, root: Path, framework, flask) -> Proposal:
    """Notes naming the other declarations: those that agree, and those that say otherwise."""
    same, other = [], []
    for item in found:
        if item is chosen or not item.launch.server:
            continue
        command = develop(root, item.launch, framework, flask)[0]
        if command != proposal.command:
            other.append(f"{item.source}: `{item.launch.text}`")
            continue
        same.append(item.source)
    if flask[0] and proposal.command.startswith("flask "):
        app = _flask_app(root, flask[0])[0]
        names = f"--app {app} " in proposal.command if app else "--app " not in proposal.command
        (same if names else other).append(f"FLASK_APP={flask[0]} in {flask[1]}")
    if same:
        proposal.notes.append(f"the same in: {', '.join(same)}")
    for item in other:
        proposal.notes.append(f"also declared: {item}")
    return proposal


def develop(root: Path, launch: Launch, framework: Framework | None,
            flask: tuple[str, str] = ("", "")) -> tuple[str, int | None, str]:
    """The development server for what `launch` starts: (command, port, problem); a problem
    ("": none) says why the command is only a guess."""
    name = framework.name if framework else None
    server = launch.server
    port = launch.port if launch.port and launch.port >= 1024 else None
    if server == "gunicorn":
        port = None  # production's port; the development server's own
        if name == "django" and framework.manage:
            return _django(root, framework.manage, port)
        if name == "flask" or (name is None and not launch.asgi and flask[0]):
            app = launch.target + ("()" if launch.factory and launch.target.split(":")[-1] not in
                                   ("create_app", "make_app") else "")
            return _flask(root, _flask_target(app), port or FRAMEWORK_PORTS["flask"])
        if not (launch.asgi or name in ASGI):
            return (f"gunicorn {launch.target}{' --chdir ' + launch.app_dir if launch.app_dir else ''} "
                    f"--bind 0.0.0.0:{port or 8000} --reload", port or 8000,
                    _module_problem(root, launch.target, launch.app_dir))
        server = "uvicorn"
    if server == "django":
        return _django(root, launch.target or (framework.manage if framework else ""), port)
    if server == "flask":
        return _flask(root, launch.target or flask[0], port or FRAMEWORK_PORTS["flask"], launch.debug)
    port = port or 8000
    target = launch.target
    if server == "uvicorn":
        return (uvicorn_command(target, launch.factory, launch.app_dir, port), port,
                _module_problem(root, target, launch.app_dir))
    if server == "hypercorn":
        return f"hypercorn {target} --bind 0.0.0.0:{port} --reload", port, _module_problem(root, target, "")
    if server == "daphne":
        return f"daphne -b 0.0.0.0 -p {port} {target}", port, _module_problem(root, target, "")
    if server == "fastapi":
        problem = f"{target} is not in this folder" if target and not (root / target).exists() else ""
        return f"fastapi dev {target + ' ' if target else ''}--host 0.0.0.0 --port {port}", port, problem
    app = f"--app {target} " if target else ""
    return f"litestar {app}run --host 0.0.0.0 --port {port} --reload", port, _module_problem(root, target, "")


def _django(root: Path, manage: str, port: int | None) -> tuple[str, int, str]:
    manage = manage.removeprefix("./")
    port = port or FRAMEWORK_PORTS["django"]
    problem = "" if manage and (root / manage).is_file() else f"{manage or 'manage.py'} is not in this folder"
    return f"python {shlex.quote(manage or 'manage.py')} runserver 0.0.0.0:{port}", port, problem


def _flask_target(target: str) -> str:
    module, _, attr = target.partition(":")
    return module if attr in ("", "app", "application", "create_app", "make_app") else target


def _flask(root: Path, target: str, port: int, debug: bool = False) -> tuple[str, int, str]:
    app, problem = _flask_app(root, target) if target else ("", "")
    return flask_command(shlex.quote(app) if "(" in app else app, port, debug), port, problem


def _flask_app(root: Path, value: str) -> tuple[str, str]:
    """FLASK_APP's or --app's value as `flask --app` takes it ("" when flask finds it
    itself), and a problem when its module is not in this folder."""
    module, sep, attr = value.partition(":")
    module = module.removesuffix(".py").replace("/", ".")
    app = module + (sep + attr if attr not in ("", "app", "application") else "")
    problem = _module_problem(root, f"{module}:x", "")
    return ("" if app in ("app", "wsgi") else app), problem


def _module_problem(root: Path, target: str, app_dir: str) -> str:
    """Why `module:attr` cannot be the app here ("" when its module is in the folder)."""
    module = target.partition(":")[0]
    if not module:
        return "no app named"
    for base in ([root / app_dir] if app_dir else [root, root / "src"]):
        path = base / module.replace(".", "/")
        if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file() or path.is_dir():
            return ""
    return f"the module {module} is not in this folder"
