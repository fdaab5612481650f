"""dkenv/shell/completion.py and the completion part of the hooks: what TAB offers, read
from files only, and the protocol click answers (`_DKENV_COMPLETE`)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dkenv.shell import completion, hooks, shells
from tests.unit.conftest import tree

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
pytestmark = pytest.mark.usefixtures("state")

CONFIG = '[project]\nname = "x"\n[services.db]\ntemplate = "postgres"\n[services.cache]\ntemplate = "redis"\n'


def test_services_and_commands_from_the_files(tmp_path):
    tree(tmp_path, {".dkenv.toml": CONFIG, ".dkenv/shims/python": "", ".dkenv/shims/pytest": "",
                    ".dkenv/shims/.dkenv-shims": ""})
    assert completion.services(str(tmp_path)) == ["db", "cache"]
    assert completion.commands(str(tmp_path)) == ["pytest", "python"]
    assert completion.exec_words(str(tmp_path), ()) == ["pytest", "python"]
    assert completion.exec_words(str(tmp_path), ("python",)) is completion.FILES


def test_without_shims_the_configured_commands(tmp_path):
    tree(tmp_path, {".dkenv.toml": CONFIG})
    assert "manage.py" in completion.commands(str(tmp_path))


def test_no_project_or_a_bad_one_offers_nothing(tmp_path):
    assert completion.services(str(tmp_path)) == [] and completion.commands(str(tmp_path)) == []
    tree(tmp_path, {".dkenv.toml": "[image]\nbase = 3\n"})
    assert completion.services(str(tmp_path)) == []


def test_templates_are_the_catalog():
    assert "postgres" in completion.templates() and "redis" in completion.templates()


@pytest.mark.parametrize("shell", shells.NAMES)
def test_the_hook_carries_the_completion(shell):
    text = hooks.render(shell, dkenv_command=["/opt/dk env/bin/dkenv"])
    assert f"_DKENV_COMPLETE={shell}_complete" in text or f"_DKENV_COMPLETE {shell}_complete" in text
    assert "@DKENV@" not in text
    quoted = "'/opt/dk env/bin/dkenv'"
    assert f"{quoted} 2>/dev/null" in text  # the baked command, not whatever `dkenv` PATH finds


def run_complete(tmp_path, shell: str, words: str, cword: int) -> list[str]:
    env = {**os.environ, "PYTHONPATH": REPO, "_DKENV_COMPLETE": f"{shell}_complete",
           "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    out = subprocess.run([sys.executable, "-m", "dkenv"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_click_answers_the_protocol(tmp_path):
    tree(tmp_path, {".dkenv.toml": CONFIG})
    assert run_complete(tmp_path, "bash", "dkenv logs ", 2) == ["plain,db", "plain,cache"]
    assert run_complete(tmp_path, "bash", "dkenv -C . down c", 4) == ["plain,cache"]
    assert run_complete(tmp_path, "bash", "dkenv exec python ", 3) == ["file,"]
    assert "plain,doctor" in run_complete(tmp_path, "bash", "dkenv do", 1)
    assert run_complete(tmp_path, "bash", "dkenv hook z", 2) == ["plain,zsh"]
