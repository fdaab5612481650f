"""`run.env_file`: KEY=VALUE lines, read as Docker Compose reads an `env_file` (and as
python-dotenv's `dotenv_values(interpolate=True)` does).

- `KEY=VALUE`, `export KEY=VALUE`, spaces around `=`; blank lines and `#` comment lines;
  a `#` after a space ends an unquoted value.
- Unquoted values are trimmed; backslashes are kept as they are.
- `'single quotes'`: literal (`\\'` is a quote); no interpolation.
- `"double quotes"`: `\\n \\r \\t \\\\ \\" \\$` escapes (another backslash is kept); interpolated.
- Quoted values may span lines; a `#` after the closing quote starts a comment.
- Interpolation: `$VAR`, `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}`
  (unset), `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?message}` and `${VAR?message}` (a config
  error naming the file and line), `$$` for a literal `$`. Defaults are interpolated too.

Where a name is looked up: the values of earlier lines of the same file, then the
environment dkenv runs in; only the names the file refers to are read from it, so
nothing else of the host reaches the container. A name set nowhere is empty, as in
Compose. `run.env` does not feed it (as Compose's `environment:` does not feed its
env_file): it wins over the file afterwards.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from dkenv import declared
from dkenv.errors import ConfigError

_KEY = re.compile(r"[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"'}
_DOLLAR = "\0"  # an escaped or doubled $ while interpolating: never a reference


class _Lookup:
    """Names resolved from the file's earlier values, then the environment dkenv runs in."""

    def __init__(self, values: dict[str, str], environ: Mapping[str, str], where: str):
        self.values, self.environ, self.where = values, environ, where

    def get(self, name: str) -> str | None:
        if name in self.values:
            return self.values[name]
        declared.beyond()  # a variable of the host's: the no-op `up` cannot be cached on file states
        return self.environ.get(name)


def parse(text: str, source: str = ".env", environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The file's variables, interpolated (module docstring); ConfigError with file:line."""
    environ = os.environ if environ is None else environ
    text = text.replace("\r\n", "\n")
    values: dict[str, str] = {}
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _KEY.match(line)
        if not m:
            raise ConfigError(f"dkenv: {source}:{number}: not a KEY=VALUE line: {line.strip()[:60]!r}")
        key, rest, first = m.group(1), line[m.end():], number
        lookup = _Lookup(values, environ, f"{source}:{first}")
        if rest[:1] in ("'", '"'):
            raw, number = _quoted(rest, lines, number, f"{source}:{first}: {key}")
            if raw is not None:
                values[key] = _literal(raw) if rest[0] == "'" else _interpolate(_unescape(raw), lookup)
                continue
        values[key] = _interpolate(re.sub(r"[ \t]+#.*$", "", rest).strip(), lookup)
    return values


def _quoted(rest: str, lines: list[str], number: int, where: str) -> tuple[str | None, int]:
    """The text between the quote opening `rest` and its closing quote (on this line or a
    later one), and the number of the last line read; None when text follows the closing
    quote (`A="x"y` is the unquoted value `"x"y`, as before)."""
    quote, text, end = rest[0], rest[1:], number
    while True:
        close = _closing(text, quote)
        if close is not None:
            after = text[close + 1:]
            if after.strip() and not re.match(r"[ \t]*#", after):
                return (None, number) if end == number else _error(where, "text after the closing quote")
            return text[:close], end
        if end >= len(lines):
            _error(where, f"the {quote} quote is never closed")
        text += "\n" + lines[end]
        end += 1


def _closing(text: str, quote: str) -> int | None:
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            return i
        i += 1
    return None


def _literal(raw: str) -> str:
    return raw.replace("\\'", "'")


def _unescape(raw: str) -> str:
    out, i = [], 0
    while i < len(raw):
        c = raw[i]
        if c == "\\" and i + 1 < len(raw):
            nxt = raw[i + 1]
            if nxt == "$":
                out.append(_DOLLAR)
            else:
                out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _interpolate(value: str, lookup: _Lookup) -> str:
    return _expand(value.replace("$$", _DOLLAR), lookup).replace(_DOLLAR, "$")


def _expand(value: str, lookup: _Lookup) -> str:
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c != "$":
            out.append(c)
            i += 1
            continue
        if value.startswith("{", i + 1):
            end = _brace_end(value, i + 2, lookup)
            out.append(_braced(value[i + 2:end], lookup))
            i = end + 1
            continue
        m = _NAME.match(value, i + 1)
        if m:
            out.append(lookup.get(m.group()) or "")
            i = m.end()
        else:
            out.append("$")
            i += 1
    return "".join(out)


def _brace_end(value: str, start: int, lookup: _Lookup) -> int:
    """The index of the `}` closing the `${` before `start` (defaults may hold `${...}`)."""
    depth, i = 1, start
    while i < len(value):
        if value.startswith("${", i):
            depth, i = depth + 1, i + 2
            continue
        if value[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ConfigError(f"dkenv: {lookup.where}: ${{{value[start:]}: no closing }}")


def _braced(inner: str, lookup: _Lookup) -> str:
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)(:?[-+?])?", inner)
    if not m or (m.group(2) is None and m.end() != len(inner)):
        raise ConfigError(f"dkenv: {lookup.where}: ${{{inner}}}: not a variable reference "
                          "(${VAR}, ${VAR:-default}, ${VAR:?message}...)")
    name, op, word = m.group(1), m.group(2), inner[m.end():]
    current = lookup.get(name)
    if op is None:
        return current or ""
    empty_counts = op.startswith(":")
    missing = current is None or (empty_counts and current == "")
    kind = op[-1]
    if kind == "-":
        return _expand(word, lookup) if missing else current
    if kind == "+":
        return "" if missing else _expand(word, lookup)
    if missing:  # ?
        message = _expand(word, lookup) or ("is not set or empty" if empty_counts else "is not set")
        raise ConfigError(f"dkenv: {lookup.where}: {name}: {message}")
    return current


def _error(where: str, why: str):
    raise ConfigError(f"dkenv: {where}: {why}")


def load(path: Path, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The file's variables; in a project, only when the file opened really is inside it
    (checked at load, and again here as it is read: a link swapped in since is refused)."""
    from dkenv import fileio

    root = fileio.confined_root(path)
    try:
        data = declared.path(path).read_bytes() if root is None else fileio.read_inside(declared.path(path), root)
    except ValueError as e:
        raise ConfigError(f"dkenv: run.env_file {path} is {e} once its links are followed, outside the project "
                          f"{root}; env files are read from inside it only") from None
    except OSError as e:
        raise ConfigError(f"dkenv: cannot read run.env_file {path}: {e.strerror or e}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(f"dkenv: {path}: not UTF-8 text (byte {e.start}); env files are UTF-8") from None
    return parse(text, str(path), environ)
