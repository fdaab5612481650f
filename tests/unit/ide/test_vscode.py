"""dkenv/ide/vscode.py and `dkenv ide vscode|pycharm`: settings.json merged in place (the
user's keys and comments kept), launch.json written or appended to, the interpreter files
and the approval."""
from __future__ import annotations

import json
import os

import pytest

from dkenv import fileio, jsonc
from dkenv.cli import main
from dkenv.ide import vscode
from dkenv.shell import allow, interpreter
from tests.unit.conftest import make_config_project

pytestmark = pytest.mark.usefixtures("state")

USER_SETTINGS = """\
// my project settings
{
    "editor.rulers": [88], // black
    /* Pylance */
    "python.analysis.extraPaths": [
        "src", // my sources
    ],
    "python.defaultInterpreterPath": "/usr/bin/python3",
}
"""


def settings_of(project):
    return project.root / vscode.SETTINGS_FILE


def read(path):
    return jsonc.parse(path.read_text()).value


@pytest.fixture
def project(tmp_path):
    return make_config_project(tmp_path, "[debug]\nport = 5678\n")


def test_a_new_settings_json_names_the_interpreter_and_the_copy(project):
    outcome = vscode.write_settings(project)
    assert outcome.manual == "" and len(outcome.changes) == 3
    assert json.loads(settings_of(project).read_text()) == {
        "python.defaultInterpreterPath": "${workspaceFolder}/.dkenv/bin/python",
        "python.analysis.extraPaths": ["${workspaceFolder}/.dkenv/site-packages"],
        "files.watcherExclude": {"**/.dkenv/**": True},
    }
    assert vscode.write_settings(project).changes == []  # the second time: up to date


def test_the_users_settings_keep_their_keys_and_comments(project):
    path = settings_of(project)
    path.parent.mkdir()
    path.write_text(USER_SETTINGS)
    outcome = vscode.write_settings(project)
    assert 'python.defaultInterpreterPath set (was "/usr/bin/python3")' in outcome.changes
    text = path.read_text()
    for kept in ("// my project settings\n", '"editor.rulers": [88], // black\n', "/* Pylance */\n",
                 '"src", // my sources\n'):
        assert kept in text
    assert read(path) == {
        "editor.rulers": [88],
        "python.analysis.extraPaths": ["src", "${workspaceFolder}/.dkenv/site-packages"],
        "python.defaultInterpreterPath": "${workspaceFolder}/.dkenv/bin/python",
        "files.watcherExclude": {"**/.dkenv/**": True},
    }
    assert vscode.write_settings(project).changes == [] and path.read_text() == text


@pytest.mark.parametrize("text, reason", [
    ('{"python.analysis.extraPaths": "src"}', "is not a list"),
    ('{"files.watcherExclude": []}', "is not a table"),
    ('{"a": 1,, }', "line 1"),
    ("[1, 2]", "not a JSON object"),
])
def test_a_file_that_cannot_be_merged_is_left_alone_and_what_to_add_is_shown(project, text, reason):
    path = settings_of(project)
    path.parent.mkdir()
    path.write_text(text)
    outcome = vscode.write_settings(project)
    assert reason in outcome.reason
    assert json.loads(outcome.manual)["python.defaultInterpreterPath"] == vscode.INTERPRETER
    assert path.read_text() == text


def test_a_symlinked_settings_file_is_not_replaced(project, tmp_path):
    target = tmp_path / "dotfiles-settings.json"
    target.write_text("{}\n")
    settings_of(project).parent.mkdir()
    settings_of(project).symlink_to(target)
    assert vscode.write_settings(project).reason == "it is a symbolic link"
    assert settings_of(project).is_symlink() and target.read_text() == "{}\n"


def test_without_the_copy_no_extra_path(tmp_path):
    project = make_config_project(tmp_path, "[ide]\nsite_packages = false\n")
    vscode.write_settings(project)
    assert "python.analysis.extraPaths" not in read(settings_of(project))


def test_launch_json_launches_through_the_interpreter_and_attaches(project):
    outcome = vscode.write_launch(project)
    path = project.root / vscode.LAUNCH_FILE
    assert fileio.written_by_dkenv(path) and len(outcome.changes) == 2
    launch, attach = read(path)["configurations"]
    assert launch["request"] == "launch" and launch["program"] == "${file}"
    assert launch["python"] == launch["debugAdapterPython"] == launch["debugLauncherPython"] == vscode.INTERPRETER
    assert attach["request"] == "attach" and attach["connect"]["port"] == 5678
    assert vscode.write_launch(project).changes == []


def test_launch_json_of_the_user_gets_the_missing_configurations_appended(project):
    path = project.root / vscode.LAUNCH_FILE
    path.parent.mkdir()
    mine = ('{\n    // mine\n    "version": "0.2.0",\n    "configurations": [\n'
            '        {"name": "dkenv: attach to demo", "type": "debugpy", "request": "attach"}, // edited\n'
            '    ]\n}\n')
    path.write_text(mine)
    outcome = vscode.write_launch(project)
    assert outcome.changes == ['"dkenv: current file in demo" added']
    text = path.read_text()
    assert "// mine" in text and "// edited" in text
    names = [c["name"] for c in read(path)["configurations"]]
    assert names == ["dkenv: attach to demo", "dkenv: current file in demo"]  # the user's attach kept as is
    assert read(path)["configurations"][0] == {"name": "dkenv: attach to demo", "type": "debugpy", "request": "attach"}


def test_without_a_debug_port_only_the_launch_configuration(tmp_path):
    project = make_config_project(tmp_path, "")
    vscode.write_launch(project)
    (conf,) = read(project.root / vscode.LAUNCH_FILE)["configurations"]
    assert conf["request"] == "launch"


def run_cli(root, *argv):
    return main(["-C", str(root), *argv])


def test_dkenv_ide_vscode_writes_the_interpreter_and_both_files_and_approves(project, capsys):
    assert run_cli(project.root, "ide", "vscode") == 0
    python = interpreter.path(project)
    assert python.is_file() and os.access(python, os.X_OK)
    assert settings_of(project).is_file() and (project.root / vscode.LAUNCH_FILE).is_file()
    assert allow.is_allowed(project.root)  # the interpreter may start the project
    err = capsys.readouterr().err
    assert "Select Interpreter" in err and "dkenv up` copies the venv's site-packages" in err


def test_dkenv_ide_pycharm_prints_the_steps(project, capsys):
    assert run_cli(project.root, "ide", "pycharm") == 0
    out = capsys.readouterr().out
    assert str(interpreter.path(project)) in out
    assert str(project.root / ".dkenv" / "site-packages") in out
    assert not (project.root / ".vscode").exists()


def test_dkenv_ide_needs_a_known_ide(project, capsys):
    assert run_cli(project.root, "ide", "emacs") == 2
    assert "emacs" in capsys.readouterr().err
