"""dkenv/exec/debugging.py and the [debug] table: debugpy's command line, the VS Code
configuration, the published port and the Dockerfile layer."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from dkenv import hostuser
from dkenv.containers import appspec
from dkenv.exec import debugging
from dkenv.engine.spec import Port
from dkenv.errors import ConfigError, UsageError
from dkenv.image import dockerfile
from dkenv.project import config
from dkenv.project.project import Project

LISTEN = ["python", "-Xfrozen_modules=off", "-m", "debugpy", "--listen", "0.0.0.0:5678"]


def project(root: Path, toml: str) -> Project:
    (root / ".dkenv.toml").write_text(textwrap.dedent(toml))
    return Project(config=config.load(root), name="demo")


@pytest.mark.parametrize("argv, expected", [
    (["python", "manage.py", "runserver", "0.0.0.0:8000"], ["manage.py", "runserver", "0.0.0.0:8000"]),
    (["python3", "-m", "flask", "run"], ["-m", "flask", "run"]),
    (["/opt/venv/bin/python3.11", "-c", "print(1)"], ["-c", "print(1)"]),
    (["./manage.py", "shell"], ["./manage.py", "shell"]),
    (["app.py"], ["app.py"]),
    (["uvicorn", "main:app", "--reload"], ["/opt/venv/bin/uvicorn", "main:app", "--reload"]),
    (["pytest", "-x", "tests/"], ["/opt/venv/bin/pytest", "-x", "tests/"]),
])
def test_the_target_keeps_its_arguments_after_debugpy(argv, expected):
    assert debugging.debug_argv(argv, 5678, wait=False) == LISTEN + expected


def test_wait_and_port():
    assert debugging.debug_argv(["python", "a.py"], 9000, wait=True) == [
        "python", "-Xfrozen_modules=off", "-m", "debugpy", "--listen", "0.0.0.0:9000", "--wait-for-client", "a.py"]


@pytest.mark.parametrize("argv, words", [
    ([], "nothing to run"),
    (["python"], "needs a script"),
    (["python", "-X", "dev", "a.py"], "-X cannot be passed"),
])
def test_what_debugpy_cannot_run_is_a_usage_error(argv, words):
    with pytest.raises(UsageError) as info:
        debugging.debug_argv(argv, 5678, wait=False)
    assert words in str(info.value) and info.value.exit_code == 2


def test_debug_defaults_to_off(tmp_path):
    cfg = project(tmp_path, "").config
    assert (cfg.debug.port, cfg.debug.wait) == (0, False)


def test_the_debug_port_is_published_on_run_bind(tmp_path):
    proj = project(tmp_path, """\
        [run]
        ports = [8000]
        bind = "127.0.0.2"
        [debug]
        port = 5679
        wait = true
        """)
    spec = appspec.app_spec(proj, "img")
    assert spec.ports == [Port("127.0.0.2", 8000, 8000), Port("127.0.0.2", 5679, 5679)]
    assert proj.config.debug.wait is True


def test_no_debug_port_publishes_nothing_more(tmp_path):
    assert appspec.app_spec(project(tmp_path, "[run]\nports = [8000]\n"), "img").ports == [
        Port("127.0.0.1", 8000, 8000)]


@pytest.mark.parametrize("toml, words", [
    ('[debug]\nport = "5678"\n', "debug.port: must be an integer"),
    ("[debug]\nport = 70000\n", "70000 is not a port"),
    ("[debug]\nport = -1\n", "-1 is not a port"),
    ("[run]\nports = [5678]\n[debug]\nport = 5678\n", "also in run.ports"),
    ('[run]\nports = ["5678:8000"]\n[debug]\nport = 5678\n', "also in run.ports"),
    ('[run]\nports = ["8001:5678"]\n[debug]\nport = 5678\n', "also in run.ports"),
    ("[debug]\nprot = 5678\n", 'did you mean "port"'),
])
def test_bad_debug_values_are_config_errors(tmp_path, toml, words):
    (tmp_path / ".dkenv.toml").write_text(toml)
    with pytest.raises(ConfigError) as info:
        config.load(tmp_path)
    assert words in str(info.value)
    assert re.search(r"\.dkenv\.toml:\d+: ", str(info.value))


def test_the_dockerfile_installs_debugpy_only_when_debugging(tmp_path):
    base = dict(base="python:3.11-slim-bookworm", python="3.11", python_from="image", install="pip",
                user=hostuser.User("alice", 1000, 1000), requirements=["requirements.txt"])
    with_debug = dockerfile.render(dockerfile.ImagePlan(**base, debugpy=True))
    without = dockerfile.render(dockerfile.ImagePlan(**base))
    layer = "RUN /opt/venv/bin/pip install --no-cache-dir debugpy"
    assert layer in with_debug and "debugpy" not in without
    # a small layer of its own after the dependencies, run as the host user who owns the venv
    assert with_debug.index("-r requirements.txt") < with_debug.index(layer) < with_debug.index("USER 1000:1000\nLABEL")


def test_vscode_configuration_attaches_with_the_identity_path_mapping(tmp_path):
    proj = project(tmp_path, '[run]\nbind = "0.0.0.0"\n[debug]\nport = 5680\n')
    conf = debugging.vscode_configuration(proj)
    assert conf["type"] == "debugpy" and conf["request"] == "attach"
    assert conf["connect"] == {"host": "127.0.0.1", "port": 5680}
    assert conf["pathMappings"] == [{"localRoot": "${workspaceFolder}", "remoteRoot": "${workspaceFolder}"}]
