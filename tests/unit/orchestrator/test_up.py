"""dkenv/orchestrator/up.py: the sequence of `up` against the fake engine (tests/unit/fakeengine.py):
what is built, created, recreated, started, unpaused and removed, in which order, what is
said, and what nothing is done for (the real Engine: tests/docker/test_lifecycle.py)."""
from __future__ import annotations

import io
import tarfile

import pytest

from dkenv.commands import up as up_command
from dkenv.containers import noop, ports
from dkenv.engine import engine as engine_module
from dkenv.errors import FatalError
from dkenv.exec import pidfile
from dkenv.image import plan as image_plan
from dkenv.orchestrator import up
from dkenv.project.project import open_project
from dkenv.shell import interpreter
from tests.unit.conftest import options
from tests.unit.fakeengine import CONTAINER_ACTS, FakeDocker, engine

pytestmark = pytest.mark.usefixtures("state")

HEAD = '[project]\nname = "demo"\n[image]\ninstall = "none"\n'
REDIS = "[services.redis]\n"
APP, REDIS_C, DB_C = "dkenv-demo", "dkenv-demo-redis", "dkenv-demo-db"
SITE = "/opt/venv/lib/python3.11/site-packages"


def site_tar() -> list[bytes]:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        folder = tarfile.TarInfo("site-packages")
        folder.type, folder.mode = tarfile.DIRTYPE, 0o755
        tar.addfile(folder)
    return [buffer.getvalue()]


@pytest.fixture
def docker(monkeypatch) -> FakeDocker:
    """The fake daemon; its project container lists a venv and sends its site-packages."""
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")  # read for the pid file's record only
    fake = FakeDocker()
    fake.on_exec = lambda container, argv, user: (0, f"{SITE}\n".encode())
    fake.on_archive = lambda container, path: site_tar()
    return fake


@pytest.fixture
def taken(monkeypatch) -> set[int]:
    """Host ports something else listens on (none unless a test adds some)."""
    busy: set[int] = set()
    monkeypatch.setattr(ports, "is_free", lambda bind, port: port not in busy)
    return busy


class Rig:
    """A project folder and `dkenv up` on it, through the orchestrator."""

    def __init__(self, root, docker):
        self.root, self.docker = root, docker
        self.said: list[str] = []

    def config(self, body: str) -> "Rig":
        (self.root / ".dkenv.toml").write_text(HEAD + body)
        return self

    def project(self):
        return open_project(str(self.root))

    def up(self, command: bool = True, **kwargs):
        """One `up`; the calls that changed something, from this one only."""
        self.docker.calls.clear()
        self.said.clear()
        up.up(self.project(), engine(self.docker), self.said.append, command=command, **kwargs)
        return self.docker.acts()

    @property
    def tag(self) -> str:
        return next(b["tag"] for b in reversed(self.docker.builds))


@pytest.fixture
def rig(tmp_path, docker, taken) -> Rig:
    root = tmp_path / "demo"
    root.mkdir()
    return Rig(root, docker)


def test_a_fresh_project_with_a_service_is_built_then_the_service_then_the_project_container(rig):
    acts = rig.config(REDIS).up()
    assert acts == [("build", rig.tag), ("create", REDIS_C), ("start", REDIS_C), ("create", APP), ("start", APP)]
    network = rig.docker.calls.index(("network", "dkenv-demo"))
    assert rig.docker.calls.index(("build", rig.tag)) < network < rig.docker.calls.index(("create", REDIS_C))
    assert rig.said[0].startswith(f"dkenv: building {rig.tag} ")
    assert rig.said[2:4] == [f"dkenv: creating {REDIS_C} (not created yet)", f"dkenv: creating {APP} (not created yet)"]
    assert rig.said[4].startswith("dkenv: copying the venv's site-packages")
    assert len(rig.said) == 5
    record = pidfile.read(rig.project())
    assert record is not None and record.root == str(rig.root)  # the pid file the shims check
    assert (rig.root / ".dkenv" / "Dockerfile").is_file() and interpreter.path(rig.project()).is_file()
    redis = rig.docker.containers_by_name[REDIS_C]["Config"]
    assert redis["Healthcheck"]["test"][0] == "CMD-SHELL"  # waited for: healthy before the app started
    assert "REDIS_URL" in rig.docker.containers_by_name[APP]["Config"]["Env"]


