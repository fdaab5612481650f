"""The hook in real interactive bash, zsh and fish: activate, deactivate, switch, pass-through."""
from __future__ import annotations

import pytest

from tests.shell.conftest import SHELLS, write_project

pytestmark = pytest.mark.shell

HOSTILE = "dir with spaces 'q' \"dq\" $HOME `x` ünï✓"


@pytest.fixture
def project(tmp_path):
    return write_project(tmp_path / "work" / "demo", "demo")


@pytest.mark.parametrize("shell", SHELLS)
def test_activate_then_deactivate_leaves_path_and_prompt_byte_identical(shell, interactive, project):
    term = interactive(shell, cwd=project)
    before = term.state()
    shown = term.run("dkenv activate")
    assert shown.endswith("(dkenv:demo) "), shown
    active = term.state()
    assert active["PATH"] == f"{project}/.dkenv/shims:{before['PATH']}"
    assert active["DKENV_PROJECT"] == str(project)
    assert active["DKENV_ACTIVE_NAME"] == "demo"
    assert active["PROMPT"] == "(dkenv:demo) " + before["PROMPT"]
    shown = term.run("dkenv deactivate")
    assert "(dkenv:" not in shown
    after = term.state()
    assert after == before


@pytest.mark.parametrize("shell", SHELLS)
def test_the_shims_come_first_on_path(shell, interactive, project):
    term = interactive(shell, cwd=project)
    term.run("dkenv activate")
    found = term.capture("command -v python" if shell != "fish" else "command -s python").strip()
    assert found == f"{project}/.dkenv/shims/python"


@pytest.mark.parametrize("shell", SHELLS)
def test_switching_projects_deactivates_the_first(shell, interactive, tmp_path, project):
    other = write_project(tmp_path / "work" / "other", "other")
    term = interactive(shell, cwd=project)
    before = term.state()
    term.run("dkenv activate")
    term.run(f"cd {other}")
    shown = term.run("dkenv activate")
    assert shown.endswith("(dkenv:other) ") and "(dkenv:demo)" not in shown
    active = term.state()
    assert active["PATH"] == f"{other}/.dkenv/shims:{before['PATH']}"
    assert active["DKENV_PROJECT"] == str(other)
    term.run("dkenv deactivate")
    assert term.state() == {**before}


@pytest.mark.parametrize("shell", SHELLS)
def test_disable_prompt_keeps_the_prompt(shell, interactive, project):
    setter = "set -gx DKENV_DISABLE_PROMPT 1" if shell == "fish" else "DKENV_DISABLE_PROMPT=1"
    term = interactive(shell, cwd=project, init=setter)
    before = term.state()
    shown = term.run("dkenv activate")
    assert "(dkenv:" not in shown
    active = term.state()
    assert active["PROMPT"] == before["PROMPT"]
    assert active["DKENV_PROJECT"] == str(project)
    term.run("dkenv deactivate")
    assert term.state() == before


@pytest.mark.parametrize("shell", SHELLS)
def test_hostile_project_path(shell, interactive, tmp_path):
    root = write_project(tmp_path / HOSTILE, "hostile")
    term = interactive(shell, cwd=root)
    before = term.state()
    shown = term.run("dkenv activate")
    assert shown.endswith("(dkenv:hostile) ")
    active = term.state()
    assert active["DKENV_PROJECT"] == str(root)
    assert active["PATH"] == f"{root}/.dkenv/shims:{before['PATH']}"
    term.run("dkenv deactivate")
    assert term.state() == before


@pytest.mark.parametrize("shell", SHELLS)
def test_other_subcommands_pass_through_with_their_status(shell, interactive, tmp_path):
    term = interactive(shell, cwd=tmp_path)
    assert term.status("dkenv --version") == 0
    assert "dkenv" in term.capture("dkenv --version")
    assert term.status("dkenv status") == 2  # no .dkenv.toml here: a config error
    assert term.status("dkenv no-such-verb") == 2
    assert term.status("dkenv deactivate") == 1  # nothing active
    assert "Usage" in term.capture("dkenv activate --help")


@pytest.mark.parametrize("shell", SHELLS)
def test_sourcing_the_hook_twice_registers_once(shell, interactive, tmp_path):
    term = interactive(shell, cwd=tmp_path, hook="--auto")
    term.run(term.install_line("--auto"))
    if shell == "bash":
        out = term.capture('printf "%s" "${PROMPT_COMMAND[*]}"')
        assert out.count("__dkenv_prompt") == 1
    elif shell == "zsh":
        out = term.capture('print -r -- "${precmd_functions[*]}"')
        assert out.split().count("__dkenv_precmd") == 1
    else:
        out = term.capture("functions --handlers-type generic")
        assert out.count("__dkenv_prompt") == 1


def test_bash_keeps_an_existing_prompt_command_and_its_status(interactive, tmp_path):
    term = interactive("bash", cwd=tmp_path, hook=None,
                       init='PROMPT_COMMAND=\'__seen=$?\'\neval "$(dkenv hook bash --auto)"')
    term.type("false")
    assert term.capture('echo "seen=$__seen"').strip() == "seen=1"
    assert term.capture('printf "%s" "$PROMPT_COMMAND"').splitlines() == ["__dkenv_prompt", "__seen=$?"]
