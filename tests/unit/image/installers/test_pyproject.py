"""dkenv/image/installers/pyproject.py: PEP 621 dependencies as a requirements file."""
from __future__ import annotations

import textwrap
from pathlib import Path

from dkenv.image.installers import pyproject


def files(root: Path, tree: dict[str, str]) -> None:
    for rel, text in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


# --- requirements_text ---

def test_pyproject_requirements(tmp_path):
    files(tmp_path, {"pyproject.toml": """\
        [project]
        name = "x"
        dependencies = ["django>=4", "requests"]
        [dependency-groups]
        dev = ["pytest", {include-group = "lint"}]
        lint = ["ruff"]
        """})
    assert pyproject.requirements_text(tmp_path) == b"django>=4\nrequests\npytest\n"


def test_pyproject_requirements_empty(tmp_path):
    files(tmp_path, {"pyproject.toml": "[tool.x]\na = 1\n"})
    assert pyproject.requirements_text(tmp_path) == b""


