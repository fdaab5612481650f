"""Auto-activation (`dkenv hook SHELL --auto`) in real interactive shells."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.shell.conftest import SHELLS, write_project

pytestmark = pytest.mark.shell


@pytest.fixture
def calls(tmp_path):
    """The file where the `dkenv` command logs each of its runs."""
    return tmp_path / "dkenv-calls.log"


def runs(calls) -> list[str]:
    return calls.read_text().splitlines() if calls.exists() else []


def project(tmp_path: Path, name: str) -> Path:
    """A project named `name` in tmp_path/work/NAME."""
    return write_project(tmp_path / "work" / name, name)


def auto_shell_with_approved(interactive, shell: str, tmp_path: Path, *roots: Path, env: dict | None = None):
    """An interactive `shell` in tmp_path with the auto hook, in which `dkenv allow` has
    approved each of the projects at `roots`."""
    term = interactive(shell, cwd=tmp_path, hook="--auto", env=env)
    term.run("; ".join(f"dkenv -C {root} allow" for root in roots))
    return term


@pytest.mark.parametrize("shell", SHELLS)
def test_entering_an_approved_project_activates_and_leaving_deactivates(shell, interactive, tmp_path, calls):
    root = project(tmp_path, "app")
    (root / "src" / "pkg").mkdir(parents=True)
    term = auto_shell_with_approved(interactive, shell, tmp_path, root, env={"DKENV_TEST_CALLS": str(calls)})
    before = term.state()

    shown = term.cd(root)
    assert shown.endswith("(dkenv:app) "), shown
    active = term.state()
    assert active["DKENV_PROJECT"] == str(root)
    assert active["PATH"] == f"{root}/.dkenv/shims:{before['PATH']}"

    # prompts and cd inside the project start no process: the log does not grow
    assert any(f"-C {root} activate --shell-code {shell} --auto" == line for line in runs(calls)), runs(calls)
    count = len(runs(calls))
    term.cd(root / "src")
    term.cd(root / "src" / "pkg")
    term.run("true")
    term.cd(root)
    assert len(runs(calls)) == count, runs(calls)
    assert term.state()["DKENV_PROJECT"] == str(root)

    shown = term.cd(tmp_path)
    assert "(dkenv:" not in shown
    assert term.state() == before


@pytest.mark.parametrize("shell", SHELLS)
def test_an_unapproved_project_is_not_activated(shell, interactive, tmp_path):
    root = project(tmp_path, "evil")
    (root / "sub").mkdir()
    term = interactive(shell, cwd=tmp_path, hook="--auto")
    before = term.state()
    shown = term.cd(root)
    assert f"dkenv: {root}/.dkenv.toml is not allowed; run `dkenv allow` to approve it" in shown
    assert "(dkenv:" not in shown
    assert term.state()["DKENV_PROJECT"] == ""
    assert not (root / ".dkenv").exists()  # nothing written, built or started
    # said once per entry, not at every prompt
    assert "not allowed" not in term.cd(root / "sub")
    assert "not allowed" not in term.run("true")

    term.run("dkenv allow")
    term.cd(tmp_path)
    assert term.cd(root).endswith("(dkenv:evil) ")
    term.cd(tmp_path)
    assert term.state() == before


@pytest.mark.parametrize("shell", SHELLS)
def test_an_edited_config_needs_approval_again(shell, interactive, tmp_path):
    root = project(tmp_path, "app")
    term = auto_shell_with_approved(interactive, shell, tmp_path, root)
    assert term.cd(root).endswith("(dkenv:app) ")
    term.cd(tmp_path)
    (root / ".dkenv.toml").write_text('[project]\nname = "app"\n[shims]\ncommands = ["python"]\n')
    shown = term.cd(root)
    assert "is not allowed" in shown and "(dkenv:" not in shown


@pytest.mark.parametrize("shell", SHELLS)
def test_a_shell_started_inside_an_approved_project_is_active(shell, interactive, tmp_path, home):
    root = project(tmp_path, "app")
    from dkenv.shell import allow

    allow.allow(root)
    term = interactive(shell, cwd=root, hook="--auto")
    assert term.state()["DKENV_PROJECT"] == str(root)


@pytest.mark.parametrize("shell", SHELLS)
def test_moving_between_projects_switches(shell, interactive, tmp_path):
    one, two = project(tmp_path, "one"), project(tmp_path, "two")
    term = auto_shell_with_approved(interactive, shell, tmp_path, one, two)
    before = term.state()
    term.cd(one)
    shown = term.cd(two)
    assert shown.endswith("(dkenv:two) ") and "(dkenv:one)" not in shown
    state = term.state()
    assert state["PATH"] == f"{two}/.dkenv/shims:{before['PATH']}"
    term.cd(tmp_path)
    assert term.state() == before


@pytest.mark.parametrize("shell", SHELLS)
def test_a_manual_activation_survives_leaving_the_folder(shell, interactive, tmp_path):
    root = project(tmp_path, "app")
    term = interactive(shell, cwd=root, hook="--auto")
    term.run("dkenv activate")  # explicit: approves, and is not undone by cd
    shown = term.cd(tmp_path)
    assert shown.endswith("(dkenv:app) ")
    assert term.state()["DKENV_PROJECT"] == str(root)


@pytest.mark.parametrize("shell", SHELLS)
def test_without_auto_cd_activates_nothing(shell, interactive, tmp_path, calls):
    root = project(tmp_path, "app")
    term = interactive(shell, cwd=tmp_path, env={"DKENV_TEST_CALLS": str(calls)})
    term.run(f"dkenv -C {root} allow")
    count = len(runs(calls))
    assert "(dkenv:" not in term.cd(root)
    assert len(runs(calls)) == count
