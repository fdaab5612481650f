"""PEP 621 without a lock: `[project] dependencies`, the chosen extras and the chosen
PEP 735 dependency groups, written as a requirements file that pip installs.

There is no tool whose default to follow, so dkenv's is a development environment's:
the extras named dev, test, tests or testing and the `dev` group (uv's default), those
that exist. The project itself is not installed: its source is mounted at run time,
not copied into the image (`pip install -e .` inside the container when its entry
points are needed).
"""
from __future__ import annotations

from pathlib import Path

from dkenv.manifests.dependencies import normalize, pyproject_requirements
from dkenv.errors import ConfigError
from dkenv.installers import standard
from dkenv.installers.base import Choices, Folder, Found, Inputs, Installer, dev_named, editable_step
from dkenv.imagepaths import CONTEXT_MANIFESTS

GENERATED = "dkenv-requirements.txt"


def requirements_text(data: dict, extras: list[str], groups: list[str]) -> bytes:
    """The requirements file of dependencies, extras and groups (see standard.py)."""
    return "".join(f"{line}\n" for line in standard.requirement_lines(data, extras, groups)).encode()


class Pyproject(Installer):
    name = "pyproject"
    installs_project = True
    priority = 50
    uv_requirements = True

    def claims(self, folder: Folder) -> bool:
        data = folder.pyproject or {}
        project = data.get("project", {})
        return "dependencies" in project or "optional-dependencies" in project or "dependency-groups" in data

    def read(self, folder: Folder) -> Found:
        notes = ["dependencies: pyproject (pyproject.toml)"]
        dynamic = (folder.pyproject or {}).get("project", {}).get("dynamic", [])
        unread = [k for k in ("dependencies", "optional-dependencies") if k in dynamic]
        if unread:
            notes.append(f"pyproject.toml: {' and '.join(unread)} are dynamic (set by the build backend): "
                         "dkenv cannot read them; list them in a requirements file and use install = \"pip\"")
        return Found(names=pyproject_requirements(folder.pyproject or {}, folder.pythons, notes), notes=notes)

    def choices(self, folder: Folder) -> Choices:
        data = folder.pyproject or {}
        extras, groups = standard.extra_names(data), standard.group_names(data)
        return Choices(extras=extras, groups=groups, default_extras=dev_named(extras),
                       default_groups=[g for g in groups if normalize(g) == "dev"],
                       extras_from=standard.OPTIONAL, groups_from=standard.GROUPS)

    def inputs(self, root: Path, requirements: list[str], detected, *,
               extras: list[str] | None = None, groups: list[str] | None = None) -> Inputs:
        folder = Folder.load(root)
        if folder.pyproject is None:
            raise ConfigError("dkenv: image.install is pyproject but pyproject.toml is missing")
        choices = self.choices(folder)
        extras, groups = self.select(root, extras, groups, choices)
        extras = choices.default_extras if extras is None else extras
        groups = choices.default_groups if groups is None else groups
        text = requirements_text(folder.pyproject or {}, extras, groups)
        return Inputs(files={f"{CONTEXT_MANIFESTS}/{GENERATED}": text}, extras=extras, groups=groups)

    def steps(self, plan) -> list[str]:
        return [f"{self.install_command(plan)} -r {GENERATED}", *editable_step(plan)]
