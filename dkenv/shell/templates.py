"""The shell script templates beside this module (dkenv/shell/*.sh, *.bash, *.zsh, *.fish):
reading them as package resources, quoting values for each shell, filling their
`@NAME@` placeholders.

A line `# @include NAME` is replaced by the text of the file NAME beside it (shim.sh carries
run.sh so, which the lean `dkenv exec` runs as a file).

Every placeholder is replaced by a value quoted for the target shell (one word), or by
a list of quoted words (a command), never by raw text: paths may hold spaces, quotes,
`$`, backticks or any unicode.
"""
from __future__ import annotations

import re
import shlex
from importlib import resources
from typing import Callable, Mapping, Sequence, Union

Value = Union[str, Sequence[str]]
PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")
INCLUDE = re.compile(r"^# @include ([A-Za-z0-9_.-]+)\n", re.M)


def read(name: str) -> str:
    """The text of the template `name`, shipped in this package (wheel or source tree alike),
    its `# @include` lines replaced by the files they name."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return INCLUDE.sub(lambda match: read(match.group(1)), text)


def sh_quote(value: str) -> str:
    """One word for sh, bash and zsh: single quotes, `'` as `'\\''`."""
    return shlex.quote(value) if value else "''"


def fish_quote(value: str) -> str:
    """One word for fish: inside single quotes only `\\` and `'` are special."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


QUOTERS: dict[str, Callable[[str], str]] = {"sh": sh_quote, "bash": sh_quote, "zsh": sh_quote, "fish": fish_quote}


def fill(template: str, values: Mapping[str, Value], shell: str) -> str:
    """Replace each `@NAME@` by its value quoted for `shell` (a list becomes quoted words)."""
    quote = QUOTERS[shell]

    def one(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"no value for placeholder @{name}@")
        value = values[name]
        if isinstance(value, str):
            return quote(value)
        return " ".join(quote(word) for word in value)

    return PLACEHOLDER.sub(one, template)


def render(name: str, values: Mapping[str, Value], shell: str) -> str:
    """The template `dkenv/shell/<name>` with its placeholders filled for `shell`."""
    return fill(read(name), values, shell)
