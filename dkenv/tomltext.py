"""Reading and editing TOML: the only module that imports tomlkit.

- `loads(text)`: plain Python values, for the data files and the project's manifests
  (tomllib on Python 3.11+, tomlkit on 3.10). Invalid TOML raises tomllib's
  TOMLDecodeError or tomlkit's ParseError, both ValueErrors.
- `parse(text)`: tomlkit's document, which keeps comments and positions, for
  `.dkenv.toml`. It raises `ParseError` (with .line and .col) for a syntax error and
  another `TOMLKitError` for, e.g., a key given twice in one table.
"""
from __future__ import annotations

import sys

import tomlkit
from tomlkit.exceptions import ParseError, TOMLKitError

__all__ = ["ParseError", "TOMLKitError", "loads", "parse"]


def loads(text: str) -> dict:
    """TOML text -> a dict of plain Python values."""
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib.loads(text)
    return tomlkit.parse(text).unwrap()


def parse(text: str) -> tomlkit.TOMLDocument:
    """TOML text -> tomlkit's document (its items keep comments and positions)."""
    return tomlkit.parse(text)
