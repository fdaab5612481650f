"""PyCharm (and IntelliJ with the Python plugin): the steps that make `.dkenv/bin/python`
the project interpreter. PyCharm keeps its interpreters in its own per-user settings, not
in the project, so dkenv prints the steps (with this project's paths) instead of writing
files PyCharm owns.
"""
from __future__ import annotations

from dkenv.project import ide
from dkenv.shell import interpreter

JETBRAINS_MARKS = ("JetBrains", "pycharm")


def helpers_mounted(mounts: list[ide.Folder]) -> bool:
    """Whether a mount looks like a PyCharm installation or JetBrains' folders (by the name
    the IDE uses or the folder it leads to)."""
    return any(mark.lower() in path.lower() for folder in mounts for path in folder for mark in JETBRAINS_MARKS)


def steps(project) -> list[str]:
    """The lines `dkenv ide pycharm` prints."""
    python = interpreter.path(project)
    mounts = ide.mounts(project.config)
    lines = [
        f"PyCharm: the interpreter of {project.name} is {python}",
        "1. Settings > Project > Python Interpreter > Add Interpreter > Add Local Interpreter >",
        f"   System Interpreter, and choose {python} (a plain executable; it runs in the container).",
    ]
    if project.config.ide.site_packages:
        site = project.work_dir / "site-packages"
        lines += [
            "2. For code insight on the host: Python Interpreter > Show All > (this interpreter) >",
            f"   Show Interpreter Paths > + {site}",
        ]
    lines += [
        "Run configurations use it as they are: the program runs in the container, at the same path.",
    ]
    if not helpers_mounted(mounts):
        lines += [
            "Note: no PyCharm folder is mounted in the container, so PyCharm's helpers (package list,",
            "test runners) cannot run there: add the folder of your PyCharm installation (the one",
            'holding plugins/) to `[ide] mounts`, e.g. mounts = ["~/apps/pycharm-2024.1"], then `dkenv up`.',
        ]
    return lines
