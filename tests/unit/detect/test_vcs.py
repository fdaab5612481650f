"""detect/vcs.py: manifests and locks naming a git source put git in image.apt."""
from __future__ import annotations

import pytest

from dkenv.detect import detection, vcs
from tests.unit.conftest import tree


@pytest.mark.parametrize("rel, text", [
    ("requirements.txt", "django\n-e git+https://github.com/o/r.git@v1#egg=r\n"),
    ("requirements.txt", "r @ git+ssh://git@github.com/o/r.git\n"),
    ("pyproject.toml", "[project]\nname = 'x'\ndependencies = ['r']\n[tool.uv.sources]\nr = { git = \"https://h/o/r\" }\n"),
    ("uv.lock", "version = 1\n[[package]]\nname = \"r\"\nsource = { git = \"https://h/o/r?rev=1#abc\" }\n"),
    ("poetry.lock", "[[package]]\nname = \"r\"\n[package.source]\ntype = \"git\"\nurl = \"https://h/o/r\"\n"),
    ("Pipfile.lock", '{"default": {"r": {"git": "https://h/o/r", "ref": "abc"}}}\n'),
])
def test_a_git_source_is_found(tmp_path, rel, text):
    root = tree(tmp_path, {rel: text})
    assert vcs.git_sources(root, ["requirements.txt"] if rel == "requirements.txt" else []) == [rel]


def test_no_git_source_and_comments_or_urls_are_not_one(tmp_path):
    root = tree(tmp_path, {"requirements.txt": "# r @ git+https://h/o/r\ndjango\n",
                           "pyproject.toml": "[project]\nname = 'x'\n[project.urls]\nsource = 'https://github.com/o/x'\n"})
    assert vcs.git_sources(root, ["requirements.txt"]) == []


def test_an_included_requirements_file_counts_and_init_adds_git(tmp_path):
    root = tree(tmp_path, {"requirements.txt": "-r base.txt\n", "base.txt": "r @ git+https://h/o/r\n"})
    assert vcs.git_sources(root, ["requirements.txt"]) == ["base.txt"]
    found = detection.inspect(root)
    assert "git" in found.apt and found.apt_for["git"] == ["the git sources of base.txt"]
    assert any(n.startswith("apt: git for the git sources of base.txt") for n in found.notes)
