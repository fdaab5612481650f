"""`dkenv activate` without the hook: a subshell of the user's shell with the project active."""
from __future__ import annotations

import pytest

from tests.shell.conftest import SHELLS, Interactive, write_project

pytestmark = pytest.mark.shell


def user_startup_files(shell: str, home, tmp) -> None:
    """The user's own startup file sets the prompt, as it would for a real user."""
    prompt = Interactive.PROMPTS[shell]
    if shell == "bash":
        (home / ".bashrc").write_text(f"PS1='{prompt}'\n")
    elif shell == "fish":
        conf = home.parent / "config" / "fish"
        conf.mkdir(parents=True, exist_ok=True)
        (conf / "config.fish").write_text(f"set -g fish_greeting\nfunction fish_prompt; printf '{prompt}'; end\n")
    # zsh: the test harness's ZDOTDIR/.zshrc already sets PS1


@pytest.mark.parametrize("shell", SHELLS)
def test_activate_without_the_hook_starts_a_subshell(shell, interactive, tmp_path, home):
    root = write_project(tmp_path / "work" / "demo", "demo")
    user_startup_files(shell, home, tmp_path)
    term = interactive(shell, cwd=root, hook=None)
    before = term.state()

    shown = term.type("dkenv activate")
    assert f"a new {shell} with demo active; `exit` leaves it" in shown
    hint = "dkenv hook fish | source" if shell == "fish" else f'eval "$(dkenv hook {shell})"'
    assert hint in shown
    assert shown.endswith("(dkenv:demo) "), shown

    inside = term.state()
    assert inside["DKENV_PROJECT"] == str(root)
    assert inside["PATH"].split(":")[0] == f"{root}/.dkenv/shims"
    assert inside["PROMPT"] == "(dkenv:demo) " + before["PROMPT"]
    assert "`exit` leaves it" in term.capture("dkenv deactivate")
    assert "already active" in term.capture("dkenv activate")

    shown = term.type("exit")
    assert "(dkenv:" not in shown
    assert term.state() == before


def test_the_subshell_startup_folder_is_removed(interactive, tmp_path, home):
    root = write_project(tmp_path / "work" / "demo", "demo")
    user_startup_files("bash", home, tmp_path)
    term = interactive("bash", cwd=root, hook=None, env={"TMPDIR": str(tmp_path / "tmp")})
    (tmp_path / "tmp").mkdir()
    term.type("dkenv activate")
    term.state()
    assert list((tmp_path / "tmp").iterdir()) == []