def test_nothing_changed_builds_and_creates_nothing_and_says_so(rig):
    rig.config(REDIS).up()
    assert rig.up() == []
    assert rig.docker.calls == []
    assert rig.said == [f"dkenv: image {rig.tag} is up to date", f"dkenv: {REDIS_C} is running",
                        f"dkenv: {APP} is running"]


def test_a_config_change_recreates_the_project_container_only(rig):
    rig.config(REDIS).up()
    acts = rig.config(REDIS + '[run]\nenv = { FEATURE = "on" }\n').up()
    assert acts == [("stop", APP), ("remove", APP), ("create", APP), ("start", APP)]
    assert rig.said[:3] == [f"dkenv: image {rig.tag} is up to date", f"dkenv: {REDIS_C} is running",
                            f"dkenv: recreating {APP} (its configuration or image changed)"]
    assert rig.docker.containers_by_name[APP]["Config"]["Env"]["FEATURE"] == "on"


def test_a_service_taken_out_of_the_config_is_removed_last(rig):
    rig.config(REDIS + '[services.db]\ntemplate = "postgres"\nversion = "15"\n').up()
    acts = rig.config(REDIS).up()
    # the project container loses the db's variables (recreated), then the db goes
    assert acts == [("stop", APP), ("remove", APP), ("create", APP), ("start", APP), ("stop", DB_C), ("remove", DB_C)]
    assert rig.said[-1] == f"dkenv: removing {DB_C} (no longer in .dkenv.toml)"
    assert DB_C not in rig.docker.containers_by_name and rig.docker.state_of(REDIS_C) == "running"


def test_a_paused_container_is_unpaused_and_nothing_else(rig):
    rig.config(REDIS).up()
    rig.docker.pause(APP)
    assert rig.up() == [("unpause", APP)]
    assert f"dkenv: unpausing {APP}" in rig.said
    assert rig.docker.state_of(APP) == "running"


def test_a_stopped_service_is_started(rig):
    rig.config(REDIS).up()
    rig.docker.stopped(REDIS_C)
    assert rig.up() == [("start", REDIS_C)]


def test_a_taken_port_refuses_before_anything_is_built_or_created(rig, taken):
    taken.add(16379)
    with pytest.raises(FatalError) as info:
        rig.config('[services.redis]\nports = ["16379:6379"]\n').up()
    assert str(info.value) == ("dkenv: port 127.0.0.1:16379 (for redis) is already in use by another program; "
                               "nothing was started")
    assert rig.docker.calls == []  # no build, no network, no container
    assert rig.docker.containers_by_name == {}


def test_a_taken_port_leaves_the_running_containers_alone(rig, taken):
    rig.config(REDIS).up()
    taken.add(16379)
    with pytest.raises(FatalError, match="16379"):
        rig.config('[services.redis]\nports = ["16379:6379"]\n').up()
    assert rig.docker.calls == [] and rig.docker.state_of(REDIS_C) == "running"


def test_no_build_refuses_a_missing_image_and_creates_nothing(rig):
    with pytest.raises(FatalError, match=r"the image dkenv/demo:\w+ is not built; run `dkenv build`"):
        rig.config("").up(build=False)
    assert rig.docker.calls == []
    assert (rig.root / ".dkenv" / "Dockerfile").is_file()  # as before: the context is written first


def test_a_new_image_is_built_the_container_recreated_and_the_old_image_pruned(rig):
    rig.config("").up()
    old = rig.tag
    acts = rig.config('apt = ["curl"]\n').up()
    assert rig.tag != old
    assert acts == [("build", rig.tag), ("stop", APP), ("remove", APP), ("create", APP), ("start", APP)]
    assert rig.docker.calls[-1] == ("remove_image", old)  # once no container uses it
    assert rig.docker.image_tags().count(rig.tag) == 1 and old not in rig.docker.image_tags()


def test_only_dkenv_up_writes_the_ide_interpreter(rig):
    rig.config("").up(command=False)
    assert not interpreter.path(rig.project()).exists()
    rig.up(command=True)
    assert interpreter.path(rig.project()).is_file()


def test_a_worker_that_dies_fails_dkenv_up_and_is_only_reported_for_exec(rig):
    rig.config('[services.worker]\ncommand = "celery -A proj worker"\n')
    rig.docker.timeline["dkenv-demo-worker"] = [{"Status": "exited", "ExitCode": 1}]  # dies at once
    rig.docker.logs_text["dkenv-demo-worker"] = b"ImportError: no celery"
    with pytest.raises(FatalError, match="service worker exited with status 1"):
        rig.up(command=True)
    rig.docker.stopped("dkenv-demo-worker", 1)
    rig.up(command=False)  # started again, dead again: said, not fatal
    assert rig.said[-1].startswith("dkenv: service worker exited with status 1")
    assert "  | ImportError: no celery" in rig.said[-1]


