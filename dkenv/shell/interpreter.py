"""The IDE interpreter: `.dkenv/bin/python` (and `python3`, `pip`, `pip3`), plain executable
`sh` files an IDE accepts as "the project interpreter". Each is the shim template in IDE
mode (shell/shim.sh): it runs in the project container from any cwd, with no activated
shell and no dkenv variable, starts the container when needed, and keeps the cwd when the
container has it (the root, the [ide] mounts).

Written by `dkenv up`, `dkenv rehash` and `dkenv ide`; like the shims, a file without
the shim marker (a user's own) is never replaced.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dkenv import fileio
from dkenv.errors import FatalError
from dkenv.project import ide
from dkenv.shell import shims

NAMES = ("python", "python3", "pip", "pip3")
ORIGIN = "ide"


@dataclass
class Result:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_ours: list[str] = field(default_factory=list)  # a file of the user's has the name: left alone


def bin_dir(project) -> Path:
    return project.work_dir / "bin"


def path(project, name: str = "python") -> Path:
    return bin_dir(project) / name


def render(project, name: str, baked: shims.Baked | None = None) -> str:
    return shims.render(project, name, ORIGIN, baked, mode=shims.IDE, mounts=ide.mounts(project.config),
                        env=ide.passed_env(project.config))


def write(project, baked: shims.Baked | None = None) -> Result:
    """Write `.dkenv/bin/{python,python3,pip,pip3}` (and `.dkenv/.gitignore`)."""
    baked = baked or shims.Baked()
    fileio.ensure_work_dir(project.work_dir)
    folder = bin_dir(project)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as e:
        raise FatalError(f"dkenv: cannot create {folder}: {e.strerror}") from None
    result = Result()
    for name in NAMES:
        target = folder / name
        if (target.exists() or target.is_symlink()) and not shims.is_shim(target):
            result.not_ours.append(name)
            continue
        changed = shims.write_script(target, render(project, name, baked))
        (result.written if changed else result.unchanged).append(name)
    return result


def update(project, out) -> Result:
    """Write the interpreter's files (each only when it differs), and say which names a file
    of the user's kept."""
    result = write(project)
    report(project, result, out)
    return result


def report(project, result: Result, out) -> None:
    """One line per file of the user's that kept a name (nothing when all is well)."""
    for name in result.not_ours:
        out(f"dkenv: {path(project, name)} is not dkenv's; left alone (the IDE interpreter needs that name)")
