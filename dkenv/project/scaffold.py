"""The commented `.dkenv.toml` that `dkenv init` writes, from what detection found.
Pure text in, text out (the ignore files are ignorefiles.py's)."""
from __future__ import annotations

import sys
import textwrap

from dkenv import __version__
from dkenv.detect.detection import Detection
from dkenv.detect.production import Server
from dkenv.project.config import DEFAULT_SHIMS
from dkenv.project.scaffoldimage import image_toml, toml_list, toml_string
from dkenv.project.scaffoldprod import production_toml


def default_base(python: str) -> str:
    """An official Python image: python_from "auto" then resolves to "image"."""
    from dkenv.detect.basepython import official_image

    return official_image(python)


def render_config(detection: Detection, *, name: str, base: str | None = None, python: str | None = None,
                  python_reason: str = "", services_toml: list[str] | None = None,
                  env: dict[str, str] | None = None, ports: list[str] | None = None,
                  debug_port: int = 5678, production: Server | None = None, production_port: int = 8000) -> str:
    """The text of a commented `.dkenv.toml` for what `detection` found.

    `python` is the X.Y chosen (commands/init.py says why in `python_reason`); None with a
    `base` leaves it unset (the image's own), None without one is the running
    interpreter's X.Y. `base` defaults to python:X.Y-slim-trixie (basepython.official_image); `services_toml` are
    [services.NAME] blocks appended as they are; `env` is run.env (values pointing the
    app at the services); `ports` the run.ports to write (default: the detected ones, each
    on the same host port) and `debug_port` debugpy's (commands/init.py picks free ones);
    `production` the server dkenv chose (detect/production.py), listening on `production_port`.
    """
    if python is None and base is None:
        python = "%d.%d" % sys.version_info[:2]
    base = base or default_base(python)
    parts = [_header(detection), _project(name), image_toml(detection, base, python, python_reason),
             _run(detection, env or {}, ports),
             _shims(), _debug(debug_port), _ide(), production_toml(production, production_port),
             _services(services_toml or [])]
    return "\n".join(parts)


def _header(detection: Detection) -> str:
    lines = [
        f"# dkenv project file, written by `dkenv init` (dkenv {__version__})",
        "# Every key is optional: a commented-out key shows its default. After an edit,",
        "# `dkenv up` applies it, rebuilding the image when needed.",
    ]
    if detection.notes:
        lines += ["#", "# What `dkenv init` found:"]
        lines += [f"#   {note}".replace("\n", " ") for note in detection.notes]
    return "\n".join(lines) + "\n"


def _project(name: str) -> str:
    return (
        "[project]\n"
        "# Names the container (dkenv-NAME), its image and its network: unique per machine.\n"
        f"name = {toml_string(name)}\n"
    )


def _run(detection: Detection, env: dict[str, str], ports: list[str] | None) -> str:
    where = f" in {detection.workdir}/" if detection.workdir else ""
    lines = ["[run]", f"# What `dkenv run` runs in the project container, in the foreground{where},",
             '# e.g. "python -m myapp".']
    lines += _command_lines(detection)
    lines.append('# Container ports published on the host: 8000, or "8001:8000" for host:container.')
    ports = [str(p) for p in detection.ports] if ports is None else ports
    if ports:
        lines.append("ports = [" + ", ".join(p if p.isdigit() else toml_string(p) for p in ports) + "]")
    else:
        lines.append("# ports = []")
    lines += [
        '# The host address ports are published on; "0.0.0.0" opens them to the network.',
        '# bind = "127.0.0.1"',
        '# Environment variables of the project container, e.g. { DEBUG = "1" }.',
    ]
    if env:
        lines += [f"# {detection.env_file or '.env'} names localhost, which in the container is the container itself:",
                  "# these point at the services instead.",
                  "env = { " + ", ".join(f"{k} = {toml_string(v)}" for k, v in env.items()) + " }"]
    else:
        lines.append("# env = {}")
    lines.append('# A file of KEY=VALUE lines (e.g. ".env") added to the environment; run.env wins.')
    lines.append(f"env_file = {toml_string(detection.env_file)}" if detection.env_file else '# env_file = ""')
    lines += [
        "# What the host runs by itself is read-only in the container when present at `dkenv up`:",
        "# .dkenv/ always; .git, .vscode, .idea, .devcontainer, .envrc unless listed in writable.",
        '# More paths of the project, e.g. [".pre-commit-config.yaml"]:',
        "# read_only = []",
        "# writable = []",
        "# The container engine lent to the container, for tests that start containers (testcontainers):",
        "# control of the engine (root on this machine for a rootful engine).",
        "# docker = false",
    ]
    return "\n".join(lines) + "\n"


def _command_lines(detection: Detection) -> list[str]:
    """run.command: where it came from; a guess commented, with why (detect/runs.py)."""
    if not detection.command:
        return ['# command = ""']
    if detection.command_guess:
        why = f"{detection.command_from}; {detection.command_guess}" if detection.command_from else \
            detection.command_guess
        return [*_wrapped(f"A guess, left commented ({why}):"), f"# command = {toml_string(detection.command)}"]
    lines = _wrapped(f"From {detection.command_from}.") if detection.command_from else []
    return lines + [f"command = {toml_string(detection.command)}"]


def _wrapped(text: str) -> list[str]:
    return ["# " + line for line in textwrap.wrap(text.replace("\n", " "), 86, break_on_hyphens=False)]


def _shims() -> str:
    return (
        "[shims]\n"
        "# The commands `dkenv activate` routes into the container.\n"
        f"# commands = {toml_list(DEFAULT_SHIMS)}\n"
        "# Also route the console scripts installed in the venv (`dkenv rehash` after adding some).\n"
        "# venv_scripts = true\n"
        "# Console scripts never routed (besides sudo, git, ssh, docker, ls... which never are).\n"
        "# exclude = []\n"
    )


def _debug(port: int) -> str:
    return (
        "[debug]\n"
        "# `dkenv debug` runs run.command (or any command) under debugpy listening on this port,\n"
        "# published on run.bind for VS Code to attach (`dkenv debug --vscode` writes launch.json).\n"
        "# 0 turns it off (then debugpy is not installed). Two projects up at once need two ports.\n"
        f"port = {port}\n"
        "# Wait for the debugger to attach before running.\n"
        "# wait = false\n"
    )


def _ide() -> str:
    return (
        "[ide]\n"
        "# `.dkenv/bin/python` is the project interpreter for VS Code, PyCharm... (`dkenv ide vscode`).\n"
        "# Folders of the IDEs' helper scripts, mounted read-only at the same path; by default\n"
        "# those of VS Code, Cursor and PyCharm found on this machine.\n"
        '# mounts = ["~/.vscode/extensions", "~/.vscode-server", "~/.local/share/JetBrains"]\n'
        "# Variables passed from the IDE's environment (besides PYTHONPATH and the other Python ones).\n"
        "# env = []\n"
        "# Copy the venv's site-packages to .dkenv/site-packages for the IDE's analysis on the host.\n"
        "# site_packages = true\n"
    )


def _services(blocks: list[str]) -> str:
    lines = [
        "# Services: containers on the project's network, reachable at their name as host name;",
        "# their data persists in data/NAME. `dkenv services` lists the catalog.",
    ]
    if not blocks:
        lines += ["# [services.db]", '# template = "postgres"']
        return "\n".join(lines) + "\n"
    text = "\n".join(lines) + "\n"
    for block in blocks:
        text += block if block.endswith("\n") else block + "\n"
    return text
