"""Which entries of the IDE's copy of site-packages (ide/sitepackages.py) a new venv
changes, so that only those are copied again. Pure but for reading the copy's RECORD files.

An entry of site-packages is a top-level name (`requests/`, `six.py`, `__pycache__/`,
`requests-2.32.3.dist-info/`). Between the copy and the container: the names that came or
went, and every top-level name a distribution that came or went owns (its RECORD's first
path components: a namespace folder such as `google/` shared by several distributions is
copied whole again). A distribution whose `.dist-info` name is unchanged has the same
version: its files are taken as unchanged.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

TOO_MANY = 0.5  # more than this share of the entries changed: the whole copy again, in one stream


def owned(record_text: str) -> set[str]:
    """The top-level names a RECORD lists (paths outside site-packages, `../../bin/x`, left out)."""
    tops = set()
    for row in csv.reader(io.StringIO(record_text)):
        if row and row[0] and not row[0].startswith(("..", "/")):
            tops.add(row[0].replace("\\", "/").split("/", 1)[0])
    return tops


def record_of(folder: Path, dist_info: str) -> str:
    try:
        return (folder / dist_info / "RECORD").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def changed(old: set[str], new: set[str], old_records: dict[str, str], new_records: dict[str, str]) -> set[str]:
    """The entries to delete from the copy and copy again where the container has them:
    those that came or went, and what the distributions that came or went own (their RECORD
    texts by `.dist-info` name, the old copy's and the container's)."""
    moved = old ^ new
    tops = set(moved)
    for name in moved:
        if name.endswith(".dist-info"):
            tops |= owned(old_records.get(name, "") if name in old else new_records.get(name, ""))
    return tops


def worth_it(entries: set[str], new: set[str]) -> bool:
    """Whether copying `entries` alone is worth it rather than the whole folder again."""
    return len(entries) <= TOO_MANY * max(len(new), 1)
