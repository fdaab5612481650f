"""The shell hooks printed by `dkenv hook bash|zsh|fish`: the shell record's hook templates
(bash and zsh: the common shell/hook.sh then their prompt-hook wiring shell/hook-tail.NAME;
fish: shell/dkenv.fish), then its completion, shell/complete.NAME (click's protocol: the
shell asks dkenv with _DKENV_COMPLETE set on TAB only, see shell/completion.py)."""
from __future__ import annotations

from dkenv.shell import reentry, shells, templates


def render(shell: str, *, auto: bool = False, dkenv_command: list[str] | None = None) -> str:
    """The hook script for `shell`, with the command that reaches this dkenv baked in."""
    record = shells.get(shell, "hook")
    values = {"DKENV": dkenv_command or reentry.dkenv_command(), "AUTO": "1" if auto else "", "SHELL": record.name}
    return "".join(templates.render(name, values, record.name) for name in (*record.hook, record.completion))


def install_line(shell: str, *, auto: bool = False) -> str:
    """What to add to the shell's startup file."""
    return shells.get(shell, "hook").install_line(auto=auto)


def install_hint(shell: str | None) -> str:
    """One line telling how to install the hook for `shell` (the default shell's when unknown)."""
    record = shells.SHELLS.get(shell or "", shells.DEFAULT)
    return f"add `{record.install_line()}` to {record.rc_file}"
