"""dkenv/detect/pythonversion.py: the Python version a project asks for (directly and through detection.inspect)."""
from __future__ import annotations

import pytest

from dkenv.detect import detection, pythonversion
from tests.unit.conftest import tree


@pytest.mark.parametrize("spec, version", [
    (">=3.10,<3.13", "3.10"),
    (">=3.10", "3.10"),
    (">= 3.9, < 4", "3.9"),
    (">=3.6", "3.8"),  # the lowest with an official image
    (">=3.8,!=3.8.*,!=3.9.*", "3.10"),
    ("~=3.11.2", "3.11"),
    ("==3.12.*", "3.12"),
    (">3.12", "3.12"),  # 3.12.1 is > 3.12
    ("^3.11", "3.11"),
    ("~3.10", "3.10"),
    (">=3.8 <3.12", "3.8"),
    ("^3.9 || ^3.12", "3.9"),
    (">=3.15", "3.15"),
    ("*", None),
    ("", None),
    ("python3", None),
])
def test_python_from_spec(spec, version):
    assert pythonversion.python_from_spec(spec) == version


@pytest.mark.parametrize("text, version", [
    ("3.12.1", "3.12"), ("3.12", "3.12"), ("python-3.11.4", "3.11"),
    ("cpython-3.13.0-linux-x86_64-gnu", "3.13"),
    ("pypy3.10", None), ("system", None), ("3", None), ("2.7.18", None),
])
def test_python_from_version(text, version):
    assert pythonversion.python_from_version(text) == version


def test_runtime_txt(tmp_path):
    tree(tmp_path, {"runtime.txt": "python-3.11.4\n"})
    found = detection.inspect(tmp_path)
    assert (found.python, found.python_source) == ("3.11", "runtime.txt")


def test_python_version_file_wins_over_requires_python(tmp_path):
    tree(tmp_path, {".python-version": "# pinned\n3.13\n",
                    "pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.10'\n",
                    "runtime.txt": "python-3.9.1\n"})
    found = detection.inspect(tmp_path)
    assert (found.python, found.python_source) == ("3.13", ".python-version")


def test_unusable_python_version_falls_through_with_a_note(tmp_path):
    tree(tmp_path, {".python-version": "pypy3.10\n", "runtime.txt": "python-3.11.4\n"})
    found = detection.inspect(tmp_path)
    assert (found.python, found.python_source) == ("3.11", "runtime.txt")
    assert any(".python-version" in note and "pypy3.10" in note for note in found.notes)
