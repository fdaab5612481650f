"""Shared test setup.

- The real home is never written: HOME and the XDG folders point into a temporary
  folder for the whole session (subprocesses inherit it).
- Docker tests use a real engine; without one they skip, unless DKENV_REQUIRE_DOCKER=1
  (CI), where they fail.
- Built projects are session-scoped: each image is built once per run.
- The session leaves nothing behind: at its end every made project is brought down, and
  anything still there from the session's folders fails it (tests/leftovers.py).
- SIGHUP is given back its default action when the suite was started ignoring it (`nohup`):
  the tests of a terminal's hangup send it to processes that inherit it, as a shell's
  children inherit the default.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from tests import leftovers

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "django-hello"
SANDBOX = Path(tempfile.mkdtemp(prefix="dkenv-tests-"))
RUN_ID = uuid.uuid4().hex[:6]  # keeps names apart from other runs on the same engine
STARTED = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())  # as `docker images` shows CreatedAt (UTC)

if signal.getsignal(signal.SIGHUP) == signal.SIG_IGN:
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
for _var, _sub in (("XDG_STATE_HOME", "state"), ("XDG_CONFIG_HOME", "config"),
                   ("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "share"), ("HOME", "home")):
    os.environ[_var] = str(SANDBOX / _sub)
    (SANDBOX / _sub).mkdir(exist_ok=True)
# the suite's user has a name registry (empty): a missing one is rebuilt from the labels of every
# dkenv project on the Engine, and names must not depend on what other runs left there
# (tests of the rebuild use a state dir of their own)
(SANDBOX / "state" / "dkenv").mkdir(parents=True, exist_ok=True)
(SANDBOX / "state" / "dkenv" / "projects.json").write_text("{}")
os.environ.pop("DKENV_PROJECT", None)
os.environ.pop("DKENV_DISABLE", None)


def dkenv(*args: str, cwd: Path | str | None = None, input: bytes | None = None,
          env: dict | None = None, check: bool = True, timeout: float = 900,
          user: str | None = None) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess; bytes in, bytes out."""
    cmd = [sys.executable, "-m", "dkenv", *args]
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    result = subprocess.run(cmd, cwd=cwd, input=input, env=full_env, capture_output=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"dkenv {' '.join(args)} exited {result.returncode}\n"
                             f"stdout: {result.stdout.decode(errors='replace')[-3000:]}\n"
                             f"stderr: {result.stderr.decode(errors='replace')[-3000:]}")
    return result


def docker_available() -> bool:
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="session")
def docker_engine():
    """A reachable engine, or skip (fail under DKENV_REQUIRE_DOCKER=1)."""
    if not docker_available():
        if os.environ.get("DKENV_REQUIRE_DOCKER") == "1":
            pytest.fail("DKENV_REQUIRE_DOCKER=1 but no Docker Engine answers `docker info`")
        pytest.skip("no Docker Engine (set DKENV_REQUIRE_DOCKER=1 to fail instead)")
    return True


class ProjectDir:
    """A project folder for tests, plus helpers to drive dkenv in it."""

    def __init__(self, root: Path, name: str):
        self.root = root
        self.name = name

    @property
    def container(self) -> str:
        return f"dkenv-{self.name}"

    def dkenv(self, *args, **kw) -> subprocess.CompletedProcess:
        kw.setdefault("cwd", self.root)
        return dkenv(*args, **kw)

    def command(self, *args: str) -> list[str]:
        """The argv that runs this source tree's dkenv (with env())."""
        return [sys.executable, "-m", "dkenv", *args]

    def env(self, **extra: str) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(REPO), **extra}

    def config(self, text: str) -> None:
        (self.root / ".dkenv.toml").write_text(text)


_CREATED: list[ProjectDir] = []


def make_writable(root: Path) -> None:
    """The user's write bit on every folder and file under `root`, as a git clone has."""
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o200)


