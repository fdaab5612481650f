"""The `.gitignore` and `.dockerignore` lines `dkenv init` adds: `data/` and `.dkenv/`.

update_gitignore only touches an existing .gitignore; update_dockerignore a .dockerignore
of a project with a Dockerfile. Only missing lines are appended; the user's bytes are kept.
"""
from __future__ import annotations

from pathlib import Path

IGNORE_LINES = ["data/", ".dkenv/"]  # for .gitignore and .dockerignore


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


def update_dockerignore(root: Path) -> list[str]:
    """Add `data/` and `.dkenv/` to `root/.dockerignore`, so the project's own `docker
    build .` neither sends the services' data nor dkenv's files; returns the lines added.

    Only for a project with a `.dockerignore` or a Dockerfile (`Dockerfile`,
    `Dockerfile.*`, `*.Dockerfile`): the file is created then. The lines come after a
    comment saying who added them; the user's own lines are kept byte for byte, the same
    as update_gitignore.
    """
    root = Path(root)
    path = root / ".dockerignore"
    if not path.is_file() and not _has_dockerfile(root):
        return []
    if path.exists() and not path.is_file():
        return []
    return _append_missing(path, IGNORE_LINES, comment=DOCKERIGNORE_COMMENT)


DOCKERIGNORE_COMMENT = "# dkenv: the services' data and dkenv's generated files"


def _has_dockerfile(root: Path) -> bool:
    return any(p.is_file() and (p.name == "Dockerfile" or p.name.startswith("Dockerfile.")
                                or p.name.endswith(".Dockerfile"))
               for p in root.iterdir())


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
    with open(path, "ab") as f:
        f.write(addition)
    return missing
