"""What a project already says about how it runs, read from its own files, in this order
(docs/projects.md, "How the app runs"):

1. `Procfile`: the `web:` process;
2. its compose files (`compose*.yaml`, `docker-compose*.yml`; override and dev files
   first, as Compose applies them last): the `command` of a service built from this folder
   or mounting it;
3. its `Dockerfile` (then `Dockerfile.*`, `*.Dockerfile`): the last stage's ENTRYPOINT and
   CMD; an entrypoint script of the project is read for the server it starts;
4. its `Makefile`: the recipes of `run`, `serve`, `server`, `runserver`, `dev`, `start`, `web`;
5. its README: the lines of its code blocks that start a server;
6. `[project.scripts]` (or Poetry's): a console script named like a server (serve, run...).

Plus FLASK_APP, from `.flaskenv`, `.env`, the Dockerfile's ENV or a compose `environment`.
Only this folder's files are read, never run. Commands that start containers (`docker
compose up`) are not how the app runs inside one, and are skipped.
"""
from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from dkenv import dockerstages, fileio
from dkenv.detect import composefiles
from dkenv.detect import launch as launches
from dkenv.detect.launch import Launch

NONE = ("", "")
MAKE_TARGETS = ("run", "serve", "server", "runserver", "dev", "start", "web")
_NOT_THE_APP = {"docker", "docker-compose", "podman", "podman-compose", "kubectl", "npm", "yarn", "pnpm", "npx",
                "make", "cd", "echo", "pip", "pytest", "git"}


@dataclass(frozen=True)
class Declared:
    source: str  # "Procfile (web)", "Dockerfile CMD"...
    launch: Launch


def read(root: Path, notes: list[str], within: Path | None = None) -> tuple[list[Declared], tuple[str, str]]:
    """The commands the project declares, in the order above, and its FLASK_APP with the
    file that sets it (("", "") for none). `within`: the project root when `root` is the app's
    folder below it, whose compose files (and those between) may build the app
    (`build: ./backend`)."""
    found: list[Declared] = []
    flask_app = _flask_app_files(root)
    compose = lambda folder, said: _compose(folder, said, within)  # noqa: E731 - the one reader told more
    for reader in (_procfile, compose, _dockerfiles, _makefile, _readme, _scripts):
        got, app = reader(root, notes)
        found += [d for d in got if d.launch.text.split(" ", 1)[0].rsplit("/", 1)[-1] not in _NOT_THE_APP]
        flask_app = flask_app if flask_app[0] else app
    return found, flask_app


def _declared(source: str, command: str) -> list[Declared]:
    found = launches.read(command)
    return [Declared(source, found)] if found else []


def _procfile(root: Path, notes) -> tuple[list[Declared], tuple[str, str]]:
    for line in fileio.text_or_empty(root / "Procfile").splitlines():
        name, sep, command = line.partition(":")
        if sep and name.strip() == "web":
            return _declared("Procfile (web)", command.strip()), NONE
    return [], NONE


def _flask_app_files(root: Path) -> tuple[str, str]:
    for name in (".flaskenv", ".env"):
        m = re.search(r"""^\s*(?:export\s+)?FLASK_APP\s*=\s*["']?([^"'\s#]+)""", fileio.text_or_empty(root / name),
                      re.MULTILINE)
        if m:
            return m.group(1), name
    return "", ""


def _compose(root: Path, notes, within: Path | None = None) -> tuple[list[Declared], tuple[str, str]]:
    """The app's folder's compose files, then those of the folders above it up to `within`
    (each with the app's folder relative to it)."""
    found, flask_app = [], NONE
    folders = _folders_up(root, within)
    for folder, app in folders:
        found_here, flask_here = _compose_in(folder, app, notes if folder == root else [], folders[-1][0])
        found += found_here
        flask_app = flask_app if flask_app[0] else flask_here
    return found, flask_app


def _folders_up(root: Path, within: Path | None) -> list[tuple[Path, str]]:
    """(folder, the app's folder relative to it): `root` itself, then each folder above it up
    to `within` when `root` is inside it."""
    pairs, folder = [(root, ".")], root
    if within is None or not root.is_relative_to(within):
        return pairs
    while folder != within:
        folder = folder.parent
        pairs.append((folder, root.relative_to(folder).as_posix()))
    return pairs


def _compose_in(folder: Path, app: str, notes, project: Path) -> tuple[list[Declared], tuple[str, str]]:
    found, flask_app = [], NONE
    for path in composefiles.compose_files(folder):
        for name, service in composefiles.compose_services(path, notes).items():
            if not composefiles.builds_here(service, app, folder, project):
                continue
            env = composefiles.service_env(service)
            if not flask_app[0] and isinstance(env.get("FLASK_APP"), str):
                flask_app = (env["FLASK_APP"], f"{path.name} (services.{name}.environment)")
            command = command_words(service.get("command"))
            if command:
                found += _declared(f"{path.name} (services.{name}.command)", command)
    return found, flask_app


def command_words(command) -> str:
    """A compose or exec-form command as one shell line."""
    if isinstance(command, str):
        return command
    if isinstance(command, list) and all(isinstance(w, str) for w in command):
        if command[:2] in (["sh", "-c"], ["bash", "-c"], ["/bin/sh", "-c"], ["/bin/bash", "-c"]) and len(command) > 2:
            return command[2]
        return shlex.join(command)
    return ""


