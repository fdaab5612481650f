"""PEP 621 `pyproject.toml` without a lock: [project] dependencies (+ the `dev` dependency
group), written as a requirements file and installed with pip."""
from __future__ import annotations

from pathlib import Path

from dkenv import tomltext
from dkenv.detect.dependencies import pyproject_requirements
from dkenv.image.installers.base import PIP, Folder, Found, Inputs, Installer
from dkenv.image.paths import CONTEXT_MANIFESTS

GENERATED = "dkenv-requirements.txt"


def requirements_text(root: Path) -> bytes:
    """PEP 621 dependencies (+ the `dev` dependency group) as a requirements file."""
    data = tomltext.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    deps = list(data.get("project", {}).get("dependencies", []))
    deps += [d for d in data.get("dependency-groups", {}).get("dev", []) if isinstance(d, str)]
    return ("".join(f"{d}\n" for d in deps)).encode()


class Pyproject(Installer):
    name = "pyproject"
    priority = 50

    def claims(self, folder: Folder) -> bool:
        data = folder.pyproject or {}
        return "dependencies" in data.get("project", {}) or "dependency-groups" in data

    def read(self, folder: Folder) -> Found:
        return Found(names=pyproject_requirements(folder.pyproject or {}),
                     notes=["dependencies: pyproject (pyproject.toml)"])

    def inputs(self, root: Path, requirements: list[str], detected) -> Inputs:
        return Inputs(files={f"{CONTEXT_MANIFESTS}/{GENERATED}": requirements_text(root)})

    def steps(self, plan) -> list[str]:
        return [f"{PIP} -r {GENERATED}"]
