"""`dkenv doctor` against the real Engine: all pass on this machine; a docker CLI on
another Engine, an unreachable Engine and a taken port fail with their fix."""
from __future__ import annotations

import json
import os
import socket
import subprocess

import pytest

pytestmark = pytest.mark.docker


def doctor(project, *args, env=None):
    result = project.dkenv("doctor", "--json", *args, check=False, env=env)
    return result.returncode, {c["name"]: c for c in json.loads(result.stdout)["checks"]}


def test_everything_passes_here(core_project):
    code, checks = doctor(core_project)
    assert code == 0, checks
    for name in ("project", "socket", "engine", "docker CLI", "container PIDs", "bind mount", "disk", "ports"):
        assert checks[name]["status"] == "ok", checks[name]
    assert "held by the project" in checks["ports"]["detail"]  # core_project is up: its port is its own
    text = core_project.dkenv("doctor").stdout.decode()
    assert len(text.splitlines()) == len(checks) and text.startswith("ok   project: ")


def use_context(tmp_path, host: str) -> dict[str, str]:
    """A docker config of its own whose current context is `host`: the env that selects it."""
    env = {"DOCKER_CONFIG": str(tmp_path / "docker-config")}
    for argv in (["context", "create", "elsewhere", "--docker", f"host={host}"], ["context", "use", "elsewhere"]):
        subprocess.run(["docker", *argv], env={**os.environ, **env}, check=True, capture_output=True)
    return env


def test_the_sdk_and_the_cli_follow_the_same_docker_context(core_project, tmp_path):
    socket_path = tmp_path / "engine.sock"
    socket_path.symlink_to(os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock").removeprefix("unix://"))
    env = use_context(tmp_path, f"unix://{socket_path}")
    env["DOCKER_HOST"] = ""  # unset for the SDK and the CLI alike
    code, checks = doctor(core_project, env=env)
    assert code == 0, checks
    assert f"unix://{socket_path} (context elsewhere (the current context in {tmp_path}" in checks["engine"]["detail"]
    assert checks["docker CLI"]["status"] == "ok"


def test_a_context_on_a_dead_endpoint_names_it(core_project, tmp_path):
    env = use_context(tmp_path, f"unix://{tmp_path}/other.sock")
    env["DOCKER_HOST"] = ""
    code, checks = doctor(core_project, env=env)
    assert code == 1
    assert checks["engine"]["status"] == "fail"
    assert f"unix://{tmp_path}/other.sock (context elsewhere (the current context in" in checks["engine"]["detail"]
    assert "docker context use" in checks["engine"]["fix"]


def test_an_unreachable_engine_fails_and_the_rest_is_skipped(core_project, tmp_path):
    code, checks = doctor(core_project, env={"DOCKER_HOST": f"unix://{tmp_path}/none.sock"})
    assert code == 1
    assert checks["engine"]["status"] == "fail" and checks["socket"]["status"] == "fail"
    assert checks["bind mount"]["status"] == "skip"


def test_a_taken_port_fails(tmp_path, docker_engine):
    from tests.conftest import make_project

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        project = make_project("doctor", {".dkenv.toml": f'[project]\nname = "@NAME@"\n[image]\n'
                                                         f'base = "python:3.11-slim-bookworm"\ninstall = "none"\n'
                                                         f'[run]\nports = [{port}]\n'})
        code, checks = doctor(project)
    assert code == 1
    assert checks["ports"]["status"] == "fail" and f"127.0.0.1:{port}" in checks["ports"]["detail"]
