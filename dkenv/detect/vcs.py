"""Dependencies installed from a version-control repository (`git+https://...` in a
requirements file or a PEP 508 URL, `{ git = "..." }` in uv's or Poetry's tables, a lock's
git source): pip and uv run `git` to fetch them, which the slim python images lack. `init`
then adds `git` to image.apt, saying which file asked for it.

Pure logic: reads the project's manifests and locks, never runs anything.
"""
from __future__ import annotations

import re
from pathlib import Path

from dkenv import declared
from dkenv.manifests.requirements import RequirementsReader

# The manifests and locks that can name a git source, beside the requirements files
FILES = ("pyproject.toml", "uv.lock", "poetry.lock", "pdm.lock", "Pipfile", "Pipfile.lock")
_GIT = re.compile(r"""git\+(?:https?|ssh|git|file)://|^\s*(?:source\s*=\s*\{\s*)?git\s*=\s*["']|"""
                  r"""\bgit\s*=\s*["'][a-z+]+://|^\s*type\s*=\s*["']git["']|["']git["']\s*:\s*["']""",
                  re.MULTILINE)
_MAX_BYTES = 4_000_000


def git_sources(root: Path, requirements: list[str]) -> list[str]:
    """The files of the project at `root` naming a git source (`requirements`: the pip
    requirements files installed, their includes followed), in reading order."""
    files = list(FILES) + (RequirementsReader(root).read(*requirements).files if requirements else [])
    found = []
    for rel in dict.fromkeys(files):
        path = declared.path(root / rel)
        try:
            if not path.is_file():
                continue
            with path.open(encoding="utf-8", errors="replace") as f:
                text = f.read(_MAX_BYTES)
        except OSError:
            continue
        if any(_GIT.search(line) for line in text.splitlines() if not line.lstrip().startswith("#")):
            found.append(rel)
    return found
