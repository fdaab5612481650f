"""Pipenv: Pipfile (locked first when there is no Pipfile.lock), exported by `pipenv
requirements` to a requirements file that pip installs into the project venv.

Groups are Pipfile's package categories: `dev` is [dev-packages], any other name a
custom category (a [docs] table). Unset, a development environment gets what `pipenv
install --dev` installs: [packages] and [dev-packages]. Set, [packages] and exactly the
categories named (`pipenv requirements --categories`); `groups = []` is [packages] only.
Pipfiles have no extras of their own.

A failed `pipenv lock` ("Locking Failed!", then pip's resolver's words) is recognised
as the locking stage (`recognise`); production installs [packages] only.
"""
from __future__ import annotations

import shlex

from pathlib import Path

from dkenv import declared
from dkenv.manifests.dependencies import PIPFILE_TABLES, pipfile_requirements
from dkenv.installers import pip
from dkenv.installers.base import Choices, Folder, Found, Installer
from dkenv.installers.failures import Diagnosis, find
from dkenv.imagepaths import TOOLS

EXPORT = "/tmp/dkenv-pipenv.txt"


def categories(pipfile: dict) -> list[str]:
    """The Pipfile's custom package categories (tables beyond packages and dev-packages)."""
    return [name for name, table in pipfile.items()
            if name not in {*PIPFILE_TABLES, "packages", "dev-packages"} and isinstance(table, dict)]


class Pipenv(Installer):
    name = "pipenv"
    priority = 30
    tools = ("pipenv",)
    manifests = ("Pipfile", "Pipfile.lock")
    lock_file = "Pipfile.lock"
    selects = ("groups",)
    declared_in = "Pipfile"

    def claims(self, folder: Folder) -> bool:
        return folder.pipfile is not None or declared.path(folder.root / "Pipfile.lock").is_file()

    def read(self, folder: Folder) -> Found:
        return Found(names=pipfile_requirements(folder.pipfile or {}, folder.pythons),
                     notes=["dependencies: pipenv (Pipfile)"])

    def choices(self, folder: Folder) -> Choices:
        pipfile = folder.pipfile or {}
        dev = ["dev"] if "dev-packages" in pipfile else []
        return Choices(groups=[*dev, *categories(pipfile)], default_groups=dev,
                       groups_from="Pipfile ([dev-packages] is dev)")

    def steps(self, plan) -> list[str]:
        if plan.groups is None:
            export = "--dev"
        else:
            names = ["packages", *("dev-packages" if g == "dev" else g for g in plan.groups)]
            export = "--categories " + shlex.quote(",".join(names))
        return [f"if [ ! -f Pipfile.lock ]; then {TOOLS}/bin/pipenv lock; fi",
                f"{TOOLS}/bin/pipenv requirements {export} > {EXPORT}",
                f"{self.install_command(plan)} -r {EXPORT}"]

    def newer(self, name: str) -> str:
        return f"update Pipfile.lock: `pipenv update {name}`, or delete Pipfile.lock and dkenv locks again"

    def main_names(self, folder: Path, requirements: list[str], pythons: list[str] | None) -> dict[str, set[str]]:
        """[packages]: no category."""
        return pipfile_requirements({"packages": (Folder.load(folder).pipfile or {}).get("packages", {})}, pythons)

    def recognise(self, lines: list[str]) -> Diagnosis | None:
        hit = find(lines, r"Locking Failed!")
        if not hit:
            return None
        rest = lines[hit[0] + 1:]
        found = pip.missing(rest) or pip.conflict(rest)
        if found is None:
            errors = [line.strip() for line in rest if line.startswith("ERROR")]
            found = Diagnosis(failure="the dependencies cannot be resolved", evidence=errors[:1], kind="conflict")
        found.stage = "locking (pipenv lock)"
        return found
