"""uv: `uv sync` of the locked project into the project venv (`--frozen` with a uv.lock).

Extras and groups are uv's own flags: unset, uv's defaults apply (no extras; the `dev`
group, or `[tool.uv] default-groups`); set, `--extra X` for each extra and
`--no-default-groups --group G` for exactly the groups named.
"""
from __future__ import annotations

import shlex

from dkenv.detect.dependencies import normalize, pyproject_requirements
from dkenv.image.installers import standard
from dkenv.image.installers.base import Choices, Folder, Found, Installer
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
        flags = "".join(f" --extra {shlex.quote(e)}" for e in plan.extras or [])
        if plan.groups is not None:
            flags += " --no-default-groups" + "".join(f" --group {shlex.quote(g)}" for g in plan.groups)
        return [f"UV_PROJECT_ENVIRONMENT={VENV} UV_PYTHON_DOWNLOADS=never {TOOLS}/bin/uv sync "
                f"--no-install-project{' --frozen' if plan.locked else ''}{flags} --python {VENV}/bin/python"]
