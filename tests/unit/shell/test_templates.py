"""Hook and activation scripts: placeholder quoting for every shell, rendering, the
`dkenv hook` command. Quick non-interactive runs of the real shells check that what
Python quoted is what the shell reads back, byte for byte."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess

import pytest

from dkenv.cli import main
from dkenv.shell import activation, hooks, shells, templates

HOSTILE = [
    "/tmp/with space/x",
    "it's",
    'dq"uote',
    "$HOME and ${PATH}",
    "`id` $(id)",
    "back\\slash\\",
    "ünï©ødé ✓ 日本",
    "new\nline",
    "*?[glob]{a,b}~",
    "-n",
    "",
    "a'b\"c$d`e\\f\\'g",
    "%s %d %% \\n",
    "; rm -rf / #",
]


def shell_or_skip(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed")
    return found


def run(argv, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    return subprocess.run(argv, capture_output=True, timeout=30, env=env, **kw)


@pytest.mark.parametrize("value", HOSTILE)
def test_sh_quote_is_one_word(value):
    assert shlex.split(shells.sh_quote(value)) == [value]


@pytest.mark.parametrize("shell", ["sh", "bash", "zsh"])
def test_sh_family_reads_back_every_value(shell):
    exe = shell_or_skip(shell)
    script = "".join(f"x={shells.sh_quote(v)}; printf '%s\\0' \"$x\"\n" for v in HOSTILE)
    out = run([exe, "-c", script]).stdout
    assert out.decode("utf-8").split("\0")[:-1] == HOSTILE


def test_fish_reads_back_every_value():
    exe = shell_or_skip("fish")
    script = "".join(f"set x {shells.fish_quote(v)}; printf '%s\\0' \"$x\"\n" for v in HOSTILE)
    out = run([exe, "--no-config", "-c", script]).stdout
    assert out.decode("utf-8").split("\0")[:-1] == HOSTILE


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_list_value_becomes_quoted_words(shell):
    exe = shell_or_skip(shell)
    words = ["/opt/my tools/py'thon", "-m", "dk$env"]
    line = templates.fill("printf '%s\\0' @WORDS@", {"WORDS": words}, shell)
    argv = [exe, "--no-config", "-c", line] if shell == "fish" else [exe, "-c", line]
    assert run(argv).stdout.decode().split("\0")[:-1] == words


def test_every_placeholder_needs_a_value():
    with pytest.raises(KeyError):
        templates.fill("a=@MISSING@", {}, "sh")
    assert templates.fill('"$@" @A@ x@y', {"A": "1"}, "sh") == '"$@" 1 x@y'


def test_a_value_holding_a_placeholder_is_not_filled_again():
    assert templates.fill("@A@ @B@", {"A": "@B@", "B": "b"}, "sh") == "@B@ b"


def test_the_templates_are_found():
    for name in ("hook.sh", "hook-tail.bash", "hook-tail.zsh", "dkenv.fish", "shim.sh", "activate.sh",
                 "deactivate.sh", "activate.fish", "deactivate.fish", "subshell.bashrc", "subshell.zshenv",
                 "subshell.zshrc"):
        assert templates.read(name).strip(), name


@pytest.mark.parametrize("auto", [False, True])
def test_bash_and_zsh_hooks_share_the_common_part_verbatim(auto):
    """From `__dkenv_bin` on, hook.sh (dispatcher, auto-activation) is the same text in
    both hooks; only the header naming the shell and the prompt-hook wiring differ."""
    template = templates.read("hook.sh")
    body = template[template.index("__dkenv_bin() {"):]
    assert "@SHELL@" not in body
    common = templates.fill(body, {"DKENV": ["/x y/dkenv"], "AUTO": "1" if auto else ""}, "sh")
    assert "dkenv() {" in common and "__dkenv_auto() {" in common
    for shell, wiring in (("bash", "PROMPT_COMMAND="), ("zsh", "add-zsh-hook precmd")):
        text = hooks.render(shell, auto=auto, dkenv_command=["/x y/dkenv"])
        assert text.startswith(f"# dkenv shell hook for {shell}, printed by `dkenv hook {shell}`.\n"
                               f"# Install: add   eval \"$(dkenv hook {shell})\"   (or `dkenv hook {shell} --auto`)"
                               f" to ~/.{shell}rc.\n")
        assert f"\n__DKENV_SHELL={shell}\n" in text
        assert text.count(common) == 1 and text.index(common) < text.index(wiring)


@pytest.mark.parametrize("shell", shells.NAMES)
@pytest.mark.parametrize("auto", [False, True])
def test_the_hook_renders_and_parses(shell, auto, tmp_path):
    text = hooks.render(shell, auto=auto, dkenv_command=["/x y/dkenv"])
    assert not templates.PLACEHOLDER.search(text)
    exe = shell_or_skip(shell)
    script = tmp_path / f"hook.{shell}"
    script.write_text(text)
    check = [exe, "--no-execute", str(script)] if shell == "fish" else [exe, "-n", str(script)]
    result = run(check)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("shell", shells.NAMES)
@pytest.mark.parametrize("folder", ["plain", "we'ird $dir `x` ✓"])
def test_the_hook_passes_other_subcommands_to_the_baked_command(shell, folder, tmp_path):
    exe = shell_or_skip(shell)
    fake = tmp_path / folder / "dkenv"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nprintf '<%s>' \"$@\"\nexit 7\n")
    fake.chmod(0o755)
    hook = tmp_path / "hook"
    hook.write_text(hooks.render(shell, dkenv_command=[str(fake)]))
    if shell == "fish":
        result = run([exe, "--no-config", "-c", f"source {hook}; dkenv status 'a b'; echo \" $status\""])
    else:
        result = run([exe, "-c", f". {hook}; dkenv status 'a b'; echo \" $?\""])
    assert result.stdout.decode() == "<status><a b> 7\n"


@pytest.mark.parametrize("shell", ["sh", "bash", "zsh"])
@pytest.mark.parametrize("root", ["/srv/app", "/tmp/we'ird $x `y` \\z ✓/app"])
def test_sh_family_activation_round_trip(shell, root):
    exe = shell_or_skip(shell)
    ps1 = "\\u@\\h:\\w\\$ %n $(x) `y` "
    code_on = activation.activate_code(shell, root=root, name="app", shims_dir=f"{root}/.dkenv/shims")
    code_off = activation.deactivate_code(shell)
    script = f"""
