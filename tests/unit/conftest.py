"""Fixtures and helpers shared by the unit tests."""
from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from dkenv.cli import Options
from dkenv.engine.spec import ContainerSpec, Mount
from dkenv.errors import ConfigError
from dkenv.output import Output
from dkenv.project import config
from dkenv.project.project import Project
from dkenv.services import specs
from tests.helpers import wait_until


@pytest.fixture(autouse=True)
def no_engine_for_the_registry(monkeypatch):
    """A lost name registry is rebuilt from the Engine's labels: unit tests see an Engine
    with no dkenv container or image (a test that wants some patches `labelled` itself)."""
    from dkenv.project import registry

    monkeypatch.setattr(registry, "labelled", lambda: [])


@pytest.fixture(autouse=True)
def no_index(monkeypatch):
    """`init` asks PyPI for the wheels of pinned requirements: unit tests have no network (a
    test that wants an index passes its own `fetch`)."""
    from dkenv.detect import pinwheels

    def offline(found):
        raise OSError("no network in unit tests")
    monkeypatch.setattr(pinwheels, "_fetch_all", offline)


@pytest.fixture(autouse=True)
def host_ports_all_free(request, monkeypatch):
    """`init` avoids host ports something listens on: unit tests see none in use (the
    machine may run anything), but for tests marked `real_ports`."""
    from dkenv.project import hostports

    if "real_ports" not in request.keywords:
        monkeypatch.setattr(hostports, "listening", lambda port, bind="127.0.0.1": False)


@pytest.fixture
def state(tmp_path, monkeypatch):
    """HOME, XDG_STATE_HOME and XDG_CONFIG_HOME in tmp_path, no DKENV_PROJECT; the state folder.

    A module that needs it for every test says `pytestmark = pytest.mark.usefixtures("state")`.
    """
    for var, sub in (("XDG_STATE_HOME", "state"), ("XDG_CONFIG_HOME", "config"), ("HOME", "home")):
        (tmp_path / sub).mkdir()
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.delenv("DKENV_PROJECT", raising=False)
    return tmp_path / "state"


def tree(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative path -> dedented text) under `root`."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


class Captured(Output):
    """An Output that keeps every line (stdout and stderr alike) in `lines`."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def echo(self, line: str = "") -> None:
        self.lines.append(line)

    say = echo


def options(directory=None) -> Options:
    """The Options a command gets from the CLI (cli/group.py), with a Captured output."""
    return Options(str(directory) if directory is not None else None, Captured())


# --- a project with [services.NAME] tables (test_services.py, test_servicespecs.py) ---

HEAD = '[project]\nname = "demo"\n'


def make_config_project(root: Path, body: str, head: str = HEAD) -> Project:
    text = head + body
    path = root / config.CONFIG_NAME
    path.write_text(text)
    return Project(config=config.validate(path, text), name="demo")


def make_app_spec(project: Project) -> ContainerSpec:
    root = str(project.root)
    return ContainerSpec(
        name=project.container, role="app", image="dkenv/demo:0123abcd", entrypoint=["sleep"],
        command=["infinity"], env={"DKENV_PROJECT": root, "FROM_APP": "1"},
        mounts=[Mount(root, root), Mount(str(project.history_dir), "/dkenv-history")],
        user="1000:1000", working_dir=root, data_dirs=["dkenv/history"])


def specs_by_role(project: Project) -> dict[str, ContainerSpec]:
    return {s.role: s for s in specs.service_specs(project, make_app_spec(project))}


def config_error(root: Path, body: str) -> str:
    """The message of loading a config with this body: services are checked at load."""
    with pytest.raises(ConfigError) as info:
        make_config_project(root, body)
    assert info.value.exit_code == 2
    return str(info.value)


WORKER = """\
[services.db]
template = "postgres"
[services.redis]
[services.worker]
command = "celery -A proj worker -l info"
depends_on = ["db", "redis"]
env = { WORKER_ONLY = "yes" }
"""


@pytest.fixture
def fake_init(tmp_path):
    """A process named docker-init (a copy of `sleep`), as /proc shows a running container's
    init to the fast paths (pidfile, the lean exec and up)."""
    binary = tmp_path / "docker-init"
    shutil.copy(shutil.which("sleep"), binary)
    proc = subprocess.Popen([str(binary), "300"])
    wait_until(lambda: Path(f"/proc/{proc.pid}/comm").read_text().strip() == "docker-init",
               "the fake init to be named docker-init")
    yield proc
    proc.kill()
    proc.wait()
