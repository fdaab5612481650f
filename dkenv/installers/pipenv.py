"""Pipenv: Pipfile (locked first when there is no Pipfile.lock), exported by `pipenv
requirements` to a requirements file that pip installs into the project venv.

Groups are Pipfile's package categories: `dev` is [dev-packages], any other name a
custom category (a [docs] table). Unset, a development environment gets what `pipenv
install --dev` installs: [packages] and [dev-packages]. Set, [packages] and exactly the
categories named (`pipenv requirements --categories`); `groups = []` is [packages] only.
Pipfiles have no extras of their own.
"""
from __future__ import annotations

import shlex

from dkenv import declared
from dkenv.manifests.dependencies import PIPFILE_TABLES, pipfile_requirements
from dkenv.installers.base import PIP, Choices, Folder, Found, Installer
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
                f"{PIP} -r {EXPORT}"]
