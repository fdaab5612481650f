"""The shell script templates beside this module (dkenv/shell/*.sh, *.bash, *.zsh, *.fish):
reading them as package resources, filling their `@NAME@` placeholders with values quoted
for the target shell (its family's quoting, shell/shells.py).

A line `# @include NAME` is replaced by the text of the file NAME beside it (shim.sh carries
run.sh so, which the lean `dkenv exec` runs as a file).

Every placeholder is replaced by a value quoted for the target shell (one word), or by
a list of quoted words (a command), never by raw text: paths may hold spaces, quotes,
`$`, backticks or any unicode.
"""
from __future__ import annotations

import re
from importlib import resources
from typing import Mapping, Sequence, Union

from dkenv.shell import shells

Value = Union[str, Sequence[str]]
PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")
INCLUDE = re.compile(r"^# @include ([A-Za-z0-9_.-]+)\n", re.M)


def read(name: str) -> str:
    """The text of the template `name`, shipped in this package (wheel or source tree alike),
    its `# @include` lines replaced by the files they name."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return INCLUDE.sub(lambda match: read(match.group(1)), text)


def fill(template: str, values: Mapping[str, Value], shell: str) -> str:
    """Replace each `@NAME@` by its value quoted for `shell`, a shell's name or a family's
    ("sh": the shims), a list becoming quoted words."""
    quote = shells.family(shell).quote

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
