"""A small YAML writer for the files dkenv exports (compose.yaml, CI workflows): block
mappings and lists, every string double-quoted as JSON does it (JSON strings are YAML),
multi-line strings as literal blocks. Output only: dkenv never reads YAML, so no YAML
library is needed at run time.

Keys that YAML 1.1 reads as booleans (`on`, `yes`...) are quoted, so GitHub's `on:` is
the string "on" for every parser."""
from __future__ import annotations

import json
import re

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_BOOL_WORDS = {"y", "yes", "n", "no", "true", "false", "on", "off", "null"}


def dump(value, indent: int = 0) -> str:
    """`value` (dicts, lists, str, int, float, bool, None) as block-style YAML text."""
    return "".join(_lines(value, indent))


def key(name: str) -> str:
    if _PLAIN_KEY.match(name) and name.lower() not in _BOOL_WORDS:
        return name
    return json.dumps(name, ensure_ascii=False)


def scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return json.dumps(str(value), ensure_ascii=False)


def _block(text: str, indent: int) -> str | None:
    """A literal block (`|` / `|-`) for a multi-line string that one can hold exactly."""
    if "\n" not in text.rstrip("\n") or text.endswith("\n\n") or text[:1] in " \t":
        return None
    if any(ord(c) < 32 and c != "\n" for c in text) or any(line != line.rstrip() for line in text.split("\n")):
        return None
    pad = " " * indent
    body = "\n".join(pad + line if line else "" for line in text.rstrip("\n").split("\n"))
    return ("|" if text.endswith("\n") else "|-") + "\n" + body


def _lines(value, indent: int):
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            yield pad + "{}\n"
        for k, v in value.items():
            yield from _entry(f"{pad}{key(str(k))}:", v, indent)
    elif isinstance(value, list):
        if not value:
            yield pad + "[]\n"
        for item in value:
            yield from _entry(f"{pad}-", item, indent)
    else:
        yield pad + scalar(value) + "\n"


def _entry(head: str, value, indent: int):
    """`head` (a `key:` or a `-`) followed by `value`, inline when it is a scalar."""
    if isinstance(value, (dict, list)) and value:
        if head.endswith("-") and isinstance(value, dict):
            # a mapping in a list: its first key on the dash's line
            inner = list(_lines(value, indent + 2))
            yield head + " " + inner[0].lstrip(" ")
            yield from inner[1:]
        else:
            yield head + "\n"
            yield from _lines(value, indent + 2)
        return
    if isinstance(value, (dict, list)):
        yield f"{head} {'{}' if isinstance(value, dict) else '[]'}\n"
        return
    if isinstance(value, str):
        block = _block(value, indent + 2)
        if block is not None:
            yield f"{head} {block}\n"
            return
    yield f"{head} {scalar(value)}\n"