PS1={shells.sh_quote(ps1)}
PATH=/usr/bin:/bin
{code_on}
printf '%s\\0' "$DKENV_PROJECT" "$DKENV_ACTIVE_NAME" "$PATH" "$PS1"
{code_off}
printf '%s\\0' "${{DKENV_PROJECT-unset}}" "$PATH" "$PS1"
"""
    out = run([exe, "-c", script]).stdout.decode().split("\0")[:-1]
    assert out == [root, "app", f"{root}/.dkenv/shims:/usr/bin:/bin", "(dkenv:app) " + ps1,
                   "unset", "/usr/bin:/bin", ps1]


@pytest.mark.parametrize("shell", ["sh", "bash", "zsh"])
def test_deactivation_keeps_path_changes_made_while_active(shell):
    exe = shell_or_skip(shell)
    on = activation.activate_code(shell, root="/p", name="p", shims_dir="/p/.dkenv/shims")
    off = activation.deactivate_code(shell)
    script = f"""PATH=/usr/bin:/bin; PS1='$ '
{on}
PATH=/first:$PATH:/last
{off}
printf '%s' "$PATH"
PATH=
{on}
printf ' [%s]' "$PATH"
{off}
printf ' [%s]' "$PATH"
"""
    assert run([exe, "-c", script]).stdout.decode() == "/first:/usr/bin:/bin:/last [/p/.dkenv/shims] []"


def test_fish_activation_round_trip():
    exe = shell_or_skip("fish")
    root = "/tmp/we'ird $x `y` \\z ✓/app"
    on = activation.activate_code("fish", root=root, name="app", shims_dir=f"{root}/.dkenv/shims")
    off = activation.deactivate_code("fish")
    script = f"""set -gx PATH /usr/bin /bin
function fish_prompt; printf 'P[%s]> ' $status; end
{on}
printf '%s\\0' "$DKENV_PROJECT" (string join : $PATH)
false; fish_prompt; printf '\\0'
{off}
printf '%s\\0' (set -q DKENV_PROJECT; and echo set; or echo unset) (string join : $PATH)
false; fish_prompt; printf '\\0'
"""
    out = run([exe, "--no-config", "-c", script]).stdout.decode().split("\0")[:-1]
    assert out == [root, f"{root}/.dkenv/shims:/usr/bin:/bin", "(dkenv:app) P[1]> ", "unset", "/usr/bin:/bin", "P[1]> "]


def test_unknown_shells_are_usage_errors(capsys):
    assert main(["hook", "tcsh"]) == 2
    assert "bash, zsh, fish" in capsys.readouterr().err
    assert main(["activate", "--shell-code", "tcsh"]) == 2


def test_hook_without_a_name_uses_the_detected_shell(monkeypatch, capsys):
    from dkenv.shell import usershell

    monkeypatch.setattr(usershell, "detect", lambda: usershell.UserShell("zsh", "/bin/zsh"))
    assert main(["hook"]) == 0
    assert "add-zsh-hook" in capsys.readouterr().out
    monkeypatch.setattr(usershell, "detect", lambda: usershell.UserShell("tcsh", "/bin/tcsh"))
    assert main(["hook"]) == 2
    assert "dkenv hook bash|zsh|fish" in capsys.readouterr().err


def test_install_lines():
    assert hooks.install_line("bash") == 'eval "$(dkenv hook bash)"'
    assert hooks.install_line("zsh", auto=True) == 'eval "$(dkenv hook zsh --auto)"'
    assert hooks.install_line("fish") == "dkenv hook fish | source"


def test_usershell_falls_back_to_the_login_shell(monkeypatch):
    import shellingham

    from dkenv.shell import usershell

    def fail():
        raise shellingham.ShellDetectionFailure()

    monkeypatch.setattr(shellingham, "detect_shell", fail)
    monkeypatch.setenv("SHELL", shutil.which("sh"))
    assert usershell.detect() == usershell.UserShell("sh", shutil.which("sh"))
    monkeypatch.delenv("SHELL")
    assert usershell.detect() is None
