"""uv: `uv sync` of the locked project into the project venv (`--frozen` with a uv.lock);
a uv workspace's root and members' manifests when the folder is in one (uvworkspace.py).

Extras and groups are uv's own flags: unset, uv's defaults apply (no extras; the `dev`
group, or `[tool.uv] default-groups`); set, `--extra X` for each extra and
`--no-default-groups --group G` for exactly the groups named.

A package added after the sync (the production server) is installed by uv too (`uv pip
install`). A failure is recognised in uv's own words (`recognise`).
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from dkenv import declared
from dkenv.manifests.dependencies import normalize, pyproject_requirements
from dkenv.manifests.workspace import find_workspace
from dkenv.installers import standard
from dkenv.installers.base import Choices, Folder, Found, Inputs, Installer
from dkenv.installers.failures import Diagnosis, find
from dkenv.installers.uvworkspace import uv_inputs
from dkenv.imagepaths import TOOLS, VENV


class Uv(Installer):
    name = "uv"
    priority = 10
    tools = ("uv",)
    manifests = ("pyproject.toml", "uv.lock", ".python-version")
    lock_file = "uv.lock"
    exact_lock = True  # `uv sync` removes what the lock does not hold
    add_command = f"{TOOLS}/bin/uv pip install --python {VENV}/bin/python"

    def claims(self, folder: Folder) -> bool:
        # a lock, or a uv workspace (its root or a member; unlocked, uv sync locks it in the image)
        return declared.path(folder.root / "uv.lock").is_file() or find_workspace(folder.root) is not None

    def read(self, folder: Folder) -> Found:
        workspace = find_workspace(folder.root)
        where = "" if workspace is None or workspace.root == folder.root else f", workspace {workspace.root}"
        notes = [f"dependencies: uv (pyproject.toml and uv.lock{where})"]
        return Found(names=pyproject_requirements(folder.pyproject or {}, folder.pythons, notes), notes=notes)

    def inputs(self, folder: Path, requirements: list[str], detected, *,
               extras: list[str] | None = None, groups: list[str] | None = None) -> Inputs:
        found = uv_inputs(folder)
        found.extras, found.groups = self.select(folder, extras, groups)
        return found

    def lock_folder(self, folder: Path) -> Path:
        """A workspace's lock is at its root, for every member."""
        workspace = find_workspace(folder)
        return workspace.root if workspace is not None else folder

    def choices(self, folder: Folder) -> Choices:
        data = folder.pyproject or {}
        groups = standard.group_names(data)
        uv = data.get("tool", {}).get("uv", {})
        if "dev-dependencies" in uv and "dev" not in map(normalize, groups):
            groups.append("dev")  # uv's legacy [tool.uv] dev-dependencies: the dev group
        default = uv.get("default-groups", ["dev"])
        wanted = {normalize(g) for g in default} if isinstance(default, list) else set()
        default_groups = list(groups) if default == "all" else [g for g in groups if normalize(g) in wanted]
        return Choices(extras=standard.extra_names(data), groups=groups, default_groups=default_groups,
                       extras_from=standard.OPTIONAL, groups_from=standard.GROUPS)

    def steps(self, plan) -> list[str]:
        args = " ".join(shlex.quote(a) for a in plan.install_args or ["--no-install-project"])
        flags = "".join(f" --extra {shlex.quote(e)}" for e in plan.extras or [])
        if plan.groups is not None:
            flags += " --no-default-groups" + "".join(f" --group {shlex.quote(g)}" for g in plan.groups)
        lines = [f"UV_PROJECT_ENVIRONMENT={VENV} UV_PYTHON_DOWNLOADS=never {TOOLS}/bin/uv sync "
                 f"{args}{' --frozen' if plan.locked else ''}{flags} --python {VENV}/bin/python"]
        if plan.editables:  # the project's own packages, editable (uvworkspace.py)
            lines.append(f"{TOOLS}/bin/uv pip install --offline --no-deps --python {VENV}/bin/python "
                         + " ".join(shlex.quote(w) for w in plan.editables))
        return lines

    def newer(self, name: str) -> str:
        return f"update uv.lock: `uv lock --upgrade-package {name}`"

    def recognise(self, lines: list[str]) -> Diagnosis | None:
        hit = find(lines, r"^(?:error|\s*×): Failed to (?:build|download and build|prepare distributions).*?`([^`]+)`")
        if hit:
            return Diagnosis(package=hit[1].group(1), failure="did not install", stage="building it",
                             built=lines[hit[0] + 1:], kind="build")
        hit = find(lines, r"^(?:error|\s*×): No solution found when resolving dependencies")
        if not hit:
            return None
        causes = [re.sub(r"^(cause:|╰─▶|hint:)\s*", "", line.strip()) for line in lines[hit[0] + 1:]
                  if line.strip() and not line.startswith(("warning:", "Using ", "Creating "))]
        missing = find(lines, r"Because (\S+) was not found in the package registry")
        if missing:
            return Diagnosis(package=missing[1].group(1), failure="was not found on the package index",
                             evidence=causes[:1], kind="missing")
        python = find(lines, r"and (\S+) depends on Python\s*([<>=!~]=?[\d.*]+)")
        if python:
            return Diagnosis(package=python[1].group(1), failure="does not support this Python",
                             evidence=[f"it needs Python {python[1].group(2)}"], kind="missing")
        return Diagnosis(failure="the dependencies cannot be resolved", evidence=causes[:3], kind="conflict")
