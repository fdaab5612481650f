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

from dkenv import declared, fileio
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


def render(project, name: str, baked: shims.Baked | None = None, mounts: list[str] | None = None) -> str:
    mounts = ide.targets(ide.mounts(project.config)) if mounts is None else mounts
    return shims.render(project, name, ORIGIN, baked, mode=shims.IDE, mounts=mounts,
                        env=ide.passed_env(project.config))


def foreign(project) -> list[str]:
    """The names of NAMES in `.dkenv/bin/` held by a file dkenv did not write (a cloned
    repository's own `.dkenv/bin/python`, a link): an IDE pointed there would run it."""
    folder = bin_dir(project)
    return [name for name in NAMES
            if ((folder / name).exists() or (folder / name).is_symlink()) and not shims.is_shim(folder / name)]


def require_ours(project, force: bool, command: str) -> None:
    """Before pointing an IDE at the interpreter: refuse one dkenv did not write (FatalError,
    one line), or with `force` remove it, so that `write` puts dkenv's in its place."""
    names = foreign(project)
    if names and not force:
        raise FatalError(f"dkenv: {path(project, names[0])} is not dkenv's interpreter (the repository's own, "
                         f"or a link); the IDE would run it as the project's Python. Nothing was written: "
                         f"remove it, or `{command} --force` to replace it with dkenv's")
    for name in names:
        fileio.remove(path(project, name))


def write(project, baked: shims.Baked | None = None) -> Result:
    """Write `.dkenv/bin/{python,python3,pip,pip3}` (and `.dkenv/.gitignore`)."""
    baked = baked or shims.Baked()
    fileio.ensure_work_dir(project.work_dir)
    folder = fileio.make_dirs(bin_dir(project))
    result = Result()
    theirs = foreign(project)
    mounts = ide.targets(ide.mounts(project.config))  # the cwds the container has: where it mounts them
    for name in NAMES:
        target = declared.path(folder / name)
        if name in theirs:
            result.not_ours.append(name)
            continue
        changed = shims.write_script(target, render(project, name, baked, mounts))
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
