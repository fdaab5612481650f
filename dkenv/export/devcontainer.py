"""`.devcontainer/devcontainer.json` for Dev Containers (VS Code, the `devcontainer` CLI):
the project image built from `.dkenv/` (the same Dockerfile and context as `dkenv build`),
the folder mounted at the same path (`${localWorkspaceFolder}` on both sides), the host
user (the image already has its UID, so no UID rewrite), the app's env, ports to forward.

With services, it is Compose-based instead: `.devcontainer/compose.yaml` (compose.py)
holds the project container `app` and its services, and the editor attaches to `app`.
Pure: documents as dicts, written as JSON with a comment line (the format allows it)."""
from __future__ import annotations

import json

from dkenv import fileio
from dkenv.engine.spec import ContainerSpec
from dkenv.imagepaths import HISTORY_DIR, VENV
from dkenv.image.plan import BuildInputs
from dkenv.project.project import Project

WORKSPACE = "${localWorkspaceFolder}"
COMPOSE_FILE = "compose.yaml"  # beside devcontainer.json


def document(project: Project, inputs: BuildInputs, app: ContainerSpec, *, compose: bool) -> dict:
    """The devcontainer.json content; `app` is the project container's spec."""
    doc: dict = {"name": f"{project.name} (dkenv)"}
    if compose:
        doc.update({"dockerComposeFile": [COMPOSE_FILE], "service": app.role,
                    "workspaceFolder": str(project.root), "shutdownAction": "stopCompose"})
    else:
        doc.update({
            "build": {"dockerfile": "../.dkenv/Dockerfile", "context": "../.dkenv"},
            "workspaceMount": f"source={WORKSPACE},target={WORKSPACE},type=bind",
            "workspaceFolder": WORKSPACE,
            "mounts": [f"source={WORKSPACE}/data/dkenv/history,target={HISTORY_DIR},type=bind"],
            "init": True,
            "containerEnv": _env(project, app),
        })
        if project.config.run.env_file:
            doc["runArgs"] = ["--env-file", f"{WORKSPACE}/{project.config.run.env_file}"]
    user = inputs.image.user
    doc["remoteUser"] = user.name if user.uid else "root"
    doc["updateRemoteUserUID"] = False  # the image's user has the host's UID and GID already
    ports = sorted({p.container for p in app.ports})
    if ports:
        doc["forwardPorts"] = ports
    doc["customizations"] = {"vscode": {
        "settings": {"python.defaultInterpreterPath": f"{VENV}/bin/python"},
        "extensions": ["ms-python.python"]}}
    return doc


def _env(project: Project, app: ContainerSpec) -> dict[str, str]:
    """The app's variables, paths as the folder opened; those of run.env_file go by --env-file."""
    root = str(project.root)
    from_file = {}
    if project.config.run.env_file:
        from dkenv.project import envfile

        from_file = envfile.load(project.root / project.config.run.env_file)
    run_env = project.config.run.env
    return {k: (WORKSPACE if v == root else v) for k, v in app.env.items()
            if k in run_env or from_file.get(k) != v}


def render(doc: dict) -> str:
    return (f"// {fileio.MARK} (`dkenv export devcontainer`) from .dkenv.toml: export again after changing it.\n"
            + json.dumps(doc, indent=2) + "\n")
