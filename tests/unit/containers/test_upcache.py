"""dkenv/containers/upcache.py: the no-op `dkenv up` from its cache, keyed on the inputs the
check declares (dkenv/declared.py). Every change that must miss it (the config, the manifests,
lock files, the env file, dkenv's version, the generated files, the variables read, the IDE
folders, the containers), what must not (a source file edited), and that the declarations are
complete: every path the check touches and every variable it reads is among them. A fake
container init (a process named docker-init) stands for the running project container."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import dkenv
from dkenv import declared
from dkenv.commands import _leanup
from dkenv.containers import desired, upcache
from dkenv.engine import identity
from dkenv.exec import pidfile
from dkenv.image import plan
from dkenv.project.project import open_project
from tests.conftest import REPO

CONFIG = """\
[project]
name = "cached"
[image]
base = "python:3.11-slim-bookworm"
python = "3.11"
[run]
env_file = ".env"
"""
AUTO = """\
[project]
name = "cachedauto"
[image]
base = "python:3.11-slim-bookworm"
[services.worker]
command = "python worker.py"
"""


def running(root: Path, fake_init) -> None:
    """The pid file and the records `up` writes, with the config hash the specs have."""
    project = open_project(str(root))
    ident = identity.default()
    inputs = plan.make(project, ident.image_user)
    cid = Path(f"/proc/{fake_init.pid}/cgroup").read_text().splitlines()[0]
    records = "".join(f"{spec.name} {fake_init.pid} {cid} {spec.config_hash()}\n"
                      for spec in desired.specs(project, inputs.tag(project), ident))
    pidfile.write(project, pidfile.Record(fake_init.pid, cid, str(root), f"{os.getuid()}:{os.getgid()}"))
    (root / ".dkenv" / "run" / "containers").write_text(records)


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (no racy window)."""
    monkeypatch.setattr(declared, "RACY_NS", 0)
    monkeypatch.setattr(declared, "RACY_COARSE_NS", 0)


