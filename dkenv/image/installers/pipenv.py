"""Pipenv: Pipfile (locked first when there is no Pipfile.lock), exported with its
[dev-packages] to a requirements file that pip installs into the project venv."""
from __future__ import annotations

from dkenv.detect.dependencies import pipfile_requirements
from dkenv.image.installers.base import PIP, Folder, Found, Installer
from dkenv.image.paths import TOOLS


class Pipenv(Installer):
    name = "pipenv"
    priority = 30
    tools = ("pipenv",)
    manifests = ("Pipfile", "Pipfile.lock")
    lock_file = "Pipfile.lock"

    def claims(self, folder: Folder) -> bool:
        return folder.pipfile is not None or (folder.root / "Pipfile.lock").is_file()

    def read(self, folder: Folder) -> Found:
        return Found(names=pipfile_requirements(folder.pipfile or {}), notes=["dependencies: pipenv (Pipfile)"])

    def steps(self, plan) -> list[str]:
        return [f"if [ ! -f Pipfile.lock ]; then {TOOLS}/bin/pipenv lock; fi",
                f"{TOOLS}/bin/pipenv requirements --dev > /tmp/dkenv-pipenv.txt",
                f"{PIP} -r /tmp/dkenv-pipenv.txt"]
