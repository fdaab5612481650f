"""dkenv/production/dockerignore.py: Docker's .dockerignore rules, and the source they choose."""
from __future__ import annotations

import os

import pytest

from dkenv.production import dockerignore
from dkenv.production.dockerignore import Matcher


@pytest.mark.parametrize("lines, path, excluded", [
    (["data"], "data/pg/base", True),            # a folder's pattern covers what is below it
    (["data"], "app/data/x", False),             # anchored at the root
    (["/data/"], "data/x", True),                # a leading / and a trailing / are the same
    (["*.pyc"], "a.pyc", True),
    (["*.pyc"], "pkg/a.pyc", False),             # * stays in one segment
    (["**/*.pyc"], "pkg/sub/a.pyc", True),
    (["**/__pycache__/"], "pkg/sub/__pycache__/a.pyc", True),
    (["pkg/**"], "pkg/a/b", True),
    (["a?c"], "abc", True),
    (["a?c"], "a/c", False),
    (["[ab].txt"], "b.txt", True),
    (["[^a].txt"], "b.txt", True),   # Go negates with ^
    (["**/.env", "!**/.env.example"], "deploy/.env", True),
    (["**/.env*", "!**/.env.example"], "deploy/.env.example", False),
    (["*", "!src"], "src/app.py", False),         # the last matching line decides
    (["# a comment", "", "   "], "x", False),
    (["docs", "!docs/keep.md", "docs/keep.md"], "docs/keep.md", True),
])
def test_docker_rules(lines, path, excluded):
    assert Matcher(lines).excluded(path) is excluded


def test_source_files_walks_and_prunes(tmp_path):
    for rel in ["app.py", "pkg/mod.py", "pkg/__pycache__/mod.cpython-311.pyc", "data/pg/PG_VERSION", ".env",
                ".env.example", ".git/HEAD", "deploy/.env", "node_modules/x/index.js"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    (tmp_path / "link").symlink_to("app.py")
    os.mkfifo(tmp_path / "fifo")
    files = dockerignore.source_files(tmp_path, dockerignore.DEFAULT_LINES)
    assert files == [".env.example", "app.py", "fifo", "link", "pkg/mod.py"]


def test_missing_required_lines():
    assert dockerignore.missing_required(["data/", ".dkenv", "**/.env"]) == []
    assert dockerignore.missing_required(["data", ".env"]) == [".dkenv/"]
    assert dockerignore.missing_required([]) == ["data/", ".dkenv/", "**/.env"]