def _dockerfiles(root: Path, notes) -> tuple[list[Declared], tuple[str, str]]:
    paths = [root / "Dockerfile"] + sorted(set(root.glob("Dockerfile.*")) | set(root.glob("*.Dockerfile")))
    found, flask_app = [], NONE
    for path in paths:
        text = fileio.text_or_empty(path)
        if not text:
            continue
        entrypoint, cmd, workdir, env = _last_stage(text)
        if not flask_app[0] and env.get("FLASK_APP"):
            flask_app = (env["FLASK_APP"], f"{path.name} (ENV)")
        if _is_script(entrypoint) and cmd:  # an entrypoint script ends with `exec "$@"`: CMD is the app
            found += _declared(f"{path.name} CMD", cmd)
        elif _is_script(entrypoint):
            script = _script(root, entrypoint, workdir)
            found += _script_lines(script, f"{path.name} ENTRYPOINT ({script.name})") if script else []
        elif entrypoint or cmd:
            what = " and ".join(n for n, v in (("ENTRYPOINT", entrypoint), ("CMD", cmd)) if v)
            found += _declared(f"{path.name} {what}", f"{entrypoint} {cmd}".strip())
    return found, flask_app


def _last_stage(text: str) -> tuple[str, str, str, dict[str, str]]:
    """The final stage's ENTRYPOINT, CMD (each as a shell line), WORKDIR and ENV, with what it
    inherits from the stages it is built on (`FROM base AS app`)."""
    entrypoint = cmd = workdir = ""
    env: dict[str, str] = {}
    for instruction in (i for stage in dockerstages.lineage(dockerstages.parse(text)) for i in stage.instructions):
        instruction_word, _, rest = instruction.partition(" ")
        keyword, rest = instruction_word.upper(), rest.strip()
        if keyword in ("CMD", "ENTRYPOINT"):
            value = _exec_form(rest)
            if keyword == "CMD":
                cmd = value
            else:
                entrypoint, cmd = value, ""  # a new ENTRYPOINT resets CMD, as Docker does
        elif keyword == "WORKDIR":
            workdir = rest
        elif keyword == "ENV":
            pairs = re.findall(r"""(\w+)=("[^"]*"|'[^']*'|\S+)""", rest) or (
                [tuple(rest.split(None, 1))] if len(rest.split(None, 1)) == 2 else [])
            env.update({k: v.strip("\"'") for k, v in pairs})
    return entrypoint, cmd, workdir, env


def _exec_form(rest: str) -> str:
    if rest.startswith("["):
        try:
            words = json.loads(rest)
        except ValueError:
            return rest
        if isinstance(words, list):
            return command_words([str(w) for w in words])
    return rest


def _script_word(entrypoint: str) -> str:
    words = entrypoint.split()
    if words[:1] in (["sh"], ["bash"], ["/bin/sh"], ["/bin/bash"]):
        words = words[1:]
    return words[0] if words and re.search(r"\.sh$|entrypoint|boot|start", words[0]) else ""


def _is_script(entrypoint: str) -> bool:
    return bool(_script_word(entrypoint))


def _script(root: Path, entrypoint: str, workdir: str) -> Path | None:
    """The project's script an ENTRYPOINT runs (`./boot.sh`, `/app/start.sh` from WORKDIR /app)."""
    name = _script_word(entrypoint)
    if workdir and name.startswith(workdir.rstrip("/") + "/"):
        name = name[len(workdir.rstrip("/")) + 1:]
    candidate = root / name.lstrip("./") if not name.startswith("/") else root / Path(name).name
    return candidate if candidate.is_file() else None


def _script_lines(script: Path, source: str) -> list[Declared]:
    lines = fileio.text_or_empty(script).splitlines()
    found = [d for line in lines if line.strip() and not line.lstrip().startswith("#")
             for d in _declared(source, line.strip()) if d.launch.server]
    return found[-1:]


def _makefile(root: Path, notes) -> tuple[list[Declared], tuple[str, str]]:
    text = fileio.text_or_empty(root / "Makefile") or fileio.text_or_empty(root / "makefile")
    variables = dict(re.findall(r"^([A-Za-z_]\w*)\s*[:?]?=\s*(.*?)\s*$", text, re.MULTILINE))
    found = []
    for target in MAKE_TARGETS:
        m = re.search(rf"^{target}\s*:(?!=)[^\n]*\n((?:\t[^\n]*\n?)+)", text, re.MULTILINE)
        if not m:
            continue
        for line in m.group(1).splitlines():
            line = re.sub(r"\$[({](\w+)[)}]", lambda v: variables.get(v.group(1), ""), line.strip().lstrip("@-"))
            found += [d for d in _declared(f"Makefile ({target})", line.replace("$$", "$")) if d.launch.server]
    return found, NONE


def _readme(root: Path, notes) -> tuple[list[Declared], tuple[str, str]]:
    readme = next((p for p in sorted(root.glob("README*")) if p.is_file()), None)
    if readme is None:
        return [], NONE
    found, fenced = [], False
    for line in fileio.text_or_empty(readme).splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or line.startswith(("    ", "\t")) or line.lstrip().startswith("$ "):
            command = re.sub(r"^\s*(\$|>)\s+", "", line).strip()
            found += [d for d in _declared(readme.name, command) if d.launch.server]
    return found[:1], NONE


def _scripts(root: Path, notes) -> tuple[list[Declared], tuple[str, str]]:
    from dkenv import tomltext

    try:
        doc = tomltext.loads(fileio.text_or_empty(root / "pyproject.toml") or "")
    except ValueError:
        return [], NONE
    scripts = {**doc.get("tool", {}).get("poetry", {}).get("scripts", {}), **doc.get("project", {}).get("scripts", {})}
    names = [n for n in scripts if re.search(r"(^|[-_])(serve|server|run|runserver|start|web|dev)($|[-_])", n)]
    return [Declared(f"pyproject.toml (scripts: {n} = {scripts[n]!r})", Launch("", n)) for n in names[:1]], NONE
