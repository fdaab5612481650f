"""Poetry: `poetry install --no-root` into the project venv, from pyproject.toml and poetry.lock."""
from __future__ import annotations

from dkenv.detect.dependencies import pyproject_requirements
from dkenv.image.installers.base import Folder, Found, Installer
from dkenv.image.paths import TOOLS


class Poetry(Installer):
    name = "poetry"
    priority = 20
    tools = ("poetry",)
    manifests = ("pyproject.toml", "poetry.lock", "poetry.toml")
    lock_file = "poetry.lock"

    def claims(self, folder: Folder) -> bool:
        return (folder.root / "poetry.lock").is_file() or "poetry" in (folder.pyproject or {}).get("tool", {})

    def read(self, folder: Folder) -> Found:
        lock = " and poetry.lock" if (folder.root / "poetry.lock").is_file() else ""
        return Found(names=pyproject_requirements(folder.pyproject or {}),
                     notes=[f"dependencies: poetry (pyproject.toml{lock})"])

    def steps(self, plan) -> list[str]:
        return [f"POETRY_VIRTUALENVS_CREATE=false {TOOLS}/bin/poetry install --no-root --no-interaction"]
