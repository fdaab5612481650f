"""The shell hooks printed by `dkenv hook bash|zsh|fish`: for bash and zsh the common
template shell/hook.sh then the shell's prompt-hook wiring shell/hook-tail.SHELL; for fish
shell/dkenv.fish; then the shell's completion, shell/complete.SHELL (click's protocol:
the shell asks dkenv with _DKENV_COMPLETE set on TAB only, see shell/completion.py)."""
from __future__ import annotations

from dkenv.errors import UsageError
from dkenv.shell import reentry, templates

SHELLS = ("bash", "zsh", "fish")
RC_FILES = {"bash": "~/.bashrc", "zsh": "~/.zshrc", "fish": "~/.config/fish/config.fish"}


def check_shell(name: str) -> str:
    if name not in SHELLS:
        raise UsageError(f"dkenv: no hook for {name!r}; the hook exists for {', '.join(SHELLS)}")
    return name


def render(shell: str, *, auto: bool = False, dkenv_command: list[str] | None = None) -> str:
    """The hook script for `shell`, with the command that reaches this dkenv baked in."""
    check_shell(shell)
    values = {"DKENV": dkenv_command or reentry.dkenv_command(), "AUTO": "1" if auto else ""}
    completion = templates.render(f"complete.{shell}", values, shell)
    if shell == "fish":
        return templates.render("dkenv.fish", values, shell) + completion
    values["SHELL"] = shell
    return (templates.render("hook.sh", values, shell) + templates.render(f"hook-tail.{shell}", values, shell)
            + completion)


def install_line(shell: str, *, auto: bool = False) -> str:
    """What to add to the shell's startup file."""
    flag = " --auto" if auto else ""
    if shell == "fish":
        return f"dkenv hook fish{flag} | source"
    return f'eval "$(dkenv hook {shell}{flag})"'


def install_hint(shell: str | None) -> str:
    """One line telling how to install the hook for `shell` (bash when unknown)."""
    shell = shell if shell in SHELLS else "bash"
    return f"add `{install_line(shell)}` to {RC_FILES[shell]}"
