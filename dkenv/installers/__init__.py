"""Dependency installers, one module each, behind the `Installer` protocol (base.py).

Every module here defining an `Installer` subclass is an installer: `dkenv` finds it,
`image.install` accepts its name, detection asks it whether a folder uses it (in
`priority` order), the Dockerfiles take its tools and install lines from it, a failed
build its words and advice, the production image its main dependencies: everything
about an installer is in its module, asked through `get(name)`. Adding an installer is
adding a module (and its tests). `base.py` (the protocol), `standard.py` (PEP 621 extras
and PEP 735 groups, shared), `failures.py`, `editable.py` and `uvworkspace.py` define none.
"""
from __future__ import annotations

import functools
import importlib
import pkgutil

from dkenv.installers.base import Choices, Folder, Inputs, Installer

__all__ = ["Choices", "Folder", "Inputs", "Installer", "all_installers", "find", "get", "names"]


@functools.lru_cache(maxsize=1)
def all_installers() -> tuple[Installer, ...]:
    """One instance of each installer, in detection order."""
    found = []
    for module in pkgutil.iter_modules(__path__):
        if module.name == "base":
            continue
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        found += [cls() for cls in vars(loaded).values()
                  if isinstance(cls, type) and issubclass(cls, Installer) and cls is not Installer
                  and cls.__module__ == loaded.__name__]
    return tuple(sorted(found, key=lambda i: i.priority))


def names() -> list[str]:
    return [i.name for i in all_installers()]


def get(name: str) -> Installer:
    return next(i for i in all_installers() if i.name == name)


def find(name: str) -> Installer | None:
    """The installer named `name`; None for a name no installer has ("none", "auto")."""
    return next((i for i in all_installers() if i.name == name), None)


def detect(folder: Folder) -> Installer | None:
    """The installer a folder uses: the first, in priority order, that claims it."""
    return next((i for i in all_installers() if i.claims(folder)), None)
