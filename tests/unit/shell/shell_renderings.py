"""Every text the shell package renders, for every shell, with hostile values: the hooks,
the activation and deactivation code, the no-hook subshell (argv, environment, startup
files), the install hints, and every template filled with every quoting. The goldens in
tests/data/shells/renderings.json were made by this module on commit 9c09934 (before the
shells became records); test_shells.py checks the texts stay byte-identical.

Regenerate (only for an intended change): PYTHONPATH=$PWD python -m tests.unit.shell.shell_renderings
"""
from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from types import SimpleNamespace

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "shells" / "renderings.json"
HOSTILE = "/tmp/a b'c\"$d `e` \\f ✓ $(g)\nh"
NAMES = ("bash", "zsh", "fish")
QUOTINGS = ("sh", "bash", "zsh", "fish")
TEMPLATES = ("activate.fish", "activate.sh", "complete.bash", "complete.fish", "complete.zsh", "deactivate.fish",
             "deactivate.sh", "dkenv.fish", "exec.sh", "hook-tail.bash", "hook-tail.zsh", "hook.sh", "run.sh",
             "shim.sh", "subshell.bashrc", "subshell.zshenv", "subshell.zshrc")


def renderings(folder: str) -> dict[str, object]:
    """Every rendering; `folder` stands for the subshell's temporary startup folder."""
    from dkenv.shell import activation, hooks, subshell, templates
    from dkenv.shell.usershell import UserShell

    found: dict[str, object] = {}
    command = [HOSTILE + "/bin/dkenv", "-m", "dk'env"]
    for shell in NAMES:
        for auto in (False, True):
            found[f"hook {shell} auto={auto}"] = hooks.render(shell, auto=auto, dkenv_command=command)
            found[f"install_line {shell} auto={auto}"] = hooks.install_line(shell, auto=auto)
        found[f"install_hint {shell}"] = hooks.install_hint(shell)
    found["install_hint None"] = hooks.install_hint(None)
    found["install_hint tcsh"] = hooks.install_hint("tcsh")
    for shell in ("sh", *NAMES):
        for auto in (False, True):
            found[f"activate {shell} auto={auto}"] = activation.activate_code(
                shell, root=HOSTILE, name="n'a$me", shims_dir=HOSTILE + "/.dkenv/shims", auto=auto)
        found[f"deactivate {shell}"] = activation.deactivate_code(shell)
    project = SimpleNamespace(root=Path(HOSTILE), name="n'a$me", shims_dir=Path(HOSTILE) / ".dkenv" / "shims")
    real_mkdtemp = tempfile.mkdtemp
    tempfile.mkdtemp = lambda prefix="": folder
    try:
        for shell in (*NAMES, "tcsh"):
            for zdotdir in ({}, {"ZDOTDIR": HOSTILE}):
                env = {"PATH": "/usr/bin:/bin", "PS1": "$ ", "HOME": HOSTILE, **zdotdir}
                argv, new_env = subshell.command(project, UserShell(shell, "/bin/" + shell), env)
                files = {p.name: p.read_text(encoding="utf-8") for p in sorted(Path(folder).iterdir())}
                for p in Path(folder).iterdir():
                    p.unlink()
                found[f"subshell {shell} {sorted(zdotdir)}"] = {"argv": argv, "env": new_env, "files": files}
    finally:
        tempfile.mkdtemp = real_mkdtemp
    for name in TEMPLATES:
        text = templates.read(name)
        values = {key: HOSTILE + key for key in re.findall(r"@([A-Z][A-Z0-9_]*)@", text)}
        for key in ("DKENV", "MOUNTS", "ENV_OPTS"):
            if key in values:
                values[key] = [HOSTILE, "-x", "y'z"]
        quoting = "fish" if name.endswith(".fish") else "sh"
        found[f"template {name} {quoting}"] = templates.fill(text, values, quoting)
    for quoting in QUOTINGS:
        found[f"fill {quoting}"] = templates.fill("x=@A@ @L@\n", {"A": HOSTILE, "L": [HOSTILE, "", "-n"]}, quoting)
    return found


def current() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as top:
        folder = Path(top) / "startup"
        folder.mkdir()
        texts = renderings(str(folder))
    return json.loads(json.dumps(texts).replace(json.dumps(str(folder))[1:-1], "@FOLDER@"))


if __name__ == "__main__":
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(current(), indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(GOLDEN)