def make_project(name: str, files: dict[str, str], base: Path | None = None) -> ProjectDir:
    """A fresh folder (a copy of `base` if given) with `files` written; its name is unique per run."""
    root = SANDBOX / "projects" / f"{name}-{RUN_ID}"
    if base is not None:
        shutil.copytree(base, root, ignore=shutil.ignore_patterns("data", ".dkenv"))
        make_writable(root)  # a read-only source (the corpus) gives a read-only copy: a clone is not
    root.mkdir(parents=True, exist_ok=True)
    unique = f"{name}-{RUN_ID}"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("@NAME@", unique))
    project = ProjectDir(root, unique)
    _CREATED.append(project)
    leftovers.record(root)
    return project


_ENGINE_TESTS: list[str] = []  # the tests run that may reach an engine (markers docker, shell)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    leftovers.current_test = item.nodeid
    if item.get_closest_marker("docker") or item.get_closest_marker("shell"):
        _ENGINE_TESTS.append(item.nodeid)
    yield
    leftovers.current_test = None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    """A test's tmp_path is the folder its projects are in: remember whose it is."""
    folder = getattr(item, "funcargs", {}).get("tmp_path")
    if folder is not None:
        leftovers.record(folder, item.nodeid)


@pytest.fixture(scope="session", autouse=True)
def _down_everything(tmp_path_factory):
    yield
    try:
        for project in _CREATED:
            if (project.root / ".dkenv.toml").exists():
                dkenv("down", cwd=project.root, check=False, timeout=120)
        engine = bool(_ENGINE_TESTS) and docker_available()
        left = leftovers.sweep([str(SANDBOX), str(tmp_path_factory.getbasetemp())], engine)
        if _CREATED and engine:
            remove_earlier_runs_images()
    finally:
        shutil.rmtree(SANDBOX, ignore_errors=True)  # projects, their data/, copies of site-packages
    if left:
        pytest.fail("the session left these behind (now removed): every test brings down what it started "
                    "and waits for what it started in the background:\n  " + "\n  ".join(left), pytrace=False)


def _run_over(sandbox: str) -> bool:
    """The run of this sandbox has ended: its session deleted it, or it died a day ago or more."""
    try:
        return time.time() - os.stat(sandbox).st_mtime > 86400
    except FileNotFoundError:
        return True
    except OSError:
        return False


def remove_earlier_runs_images() -> None:
    """The project images earlier test runs built (labelled with a project root in a test
    sandbox that is not this run's, made before this run started, of a run that has ended):
    this run's stay as the next run's layer cache, so the engine keeps one run's worth, not
    every run's. A run still going on the same engine keeps its images. Nothing outside the
    sandboxes is touched; images a container still uses are refused by the engine."""
    import docker

    sandboxes = os.path.join(tempfile.gettempdir(), "dkenv-tests-")
    client = docker.from_env(timeout=600)
    try:
        for image in client.images.list(filters={"label": "dkenv.root"}):
            root = image.labels.get("dkenv.root", "")
            earlier = image.attrs.get("Created", "")[:19].replace("T", " ") < STARTED
            sandbox = root[:root.find("/", len(sandboxes))] if "/" in root[len(sandboxes):] else root
            if root.startswith(sandboxes) and not root.startswith(str(SANDBOX)) and earlier and _run_over(sandbox):
                for ref in image.tags or [image.id]:
                    try:
                        client.images.remove(ref)
                    except docker.errors.APIError:
                        pass  # in use, or gone with another tag
    finally:
        client.close()


DJANGO_CONFIG = """\
[project]
name = "@NAME@"
[image]
base = "python:3.11-slim-bookworm"
install = "pip"
[run]
command = "python manage.py runserver 0.0.0.0:8000"
env = { DJANGO_DEBUG = "1" }
[services.db]
template = "postgres"
version = "15"
"""


@pytest.fixture(scope="session")
def built_project(docker_engine) -> ProjectDir:
    """examples/django-hello (Django + postgres `db`), up: shared by the Docker and shell tests."""
    project = make_project("hello", {".dkenv.toml": DJANGO_CONFIG}, base=EXAMPLE)
    project.dkenv("up")
    return project
