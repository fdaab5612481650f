"""uv: `uv sync` of the locked project into the project venv (`--frozen` with a uv.lock)."""
from __future__ import annotations

from dkenv.detect.dependencies import pyproject_requirements
from dkenv.image.installers.base import Folder, Found, Installer
from dkenv.image.paths import TOOLS, VENV


class Uv(Installer):
    name = "uv"
    priority = 10
    tools = ("uv",)
    manifests = ("pyproject.toml", "uv.lock", ".python-version")
    lock_file = "uv.lock"

    def claims(self, folder: Folder) -> bool:
        return (folder.root / "uv.lock").is_file()

    def read(self, folder: Folder) -> Found:
        return Found(names=pyproject_requirements(folder.pyproject or {}),
                     notes=["dependencies: uv (pyproject.toml and uv.lock)"])

    def steps(self, plan) -> list[str]:
        return [f"UV_PROJECT_ENVIRONMENT={VENV} UV_PYTHON_DOWNLOADS=never {TOOLS}/bin/uv sync "
                f"--no-install-project{' --frozen' if plan.locked else ''} --python {VENV}/bin/python"]