@pytest.fixture
def root(tmp_path, fake_init, monkeypatch, settled):
    """A project whose container "runs", its cache stored."""
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # where the IDE folders are looked for
    root = tmp_path / "proj"
    root.mkdir()
    (root / ".dkenv.toml").write_text(CONFIG)
    (root / "requirements.txt").write_text("flask==3.0.0\n")
    (root / ".env").write_text("GREETING=hello\n")
    (root / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    (root / "src").mkdir()
    running(root, fake_init)
    assert _leanup.try_up(["-C", str(root), "up"]) == 0  # the full no-op check; it made data/ in the root,
    assert _leanup.try_up(["-C", str(root), "up"]) == 0  # which it had listed: stored the second time
    return root


def test_the_next_up_says_the_same_from_the_cache(root, monkeypatch, capsys):
    capsys.readouterr()
    said = upcache.hit(str(root))
    name = open_project(str(root)).name  # cached, or cached-HASH when another test's root has the name
    assert said == [f"dkenv: image dkenv/{name}:" + said[0].split(":")[2], f"dkenv: dkenv-{name} is running",
                    f"dkenv: {name} is up; `dkenv exec CMD` or `dkenv shell` to work inside"]
    assert said[0].endswith(" is up to date")

    def no_config(*args):
        raise AssertionError("the cache holds: nothing is opened, parsed or validated")

    monkeypatch.setattr("dkenv.project.project.open_project", no_config)
    assert _leanup.try_up(["-C", str(root), "up"]) == 0
    assert capsys.readouterr().err.splitlines() == said


def edit(path: Path, text: str) -> None:
    path.write_text(text)


MISSES = {
    "the config": lambda root: edit(root / ".dkenv.toml", CONFIG + "# edited\n"),
    "the config touched": lambda root: os.utime(root / ".dkenv.toml"),
    "a manifest": lambda root: edit(root / "requirements.txt", "flask==3.0.1\n"),
    "a manifest rewritten as it was": lambda root: edit(root / "requirements.txt", "flask==3.0.0\n"),
    "a dev requirements file added": lambda root: edit(root / "requirements-dev.txt", "pytest\n"),
    "a requirements folder added": lambda root: (root / "requirements").mkdir(),
    "a lock file added": lambda root: edit(root / "uv.lock", "version = 1\n"),
    "the env file": lambda root: edit(root / ".env", "GREETING=bye\n"),
    "the env file removed": lambda root: (root / ".env").unlink(),
    "a generated file removed": lambda root: (root / ".dkenv" / "bin" / "python").unlink(),
    "a generated file edited": lambda root: edit(root / ".dkenv" / "Dockerfile", "FROM scratch\n"),
    "a stray file in the build context": lambda root: edit(root / ".dkenv" / "manifests" / "extra.txt", "x\n"),
    "the agent's file edited": lambda root: edit(root / ".dkenv" / "run" / "agent.py", "pass\n"),
    "an IDE folder appears (mounted)": lambda root: (root.parent / "home" / ".vscode-server").mkdir(),
    "a .vscode folder appears (mounted read-only)": lambda root: (root / ".vscode").mkdir(),
    "a .envrc appears (mounted read-only)": lambda root: edit(root / ".envrc", "export A=1\n"),
    "the name registry": lambda root: edit(Path(os.environ["XDG_STATE_HOME"]) / "dkenv" / "projects.json", "{}"),
    "the cache torn": lambda root: edit(Path(upcache.path(str(root))),
                                        Path(upcache.path(str(root))).read_text()[:-5]),
}


@pytest.mark.parametrize("change", MISSES.values(), ids=MISSES.keys())
def test_a_change_misses_the_cache(root, change):
    assert upcache.hit(str(root)) is not None
    change(root)
    assert upcache.hit(str(root)) is None


HITS = {
    "a source file edited": lambda root: edit(root / "app.py", "app = None\n"),
    "a source file added in a subfolder": lambda root: edit(root / "src" / "mod.py", "x = 1\n"),
    "a variable it does not read": lambda root: os.environ.__setitem__("DKENV_UNRELATED", "1"),
}


@pytest.mark.parametrize("change", HITS.values(), ids=HITS.keys())
def test_what_the_check_does_not_read_keeps_the_cache(root, change, monkeypatch):
    monkeypatch.delenv("DKENV_UNRELATED", raising=False)
    change(root)
    assert upcache.hit(str(root)) is not None


def test_another_dkenv_misses_the_cache(root, monkeypatch):
    monkeypatch.setattr(dkenv, "__version__", "0.0.0-other")
    assert upcache.hit(str(root)) is None


@pytest.mark.parametrize("name", ["HOME", "PATH", "XDG_STATE_HOME", "USER"])
def test_a_variable_it_reads_misses_the_cache(root, monkeypatch, tmp_path, name):
    monkeypatch.setenv(name, str(tmp_path / "elsewhere"))
    assert upcache.hit(str(root)) is None


def test_a_docker_appearing_on_path_misses_the_cache(root, tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}:{os.environ['PATH']}")
    assert _leanup.try_up(["-C", str(root), "up"]) == 0
    assert upcache.hit(str(root)) is not None  # stored again with this PATH
    (folder / "docker").write_text("#!/bin/sh\n")
    (folder / "docker").chmod(0o755)
    assert upcache.hit(str(root)) is None  # the IDE interpreter bakes another docker in


def test_a_stopped_container_misses_the_cache(root, fake_init):
    fake_init.kill()
    fake_init.wait()
    assert upcache.hit(str(root)) is None
    assert _leanup.try_up(["-C", str(root), "up"]) is None  # the full `up` starts it


def test_a_paused_container_misses_the_cache(root, monkeypatch):
    monkeypatch.setattr(pidfile, "paused", lambda pid: True)  # frozen (tests/docker/test_noop_up.py: a real one)
    assert upcache.hit(str(root)) is None
    assert _leanup.try_up(["-C", str(root), "up"]) is None  # the full `up` unpauses it


def test_after_a_miss_the_full_check_stores_it_again(root):
    (root / "requirements.txt").write_text("flask==3.0.0\n")
    assert upcache.hit(str(root)) is None
    assert _leanup.try_up(["-C", str(root), "up"]) == 0
    assert upcache.hit(str(root)) is not None


def test_a_file_changed_moments_before_is_not_cached(root, monkeypatch):
    monkeypatch.setattr(declared, "RACY_NS", 10**12)  # every file "just changed"
    monkeypatch.setattr(declared, "RACY_COARSE_NS", 10**12)
    (root / "requirements.txt").write_text("flask==3.0.0\n")
    assert _leanup.try_up(["-C", str(root), "up"]) == 0  # the full check answers...
    assert upcache.hit(str(root)) is None  # ...but stores nothing


def test_a_hit_loads_neither_tomlkit_nor_click_nor_the_sdk(root):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = "import sys; from dkenv.entry import main; sys.exit(main(['-C', %r, 'up']))" % str(root)
    store = "from dkenv import declared; declared.RACY_NS = declared.RACY_COARSE_NS = 0; " + run  # the same key
    subprocess.run([sys.executable, "-c", store], env=env, check=True, capture_output=True, timeout=60)
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", run], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"dkenv: {open_project(str(root)).name} is up;" in result.stderr
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "dkenv.containers.upcache" in imported
    assert not {name for name in imported if name.split(".")[0] in ("tomlkit", "click", "docker")}
    assert not {"dkenv.project.config", "hashlib", "pathlib"} & imported
