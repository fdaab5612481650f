"""uv: `uv sync` of the locked project into the project venv (`--frozen` with a uv.lock);
a uv workspace's root and members' manifests when the folder is in one (uvworkspace.py)."""
from __future__ import annotations

import shlex
from pathlib import Path

from dkenv.detect.dependencies import pyproject_requirements
from dkenv.detect.workspace import find_workspace
from dkenv.image.installers.base import Folder, Found, Inputs, Installer
from dkenv.image.installers.uvworkspace import uv_inputs
from dkenv.image.paths import TOOLS, VENV


class Uv(Installer):
    name = "uv"
    priority = 10
    tools = ("uv",)
    manifests = ("pyproject.toml", "uv.lock", ".python-version")
    lock_file = "uv.lock"

    def claims(self, folder: Folder) -> bool:
        # a lock, or a uv workspace (its root or a member; unlocked, uv sync locks it in the image)
        return (folder.root / "uv.lock").is_file() or find_workspace(folder.root) is not None

    def read(self, folder: Folder) -> Found:
        workspace = find_workspace(folder.root)
        where = "" if workspace is None or workspace.root == folder.root else f", workspace {workspace.root}"
        return Found(names=pyproject_requirements(folder.pyproject or {}),
                     notes=[f"dependencies: uv (pyproject.toml and uv.lock{where})"])

    def inputs(self, folder: Path, requirements: list[str], detected) -> Inputs:
        return uv_inputs(folder)

    def steps(self, plan) -> list[str]:
        args = " ".join(shlex.quote(a) for a in plan.install_args or ["--no-install-project"])
        lines = [f"UV_PROJECT_ENVIRONMENT={VENV} UV_PYTHON_DOWNLOADS=never {TOOLS}/bin/uv sync "
                 f"{args}{' --frozen' if plan.locked else ''} --python {VENV}/bin/python"]
        if plan.editables:  # the project's own packages, editable (uvworkspace.py)
            lines.append(f"{TOOLS}/bin/uv pip install --offline --no-deps --python {VENV}/bin/python "
                         + " ".join(shlex.quote(w) for w in plan.editables))
        return lines
