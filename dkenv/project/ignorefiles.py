"""The `.gitignore` and `.dockerignore` lines `dkenv init` adds: `data/` and `.dkenv/`
(and for `.dockerignore`, `.env` files).

update_gitignore only touches an existing .gitignore; update_dockerignore creates a
.dockerignore (the production image's source is chosen by it) or completes one. Only
missing lines are appended; the user's bytes are kept.
"""
from __future__ import annotations

from pathlib import Path

from dkenv import fileio

IGNORE_LINES = ["data/", ".dkenv/"]  # for .gitignore and .dockerignore
# a new .dockerignore: dkenv's folders, the services' data, version control, local
# environments, caches, and .env files (secrets are given at run time, never baked in)
DOCKERIGNORE_DEFAULTS = [
    "data/", ".dkenv/", ".git/", "**/.env", "**/.env.*", "!**/.env.example", ".venv/", "venv/",
    "**/__pycache__/", "**/*.py[co]", ".pytest_cache/", ".mypy_cache/", ".ruff_cache/", ".tox/", ".nox/",
    ".coverage", "htmlcov/", "node_modules/", ".idea/", ".vscode/",
]
# what must be left out whatever the project's file says: the services' data (other UIDs'
# files), dkenv's files (the development context, sockets) and .env files (secrets)
DOCKERIGNORE_REQUIRED = ["data/", ".dkenv/", "**/.env"]


def update_gitignore(root: Path) -> list[str]:
    """Add `data/` and `.dkenv/` to an existing `root/.gitignore`; returns the lines added.

    Never creates the file. The existing bytes are kept as they are; a missing final
    newline is added first, and CRLF files get CRLF lines. A line already ignoring the
    folder ("data", "/data/"...) counts as present.
    """
    path = Path(root) / ".gitignore"
    if not path.is_file():
        return []
    return _append_missing(path, IGNORE_LINES)


def update_dockerignore(root: Path) -> tuple[str, list[str]]:
    """`root/.dockerignore`, which chooses the source the production image copies (and the
    project's own `docker build .`): ("created", its lines) when there was none, with
    dkenv's defaults (DOCKERIGNORE_DEFAULTS); else ("added", the lines that were
    missing of `data/`, `.dkenv/` and `**/.env`), after a comment saying who added them.
    The user's own lines are kept byte for byte, the same as update_gitignore.
    """
    path = Path(root) / ".dockerignore"
    if path.exists() and not path.is_file():
        return "added", []
    if not path.exists():
        text = "\n".join([f"{DOCKERIGNORE_HEADER}", *DOCKERIGNORE_DEFAULTS, ""])
        fileio.write_atomic(path, text)
        return "created", list(DOCKERIGNORE_DEFAULTS)
    return "added", _append_missing(path, DOCKERIGNORE_REQUIRED, comment=DOCKERIGNORE_COMMENT)


DOCKERIGNORE_COMMENT = "# dkenv: the services' data, dkenv's generated files and secrets"
DOCKERIGNORE_HEADER = ("# What `docker build` and `dkenv build --production` leave out of the image's source\n"
                       "# (written by dkenv; yours to edit: keep data/, .dkenv/ and .env files out).")


def _append_missing(path: Path, lines: list[str], comment: str | None = None) -> list[str]:
    """Append the `lines` a file lacks ("/data", "data" and "data/" are one; a negated "!data"
    is the user's decision and counts too), after `comment`."""
    content = path.read_bytes() if path.exists() else b""
    present = {line.strip().lstrip("!").strip("/") for line in content.decode("utf-8", errors="replace").splitlines()}
    missing = [line for line in lines if line.strip("/") not in present]
    if not missing:
        return []
    newline = b"\r\n" if b"\r\n" in content else b"\n"
    addition = b"" if not content or content.endswith(b"\n") else newline
    head = [comment] if comment and comment not in present else []
    addition += b"".join(line.encode() + newline for line in head + missing)
    fileio.append(path, addition)
    return missing