def test_ensure_running_brings_the_project_up_once(rig):
    rig.config(REDIS)
    eng = engine(rig.docker)
    record = up.ensure_running(rig.project(), eng, rig.said.append)
    assert record.root == str(rig.root)
    assert rig.docker.acts(CONTAINER_ACTS)[-2:] == [("create", APP), ("start", APP)]
    assert not interpreter.path(rig.project()).exists()  # a command that needs it running writes none
    rig.docker.calls.clear()
    assert up.ensure_running(rig.project(), eng, rig.said.append).container_id == record.container_id
    assert rig.docker.calls == []  # running, this root's: not even an `up`


def test_ensure_running_fails_when_the_project_container_does_not_start(rig):
    rig.config("")
    rig.docker.timeline[APP] = [{"Status": "exited", "ExitCode": 127}]
    with pytest.raises(FatalError, match=f"the project container {APP} did not start"):
        up.ensure_running(rig.project(), engine(rig.docker), rig.said.append)


def test_the_command_is_the_orchestrator_then_its_last_line(rig, monkeypatch):
    rig.config(REDIS)
    monkeypatch.setattr(engine_module, "connect", lambda out=None, env=None, timeout=300: engine(rig.docker))
    opts = options(rig.root)
    assert up_command.run(opts, build=True, pull="missing", force=False) == 0
    assert opts.out.lines[-1] == "dkenv: demo is up; `dkenv exec CMD` or `dkenv shell` to work inside"
    assert [a for a in rig.docker.acts() if a[0] == "create"] == [("create", REDIS_C), ("create", APP)]
    assert interpreter.path(rig.project()).is_file()


UV_NO_LOCK = ('[project]\nname = "demo"\n[image]\ninstall = "uv"\n',
              '[project]\nname = "demo"\nversion = "0"\ndependencies = []\n')
UV_NOTE = ("dkenv: note: there is no uv.lock: the image resolved the versions itself; "
           "`dkenv lock` writes its uv.lock into the project, and the next `dkenv up` installs from it")


@pytest.fixture
def plans(monkeypatch) -> list[str]:
    """The projects plan.make is called for, by every caller: one per `up`."""
    made: list[str] = []
    real = image_plan.make

    def counting(project, *args, **kwargs):
        made.append(project.name)
        return real(project, *args, **kwargs)

    monkeypatch.setattr(image_plan, "make", counting)
    return made


def uv_project(rig, monkeypatch) -> None:
    """A uv project without a uv.lock (the image resolves one), `dkenv up` on the fake engine."""
    (rig.root / ".dkenv.toml").write_text(UV_NO_LOCK[0])
    (rig.root / "pyproject.toml").write_text(UV_NO_LOCK[1])
    monkeypatch.setenv("DKENV_BUILDER", "classic")  # the fake engine has no cache volumes
    monkeypatch.setattr(engine_module, "connect", lambda out=None, env=None, timeout=300: engine(rig.docker))


def test_the_lock_note_comes_from_the_plan_up_made_not_a_second_one(rig, monkeypatch, plans):
    uv_project(rig, monkeypatch)
    opts = options(rig.root)
    assert up_command.run(opts, build=True, pull="missing", force=False) == 0
    assert opts.out.lines[-1] == UV_NOTE
    assert plans == ["demo"]


def test_the_no_op_up_says_the_lock_note_from_its_own_plan(rig, monkeypatch, plans):
    uv_project(rig, monkeypatch)
    up_command.run(options(rig.root), build=True, pull="missing", force=False)
    # the containers as the no-op check finds them on a rootful local engine (no /proc here)
    monkeypatch.setattr(noop, "recorded_at", lambda root: {APP: (1, "id", "hash")})
    monkeypatch.setattr(noop.pidfile, "running_at", lambda root: object())
    monkeypatch.setattr(noop, "running_as_wanted", lambda root, wanted: True)
    plans.clear()
    rig.docker.calls.clear()
    opts = options(rig.root)
    assert up_command.run(opts, build=True, pull="missing", force=False) == 0
    assert opts.out.lines[0].startswith("dkenv: image dkenv/demo:") and opts.out.lines[-1] == UV_NOTE
    assert plans == ["demo"] and rig.docker.calls == []
