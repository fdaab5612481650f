"""The lock dkenv resolved in the image, back into the project (`dkenv lock`).

A project whose installer keeps a lock (poetry.lock, uv.lock, Pipfile.lock, pdm.lock) but
has none gets one made in the image build (`poetry lock`, `uv sync`, `pipenv lock`, `pdm
lock`, in the build folder): what the image installed. `lock_of` says which file that is,
in the image and in the project (the installer's `lock_folder`: a uv workspace's root);
`refusal` keeps dkenv from writing over a lock it did not write (`--force` lets it);
`copy_out` copies the file out of the built image through the Engine; `note` is what
`dkenv up` says when its image resolved without a lock. The lock is written as the
installer writes it, byte for byte: nothing is added to a format that is not dkenv's.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dkenv import fileio, installers
from dkenv.errors import FatalError
from dkenv.imagepaths import BUILD_DIR


@dataclass(frozen=True)
class ResolvedLock:
    name: str  # the installer's lock file: "poetry.lock"
    in_image: str  # where the build leaves it: /tmp/dkenv-build/poetry.lock
    target: Path  # where it belongs in the project
    resolved: bool  # the image resolves it (the context had none); False: it installs the project's


def lock_of(plan, folder: Path) -> ResolvedLock | None:
    """The lock of the image of `plan`: resolved in it when its context had none; None when
    its installer keeps no lock file."""
    installer = installers.find(plan.install)
    if installer is None or not installer.lock_file:
        return None
    name = installer.lock_file
    return ResolvedLock(name, f"{BUILD_DIR}/{name}", installer.lock_folder(folder) / name, not plan.locked)


def no_lock_file(plan) -> str:
    """Why `dkenv lock` has nothing to write for `plan` (lock_of() is None): one line."""
    return (f'dkenv: install = "{plan.install}" keeps no lock file: nothing to write '
            f"(the image installs what the project's files name)")


def refusal(found: ResolvedLock, force: bool) -> str | None:
    """The line that refuses to write over a lock file the project has (dkenv did not write
    it); None when the target is free or `force`."""
    if force or not os.path.lexists(found.target):
        return None
    return (f"dkenv: {shown(found.target)} exists and dkenv did not write it; it was left as it is "
            f"(`dkenv lock --force` replaces it with a lock resolved anew in the image)")


def copy_out(engine, image: str, found: ResolvedLock) -> bytes:
    """The lock's content in the built image `image`."""
    content = engine.image_file(image, found.in_image)
    if content is None:
        raise FatalError(f"dkenv: the image {image} has no {found.in_image}: its build made no {found.name}")
    return content


def write(found: ResolvedLock, content: bytes) -> None:
    """The lock into the project, replaced whole, never through a link (fileio.write_atomic)."""
    fileio.write_atomic(found.target, content)


def note(plan, folder: Path) -> str | None:
    """What `dkenv up` says last when its image resolved without a lock."""
    found = lock_of(plan, folder)
    if found is None or not found.resolved:
        return None
    return (f"dkenv: note: there is no {found.name}: the image resolved the versions itself; "
            f"`dkenv lock` writes its {found.name} into the project, and the next `dkenv up` installs from it")


def shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
