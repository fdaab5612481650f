"""Debugging with debugpy: the command line that runs a program under it, and the VS Code
configuration that attaches to it (ide/vscode.py writes it to launch.json). Pure: no
Docker, no click.

debugpy listens inside the project container on `[debug] port`, which the container
publishes as the same port on run.bind. The source is mounted at the same path inside
and out, so the path mapping is the identity and breakpoints set in the editor match.
"""
from __future__ import annotations

import re
from pathlib import Path

from dkenv.errors import UsageError
from dkenv.imagepaths import VENV
from dkenv.project.project import Project

_PYTHON = re.compile(r"^python(3(\.\d+)?)?$")
LAUNCH_FILE = Path(".vscode") / "launch.json"


def debug_argv(argv: list[str], port: int, wait: bool) -> list[str]:
    """`argv` run under debugpy: `python -m debugpy --listen 0.0.0.0:PORT ... TARGET ARGS`.

    python [-m MODULE | -c CODE | SCRIPT] ARGS keeps its target; a script path (./manage.py,
    app.py) runs as is; a bare name is a console script of the venv (uvicorn, pytest, celery).
    """
    if not argv:
        raise UsageError("dkenv: debug: nothing to run: give a command, or set run.command")
    head = ["python", "-Xfrozen_modules=off", "-m", "debugpy", "--listen", f"0.0.0.0:{port}"]
    if wait:
        head.append("--wait-for-client")
    first, rest = argv[0], argv[1:]
    if _PYTHON.match(first.rsplit("/", 1)[-1]):
        if not rest:
            raise UsageError("dkenv: debug: python needs a script, -m MODULE or -c CODE to debug")
        if rest[0].startswith("-") and rest[0] not in ("-m", "-c"):
            raise UsageError(f"dkenv: debug: the python option {rest[0]} cannot be passed through debugpy; "
                             "give a script, -m MODULE or -c CODE first")
        return head + rest
    if "/" in first or first.endswith(".py"):
        return head + argv
    return head + [f"{VENV}/bin/{first}", *rest]


def attach_host(bind: str) -> str:
    """Where the editor connects: the published address (loopback for a wildcard bind)."""
    return "127.0.0.1" if bind in ("0.0.0.0", "::", "") else bind


def vscode_configuration(project: Project) -> dict:
    """A `launch.json` configuration that attaches VS Code to `dkenv debug`."""
    return {
        "name": f"dkenv: attach to {project.name}",
        "type": "debugpy",
        "request": "attach",
        "connect": {"host": attach_host(project.config.run.bind), "port": project.config.debug.port},
        # the same path inside and out: VS Code puts the same folder on both sides
        "pathMappings": [{"localRoot": "${workspaceFolder}", "remoteRoot": "${workspaceFolder}"}],
        "justMyCode": True,
    }
