"""The shells dkenv integrates with, one record each (bash, zsh, fish), and the families
their syntax falls in (sh, fish): everything the hook, the activation, the no-hook
subshell, the completion and the CLI need to know about a shell, so that no other module
names one. Adding a shell is adding its record here and its templates beside this module.

`get(name)` is the record of a shell named on the command line (an unknown name is a
usage error with a "did you mean"); `family(name)` also takes a family's own name, so
`sh` gets the sh family's activation code and quoting (the shims are sh scripts).
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass

from dkenv.errors import UsageError, did_you_mean

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable


def sh_quote(value: str) -> str:
    """One word for sh, bash and zsh: single quotes, `'` as `'"'"'`."""
    return shlex.quote(value) if value else "''"


def fish_quote(value: str) -> str:
    """One word for fish: inside single quotes only `\\` and `'` are special."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass(frozen=True)
class Family:
    """What the shells of one syntax share: how a word is quoted, the activation code."""

    name: str  # "sh" (POSIX sh, bash, zsh) or "fish"
    quote: Callable[[str], str]
    activate: str  # template: activate a project in the current shell
    deactivate: str  # template: undo it


@dataclass(frozen=True)
class Subshell:
    """How `dkenv activate` without the hook starts the shell with the project active:
    the user's startup files first, then the activation code."""

    args: tuple[str, ...]  # after the executable; "{folder}": the startup folder, "{code}": the activation code
    script: str = ""  # the activation code's file in a temporary startup folder ("": no folder, it is {code})
    files: tuple[tuple[str, str], ...] = ()  # (file in the startup folder, its template); TMPDIR, ACTIVATE filled
    folder_var: str = ""  # the variable pointing the shell at the folder; the user's value goes in _DKENV_USER_<VAR>


@dataclass(frozen=True)
class Shell:
    """A shell dkenv has a hook, activation code, completion and a subshell for."""

    name: str
    family: Family
    rc_file: str  # where the hook line goes
    install: str  # the hook line; "{command}" stands for `dkenv hook NAME [--auto]`
    hook: tuple[str, ...]  # templates, in order, then the completion's
    completion: str  # template: click's completion protocol (_DKENV_COMPLETE=NAME_complete)
    subshell: Subshell

    @property
    def quote(self) -> Callable[[str], str]:
        return self.family.quote

    def install_line(self, *, auto: bool = False) -> str:
        return self.install.replace("{command}", f"dkenv hook {self.name}{' --auto' if auto else ''}")


SH = Family("sh", sh_quote, "activate.sh", "deactivate.sh")
FISH = Family("fish", fish_quote, "activate.fish", "deactivate.fish")

BASH = Shell(
    "bash", SH, "~/.bashrc", 'eval "$({command})"', ("hook.sh", "hook-tail.bash"), "complete.bash",
    Subshell(("--rcfile", "{folder}/bashrc", "-i"), "activate.sh", (("bashrc", "subshell.bashrc"),)))
ZSH = Shell(
    "zsh", SH, "~/.zshrc", 'eval "$({command})"', ("hook.sh", "hook-tail.zsh"), "complete.zsh",
    Subshell(("-i",), "activate.sh", ((".zshenv", "subshell.zshenv"), (".zshrc", "subshell.zshrc")), "ZDOTDIR"))
FISH_SHELL = Shell(
    "fish", FISH, "~/.config/fish/config.fish", "{command} | source", ("dkenv.fish",), "complete.fish",
    Subshell(("-i", "-C", "{code}")))

SHELLS: dict[str, Shell] = {shell.name: shell for shell in (BASH, ZSH, FISH_SHELL)}
NAMES = tuple(SHELLS)
FAMILIES: dict[str, Family] = {family.name: family for family in (SH, FISH)}
DEFAULT = BASH  # the shell of an install hint when the user's is not known


def get(name: str, what: str = "shell integration") -> Shell:
    """The record of the shell `name`; `what` names the thing missing for another name."""
    try:
        return SHELLS[name]
    except KeyError:
        raise UsageError(f"dkenv: no {what} for {name!r}; dkenv knows {', '.join(NAMES)}"
                         f"{did_you_mean(name, NAMES)}") from None


def family(name: str, what: str = "shell integration") -> Family:
    """The family of the shell `name`, or the family of that name ("sh")."""
    return FAMILIES.get(name) or get(name, what).family

