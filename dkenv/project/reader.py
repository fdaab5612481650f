"""Reading `.dkenv.toml` for validation: tomlkit's parse errors as file:line messages,
the line of any key (for every later message), type checks against the schema, and
the "did you mean" of an unknown key or value."""
from __future__ import annotations

import re
from pathlib import Path

from dkenv import tomltext
from dkenv.errors import ConfigError, did_you_mean
from dkenv.project.schema import TYPES


def key_line(text: str, table: str, key: str | None = None) -> int | None:
    """The 1-based line of `key` inside `[table]` (or of the table header), for messages."""
    current = ""
    header_line = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        m = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
        if m and not stripped.startswith("[["):
            current = m.group(1).replace('"', "").replace(" ", "")
            if header_line is None and (current == table or current.startswith(table + ".")):
                header_line = number
            continue
        if key is None:
            if current == "" and re.match(rf'^"?{re.escape(table)}"?\s*[.=]', stripped):
                return number
            continue
        if current == table and re.match(rf'^"?{re.escape(key)}"?\s*=', stripped):
            return number
        dotted = table.split(".")[-1]
        if current == ".".join(table.split(".")[:-1]) and re.match(
                rf'^"?{re.escape(dotted)}"?\s*\.\s*"?{re.escape(key)}"?\s*=', stripped):
            return number
    return header_line


class Reader:
    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text

    def fail(self, table: str, key: str | None, message: str) -> ConfigError:
        line = key_line(self.text, table, key)
        where = f"{self.path}:{line}" if line else str(self.path)
        name = f"{table}.{key}" if key else f"[{table}]"
        return ConfigError(f"dkenv: {where}: {name}: {message}")

    def unknown(self, table: str, key: str, valid) -> ConfigError:
        suggestion = did_you_mean(key, valid) or f" (valid keys: {', '.join(valid)})"
        what = "table" if table == "" else "key"
        return self.fail(table or key, key if table else None, f"unknown {what}{suggestion}")

    def table(self, doc: dict, table: str, schema: dict) -> dict:
        values = doc.get(table, {})
        if not isinstance(values, dict):
            raise self.fail(table, None, "must be a table")
        return self.check(table, values, schema)

    def check(self, table: str, values: dict, schema: dict) -> dict:
        out = {}
        for key, value in values.items():
            if key not in schema:
                raise self.unknown(table, key, schema)
            check = schema[key]
            if not check(value):
                raise self.fail(table, key, f"must be {TYPES[check]}, got {value!r}")
            out[key] = plain(value)
        return out

    def choice(self, table: str, key: str, value: str, choices) -> None:
        if value not in choices:
            raise self.fail(table, key, f"{value!r} is not one of {', '.join(choices)}{did_you_mean(value, choices)}")


def plain(value):
    """tomlkit items -> plain Python values."""
    if hasattr(value, "unwrap"):
        value = value.unwrap()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def parse_document(path: Path, text: str):
    try:
        return tomltext.parse(text)
    except tomltext.ParseError as e:
        reason = re.sub(r" at line \d+ col \d+$", "", str(e))
        raise ConfigError(f"dkenv: {path}:{e.line}:{e.col}: invalid TOML: {reason}") from None
    except tomltext.TOMLKitError as e:  # e.g. a key given twice in one table
        key = getattr(e, "key", None) or (re.findall(r'"([^"]+)"', str(e)) or [""])[0]
        line = next((n for n, text in enumerate(text.splitlines(), 1)
                     if key and re.match(rf'^\s*"?{re.escape(key)}"?\s*=', text)), None)
        where = f"{path}:{line}" if line else str(path)
        raise ConfigError(f"dkenv: {where}: invalid TOML: {e}") from None
