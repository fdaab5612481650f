"""Shared by the installer tests: project folders from text, and an ImagePlan to render steps from."""
from __future__ import annotations

import textwrap
from pathlib import Path

from dkenv import hostuser
from dkenv.image.dockerfile import ImagePlan
from dkenv.installers import Folder

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"


def files(root: Path, tree: dict[str, str]) -> Path:
    for rel, text in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def folder(root: Path, tree: dict[str, str] | None = None) -> Folder:
    return Folder.load(files(root, tree or {}))


def plan(install: str, **kw) -> ImagePlan:
    return ImagePlan(base="python:3.11-slim-bookworm", python="3.11", python_from="image", install=install,
                     user=hostuser.User(name="dev", uid=1000, gid=1000), **kw)


def no_detection():
    raise AssertionError("detection is not needed here")
