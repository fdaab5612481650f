"""The code a shell evaluates to activate or deactivate a project (shell/activate.*,
shell/deactivate.*): shims first on PATH, DKENV_PROJECT, DKENV_ACTIVE_NAME, a prompt
prefix; deactivation puts PATH and the prompt back byte for byte.
"""
from __future__ import annotations

from pathlib import Path

from dkenv.shell import shells, templates


def family(shell: str) -> shells.Family:
    """The family whose code `shell` runs (bash, zsh and sh share one script; fish has its own)."""
    return shells.family(shell, "activation code")


def prompt_prefix(name: str) -> str:
    return f"(dkenv:{name}) "


def deactivate_code(shell: str) -> str:
    """Undo an activation; does nothing when no project is active."""
    kind = family(shell)
    return templates.render(kind.deactivate, {}, kind.name)


def activate_code(shell: str, *, root: Path | str, name: str, shims_dir: Path | str, auto: bool = False) -> str:
    """Deactivate whatever is active, then activate this project."""
    kind = family(shell)
    values = {
        "ROOT": str(root),
        "NAME": name,
        "SHIMS": str(shims_dir),
        "PREFIX": prompt_prefix(name),
        "AUTO": "1" if auto else "",
    }
    return deactivate_code(shell) + templates.render(kind.activate, values, kind.name)


def for_project(shell: str, project, *, auto: bool = False) -> str:
    """activate_code for a dkenv.project.project.Project."""
    return activate_code(shell, root=project.root, name=project.name, shims_dir=project.shims_dir, auto=auto)
