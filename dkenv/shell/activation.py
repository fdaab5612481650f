"""The code a shell evaluates to activate or deactivate a project (shell/activate.*,
shell/deactivate.*): shims first on PATH, DKENV_PROJECT, DKENV_ACTIVE_NAME, a prompt
prefix; deactivation puts PATH and the prompt back byte for byte.
"""
from __future__ import annotations

from pathlib import Path

from dkenv.errors import UsageError
from dkenv.shell import templates

# sh-family shells share one script; fish has its own
FAMILY = {"bash": "sh", "zsh": "sh", "sh": "sh", "fish": "fish"}


def family(shell: str) -> str:
    try:
        return FAMILY[shell]
    except KeyError:
        raise UsageError(f"dkenv: no activation code for {shell!r}; use bash, zsh or fish") from None


def prompt_prefix(name: str) -> str:
    return f"(dkenv:{name}) "


def deactivate_code(shell: str) -> str:
    """Undo an activation; does nothing when no project is active."""
    kind = family(shell)
    return templates.render(f"deactivate.{kind}", {}, kind)


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
    return deactivate_code(shell) + templates.render(f"activate.{kind}", values, kind)


def for_project(shell: str, project, *, auto: bool = False) -> str:
    """activate_code for a dkenv.project.project.Project."""
    return activate_code(shell, root=project.root, name=project.name, shims_dir=project.shims_dir, auto=auto)
