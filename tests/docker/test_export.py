"""The generated files, run by the tools they are for: `docker build .dkenv` and
Docker Compose (Debian's docker-compose 1.29, installed by .ci/run)."""
from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import RUN_ID, make_project
from tests.docker.conftest import PIP_HEAD, free_port
from tests.helpers import wait_until
from tests.shell.conftest import require

pytestmark = pytest.mark.docker

CONFIG = PIP_HEAD + """\
[run]
ports = [{port}]
env = {{ FROM_RUN = "run $HOME" }}
env_file = ".env"
[services.cache]
template = "redis"
[services.worker]
command = "python -m http.server 9000"
depends_on = ["cache"]
"""

CHECK = """\
import os, socket, six
print("cwd", os.getcwd())
print("uid", os.getuid())
print("env", os.environ["FROM_FILE"], os.environ["FROM_RUN"], os.environ["REDIS_URL"])
s = socket.create_connection(("cache", 6379)); s.sendall(b"PING\\r\\n"); print("redis", s.recv(7))
socket.create_connection(("worker", 9000)); print("worker up")
"""


def sh(*argv: str, cwd=None, timeout: float = 600) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(argv)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def exported(docker_engine):
    project = make_project("export", {".dkenv.toml": CONFIG.format(port=free_port()),
                                      "requirements.txt": "six==1.16.0\n", ".env": "FROM_FILE=from file\n"})
    project.dkenv("export", "compose")
    project.tag = project.dkenv("tag", "--full").stdout.decode().strip()
    yield project
    subprocess.run(["docker", "rmi", project.tag], capture_output=True)


def test_docker_build_of_the_dkenv_folder_builds_the_environment(exported):
    tag = f"dkenv-test/context-{RUN_ID}"
    sh("docker", "build", "-q", "-t", tag, str(exported.root / ".dkenv"))
    try:
        out = sh("docker", "run", "--rm", tag, "python", "-c", "import six, sys; print(sys.prefix)").stdout
        assert out.strip() == "/opt/venv"
    finally:
        subprocess.run(["docker", "rmi", tag], capture_output=True)


def test_compose_brings_the_project_up_and_exec_works(exported):
    compose = require("docker-compose")
    name = f"dkx{RUN_ID}"  # not dkenv's container names: both can exist side by side
    base = [compose, "-p", name]
    try:
        sh(*base, "up", "-d", cwd=exported.root)
        out = sh(*base, "exec", "-T", "app", "python", "-c", CHECK, cwd=exported.root).stdout
        assert f"cwd {exported.root}" in out
        assert f"uid {os.getuid()}" in out
        assert "env from file run $HOME redis://cache:6379/0" in out
        assert "redis b'+PONG\\r\\n'" in out and "worker up" in out
        def verdict() -> str:
            state = sh("docker", "inspect", "-f", "{{.State.Health.Status}}", f"{name}_cache_1").stdout.strip()
            return "" if state == "starting" else state

        assert wait_until(verdict, "the cache's health check's first verdict", every=0.5) == "healthy"
        assert (exported.root / "data" / "cache").is_dir()
    finally:
        subprocess.run([*base, "down"], cwd=exported.root, capture_output=True, timeout=300)


# --- Dev Containers: the reference CLI (`devcontainer`, from npm; .ci/run installs it) ---

ALONE = PIP_HEAD + """\
[run]
ports = [8000]
env_file = ".env"
"""


def devcontainer_up(cli: str, root) -> dict:
    import json

    out = sh(cli, "up", "--workspace-folder", str(root)).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["outcome"] == "success", out
    return result


def remove_devcontainer(root, result: dict) -> None:
    """Its containers (and, Compose-based, its network) and the images the CLI built: named
    vsc-FOLDER-... or PROJECT_SERVICE; never a service's own image (redis:7 cannot be pulled again)."""
    found = sh("docker", "ps", "-aq", "--filter", f"label=devcontainer.local_folder={root}").stdout.split()
    prefixes = [f"vsc-{root.name.lower()}-"]
    if result.get("composeProjectName"):
        name = result["composeProjectName"]
        found += sh("docker", "ps", "-aq", "--filter", f"label=com.docker.compose.project={name}").stdout.split()
        prefixes.append(f"{name}_")
    subprocess.run(["docker", "rm", "-f", *set(found)], capture_output=True)
    if result.get("composeProjectName"):
        subprocess.run(["docker", "network", "rm", f"{result['composeProjectName']}_default"], capture_output=True)
    images = sh("docker", "images", "--format", "{{.Repository}}:{{.Tag}}").stdout.split()
    built = [i for i in images if i.startswith(tuple(prefixes))]
    if built:
        subprocess.run(["docker", "rmi", *built], capture_output=True)


def test_devcontainer_up_and_exec_at_the_same_path(docker_engine):
    cli = require("devcontainer")
    project = make_project("devc", {".dkenv.toml": ALONE, "requirements.txt": "six==1.16.0\n",
                                    ".env": "FROM_FILE=from file\n"})
    project.dkenv("export", "devcontainer")
    result = {}
    try:
        result = devcontainer_up(cli, project.root)
        assert result["remoteWorkspaceFolder"] == str(project.root)
        code = "import os, six, sys; print(os.getcwd(), sys.prefix, os.getuid(), os.environ['FROM_FILE'])"
        out = sh(cli, "exec", "--workspace-folder", str(project.root), "python", "-c", code).stdout
        assert f"{project.root} /opt/venv {os.getuid()} from file" in out
    finally:
        remove_devcontainer(project.root, result)


def test_devcontainer_with_services_is_compose_based(exported):
    cli = require("devcontainer")
    exported.dkenv("export", "devcontainer")
    result = {}
    try:
        result = devcontainer_up(cli, exported.root)
        out = sh(cli, "exec", "--workspace-folder", str(exported.root), "python", "-c", CHECK).stdout
        assert f"cwd {exported.root}" in out and "redis b'+PONG\\r\\n'" in out
        label = subprocess.run(["docker", "image", "inspect", "-f", '{{index .Config.Labels "devcontainer.metadata"}}',
                                exported.tag], capture_output=True, text=True).stdout.strip()
        assert label in ("", "<no value>")  # the CLI's own build did not land under dkenv's tag
    finally:
        remove_devcontainer(exported.root, result)
