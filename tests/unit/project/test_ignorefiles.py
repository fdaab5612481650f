"""dkenv/project/ignorefiles.py: the .gitignore and .dockerignore lines init adds."""
from __future__ import annotations

import pytest

from dkenv.project import ignorefiles

# --- .gitignore ---

def test_gitignore_is_never_created(tmp_path):
    assert ignorefiles.update_gitignore(tmp_path) == []
    assert not (tmp_path / ".gitignore").exists()


@pytest.mark.parametrize("before, after, added", [
    (b"node_modules/\n", b"node_modules/\ndata/\n.dkenv/\n", ["data/", ".dkenv/"]),
    (b"node_modules/", b"node_modules/\ndata/\n.dkenv/\n", ["data/", ".dkenv/"]),  # no final newline
    (b"", b"data/\n.dkenv/\n", ["data/", ".dkenv/"]),
    (b"/data/\n*.pyc", b"/data/\n*.pyc\n.dkenv/\n", [".dkenv/"]),
    (b"a\r\nb\r\n", b"a\r\nb\r\ndata/\r\n.dkenv/\r\n", ["data/", ".dkenv/"]),
    (b"# caf\xc3\xa9\n.dkenv\ndata\n", b"# caf\xc3\xa9\n.dkenv\ndata\n", []),
])
def test_gitignore_gets_only_the_missing_lines(tmp_path, before, after, added):
    path = tmp_path / ".gitignore"
    path.write_bytes(before)
    assert ignorefiles.update_gitignore(tmp_path) == added
    assert path.read_bytes() == after
    assert ignorefiles.update_gitignore(tmp_path) == []  # a second run adds nothing
    assert path.read_bytes() == after


# --- .dockerignore ---

COMMENT = ignorefiles.DOCKERIGNORE_COMMENT.encode()


@pytest.mark.parametrize("files", [{}, {"Dockerfile": "FROM x\nCOPY . /app\n"}])
def test_a_project_without_one_gets_a_dockerignore_of_the_defaults(tmp_path, files):
    for rel, text in files.items():
        (tmp_path / rel).write_text(text)
    assert ignorefiles.update_dockerignore(tmp_path) == ("created", ignorefiles.DOCKERIGNORE_DEFAULTS)
    lines = (tmp_path / ".dockerignore").read_text().splitlines()
    assert lines[0].startswith("# ") and lines[2:] == ignorefiles.DOCKERIGNORE_DEFAULTS
    assert {"data/", ".dkenv/", "**/.env", ".git/"} <= set(lines)
    assert ignorefiles.update_dockerignore(tmp_path) == ("added", [])  # a second run adds nothing


@pytest.mark.parametrize("before, after, added", [
    (b"*.pyc\n", b"*.pyc\n" + COMMENT + b"\ndata/\n.dkenv/\n**/.env\n", ["data/", ".dkenv/", "**/.env"]),
    (b"*.pyc", b"*.pyc\n" + COMMENT + b"\ndata/\n.dkenv/\n**/.env\n",
     ["data/", ".dkenv/", "**/.env"]),  # no final newline
    (b"/data\n**/.env\n", b"/data\n**/.env\n" + COMMENT + b"\n.dkenv/\n", [".dkenv/"]),
    (b"a\r\nb\r\n", b"a\r\nb\r\n" + COMMENT + b"\r\ndata/\r\n.dkenv/\r\n**/.env\r\n",
     ["data/", ".dkenv/", "**/.env"]),
    (b"data/\n.dkenv\n**/.env\n", b"data/\n.dkenv\n**/.env\n", []),
    (b"*\n!data/\n**/.env\n", b"*\n!data/\n**/.env\n" + COMMENT + b"\n.dkenv/\n", [".dkenv/"]),  # the user's own
])
def test_an_existing_dockerignore_gets_only_the_missing_lines(tmp_path, before, after, added):
    path = tmp_path / ".dockerignore"
    path.write_bytes(before)
    assert ignorefiles.update_dockerignore(tmp_path) == ("added", added)
    assert path.read_bytes() == after
    assert ignorefiles.update_dockerignore(tmp_path) == ("added", [])  # a second run adds nothing
    assert path.read_bytes() == after
