"""pip with requirements files: the chosen files, every file they include, constraints."""
from __future__ import annotations

import shlex
from pathlib import Path

from dkenv import declared
from dkenv.manifests.requirements import (

    CONSTRAINT_FILES,

    RequirementsReader,

    choose_requirements,

    closure,

    requirement_files,

)
from dkenv.errors import ConfigError
from dkenv.installers.base import PIP, Folder, Found, Inputs, Installer
from dkenv.imagepaths import CONTEXT_MANIFESTS


class Pip(Installer):
    name = "pip"
    priority = 40
    selects = ()  # requirements files have no extras or groups: image.requirements chooses the files

    def claims(self, folder: Folder) -> bool:
        return bool(requirement_files(folder.root))

    def read(self, folder: Folder) -> Found:
        requirements, constraints, reader = chosen(folder.root, folder.pythons)
        notes = [*reader.notes, "dependencies: pip, " + ", ".join(requirements)
                 + "".join(f" (constraints {c})" for c in constraints)]
        return Found(names=reader.requirements, notes=notes, requirements=requirements, constraints=constraints)

    def inputs(self, root: Path, requirements: list[str], detected, *,
               extras: list[str] | None = None, groups: list[str] | None = None) -> Inputs:
        self.select(root, extras, groups)  # a ConfigError when either names something
        constraints: list[str] = []
        if not requirements:  # the files detection chooses, without reading their names
            requirements, constraints, _ = chosen(root)
        if not requirements:
            raise ConfigError("dkenv: image.install is pip but no requirements file was found; "
                              "set image.requirements")
        files = {f"{CONTEXT_MANIFESTS}/{rel}": declared.path(root / rel).read_bytes()
                 for rel in closure(root, requirements + constraints)}
        return Inputs(files=files, requirements=requirements, constraints=constraints)

    def steps(self, plan) -> list[str]:
        args = " ".join(f"-r {shlex.quote(r)}" for r in plan.requirements)
        args += "".join(f" -c {shlex.quote(c)}" for c in plan.constraints)
        return [f"{PIP} {args}"]


def chosen(root: Path, pythons: list[str] | None = None) -> tuple[list[str], list[str], RequirementsReader]:
    """The requirements files a development environment installs, the top-level constraints
    files they do not include already, and the reader that followed them."""
    requirements = choose_requirements(root)
    reader = RequirementsReader(root, pythons).read(*requirements)
    constraints = [c for c in CONSTRAINT_FILES if declared.path(root / c).is_file() and c not in reader.constraints]
    return requirements, constraints, reader
