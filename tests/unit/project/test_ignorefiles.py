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


@pytest.mark.parametrize("files", [{}, {"docker-compose.yml": "x"}, {"dockerfiles/Dockerfile": "FROM x"}])
def test_dockerignore_is_not_created_without_a_dockerfile_at_the_root(tmp_path, files):
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    assert ignorefiles.update_dockerignore(tmp_path) == []
    assert not (tmp_path / ".dockerignore").exists()


@pytest.mark.parametrize("dockerfile", ["Dockerfile", "Dockerfile.dev", "web.Dockerfile"])
def test_a_project_with_a_dockerfile_gets_a_dockerignore(tmp_path, dockerfile):
    (tmp_path / dockerfile).write_text("FROM python:3.12\nCOPY . /app\n")
    assert ignorefiles.update_dockerignore(tmp_path) == ["data/", ".dkenv/"]
    assert (tmp_path / ".dockerignore").read_bytes() == COMMENT + b"\ndata/\n.dkenv/\n"
    assert ignorefiles.update_dockerignore(tmp_path) == []


@pytest.mark.parametrize("before, after, added", [
    (b"*.pyc\n", b"*.pyc\n" + COMMENT + b"\ndata/\n.dkenv/\n", ["data/", ".dkenv/"]),
    (b"*.pyc", b"*.pyc\n" + COMMENT + b"\ndata/\n.dkenv/\n", ["data/", ".dkenv/"]),  # no final newline
    (b"/data\n", b"/data\n" + COMMENT + b"\n.dkenv/\n", [".dkenv/"]),
    (b"a\r\nb\r\n", b"a\r\nb\r\n" + COMMENT + b"\r\ndata/\r\n.dkenv/\r\n", ["data/", ".dkenv/"]),
    (b"data/\n.dkenv\n", b"data/\n.dkenv\n", []),
    (b"*\n!data/\n", b"*\n!data/\n" + COMMENT + b"\n.dkenv/\n", [".dkenv/"]),  # the user's own decision
])
def test_an_existing_dockerignore_gets_only_the_missing_lines(tmp_path, before, after, added):
    path = tmp_path / ".dockerignore"
    path.write_bytes(before)
    assert ignorefiles.update_dockerignore(tmp_path) == added
    assert path.read_bytes() == after
    assert ignorefiles.update_dockerignore(tmp_path) == []  # a second run adds nothing
    assert path.read_bytes() == after
