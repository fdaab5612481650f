"""`run.env_file`: KEY=VALUE lines, like Docker's and Compose's .env files."""
from __future__ import annotations

import re
from pathlib import Path

from dkenv import declared
from dkenv.errors import ConfigError

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


def parse(text: str, source: str = ".env") -> dict[str, str]:
    """Blank lines and # comments are skipped; values may be quoted with ' or "."""
    values = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _LINE.match(line)
        if not m:
            raise ConfigError(f"dkenv: {source}:{number}: not a KEY=VALUE line: {line.strip()[:60]!r}")
        key, value = m.groups()
        quoted = re.match(r"""^(['"])(.*?)(?<!\\)\1\s*(#.*)?$""", value)
        if quoted:
            value = quoted.group(2)
            if quoted.group(1) == '"':
                value = value.replace("\\n", "\n").replace('\\"', '"')
        else:
            value = re.sub(r"\s+#.*$", "", value)
        values[key] = value
    return values


def load(path: Path) -> dict[str, str]:
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
    return parse(text, str(path))
