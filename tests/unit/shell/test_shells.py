"""The shell records (dkenv/shell/shells.py): every record answers every field, its
templates ship with the package, its quoting reads back byte for byte in the real shell,
and everything rendered from the records is byte-identical to what the hand-written
branches rendered before (the goldens of shell_renderings.py, made on commit 9c09934)."""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
from importlib import resources

import pytest

from dkenv.cli import main
from dkenv.errors import UsageError
from dkenv.shell import shells, templates
from tests.unit.shell import shell_renderings

WORDS = ["/tmp/a b'c\"$d", "`id` $(id) ${HOME}", "back\\slash\\", "'", "", "-n", "ünï ✓\nline", "*?[x]{a,b}~ #"]
# how each family's shell reads one word back: the word is @W@, quoted by the family
READ_BACK = {"sh": "x=@W@; printf '%s\\0' \"$x\"\n", "fish": "set x @W@; printf '%s\\0' \"$x\"\n"}


@pytest.mark.parametrize("shell", shells.SHELLS.values(), ids=shells.NAMES)
def test_every_record_answers_every_field(shell):
    for field in dataclasses.fields(shell):
        assert getattr(shell, field.name), field.name
    assert shells.get(shell.name) is shell and shell.family in shells.FAMILIES.values()
    for field in dataclasses.fields(shell.family):
        assert getattr(shell.family, field.name), field.name
    assert shell.quote is shell.family.quote
    assert shell.rc_file.startswith("~/")
    assert f"dkenv hook {shell.name} --auto" in shell.install_line(auto=True)
    start = shell.subshell
    assert start.args and all(arg for arg in start.args)
    uses_folder = any("{folder}" in arg for arg in start.args) or bool(start.files or start.folder_var)
    assert not uses_folder or start.script, "a startup folder needs the activation script in it"
    assert start.script or any(arg == "{code}" for arg in start.args), "the activation code goes somewhere"


@pytest.mark.parametrize("shell", shells.SHELLS.values(), ids=shells.NAMES)
def test_the_templates_of_every_record_ship_with_the_package(shell):
    names = [*shell.hook, shell.completion, shell.family.activate, shell.family.deactivate,
             *(template for _, template in shell.subshell.files)]
    for name in names:
        assert resources.files("dkenv.shell").joinpath(name).is_file(), name
        assert templates.read(name).strip(), name
    assert shell.name in templates.read(shell.completion)  # click's NAME_complete protocol


@pytest.mark.parametrize("shell", shells.SHELLS.values(), ids=shells.NAMES)
def test_the_quoting_reads_back_in_the_real_shell(shell):
    exe = shutil.which(shell.name)
    if not exe:
        pytest.skip(f"{shell.name} is not installed")
    script = "".join(templates.fill(READ_BACK[shell.family.name], {"W": word}, shell.name) for word in WORDS)
    argv = [exe, "--no-config", "-c", script] if shell.family is shells.FISH else [exe, "-c", script]
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    out = subprocess.run(argv, capture_output=True, timeout=30, env=env).stdout
    assert out.decode("utf-8").split("\0")[:-1] == WORDS


def test_sh_is_a_family_not_a_shell():
    assert shells.family("sh") is shells.SH and shells.family("zsh") is shells.SH
    assert shells.family("fish") is shells.FISH
    with pytest.raises(UsageError):
        shells.get("sh")


def test_an_unknown_shell_is_a_usage_error_with_a_hint(capsys):
    with pytest.raises(UsageError) as caught:
        shells.get("bsh", "hook")
    assert caught.value.exit_code == 2
    assert str(caught.value) == 'dkenv: no hook for \'bsh\'; dkenv knows bash, zsh, fish (did you mean "bash"?)'
    assert main(["hook", "fsh"]) == 2
    assert '(did you mean "fish"?)' in capsys.readouterr().err
    assert main(["activate", "--shell-code", "zhs"]) == 2
    assert "no activation code for 'zhs'" in capsys.readouterr().err


def test_the_cli_offers_the_records():
    from dkenv.cli import cli

    argument = cli.commands["hook"].params[0]
    assert argument.metavar == "[" + "|".join(shells.NAMES) + "]"


def test_every_rendering_is_byte_identical_to_the_golden():
    golden = json.loads(shell_renderings.GOLDEN.read_text(encoding="utf-8"))
    current = shell_renderings.current()
    assert sorted(current) == sorted(golden)
    for key in golden:
        assert current[key] == golden[key], key
