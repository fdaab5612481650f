"""dkenv/containers/upcache.py: the no-op `dkenv up` from its cache, and every change that must
miss it (the config, the manifests, lock files, the env file, dkenv's version, the generated
files, the variables read, the containers). A fake container init (a process named
docker-init) stands for the running project container."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import dkenv
from dkenv import recorder
from dkenv.commands import _leanup
from dkenv.engine import identity
from dkenv.containers import desired, upcache
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


@pytest.fixture
def root(tmp_path, fake_init, monkeypatch):
    """A project whose container "runs": the pid file and the records `up` writes, with the
    config hash the specs have; its files count as settled (no racy window)."""
    monkeypatch.setattr(recorder, "RACY_NS", 0)
    monkeypatch.setattr(recorder, "RACY_COARSE_NS", 0)
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # where the IDE folders are looked for
    root = tmp_path / "proj"
    root.mkdir()
    (root / ".dkenv.toml").write_text(CONFIG)
    (root / "requirements.txt").write_text("flask==3.0.0\n")
    (root / ".env").write_text("GREETING=hello\n")
    project = open_project(str(root))
    ident = identity.default()
    inputs = plan.make(project, ident.image_user)
    cid = Path(f"/proc/{fake_init.pid}/cgroup").read_text().splitlines()[0]
    records = "".join(f"{spec.name} {fake_init.pid} {cid} {spec.config_hash()}\n"
                      for spec in desired.specs(project, inputs.tag(project), ident))
    pidfile.write(project, pidfile.Record(fake_init.pid, cid, str(root), f"{os.getuid()}:{os.getgid()}"))
    (root / ".dkenv" / "run" / "containers").write_text(records)
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
    "a manifest": lambda root: edit(root / "requirements.txt", "flask==3.0.1\n"),
    "a manifest rewritten as it was": lambda root: edit(root / "requirements.txt", "flask==3.0.0\n"),
    "a dev requirements file added": lambda root: edit(root / "requirements-dev.txt", "pytest\n"),
    "a lock file added": lambda root: edit(root / "uv.lock", "version = 1\n"),
    "the env file": lambda root: edit(root / ".env", "GREETING=bye\n"),
    "a generated file removed": lambda root: (root / ".dkenv" / "bin" / "python").unlink(),
    "a generated file edited": lambda root: edit(root / ".dkenv" / "Dockerfile", "FROM scratch\n"),
    "an IDE folder appears (mounted)": lambda root: (root.parent / "home" / ".vscode-server").mkdir(),
    "a .vscode folder appears (mounted read-only)": lambda root: (root / ".vscode").mkdir(),
    "a .envrc appears (mounted read-only)": lambda root: edit(root / ".envrc", "export A=1\n"),
    "the cache torn": lambda root: edit(Path(upcache.path(str(root))),
                                        Path(upcache.path(str(root))).read_text()[:-5]),
}


@pytest.mark.parametrize("change", MISSES.values(), ids=MISSES.keys())
def test_a_change_misses_the_cache(root, change):
    assert upcache.hit(str(root)) is not None
    change(root)
    assert upcache.hit(str(root)) is None


def test_another_dkenv_misses_the_cache(root, monkeypatch):
    monkeypatch.setattr(dkenv, "__version__", "0.0.0-other")
    assert upcache.hit(str(root)) is None


def test_a_variable_it_read_misses_the_cache(root, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))  # the IDE folders it looked for are elsewhere
    assert upcache.hit(str(root)) is None


def test_a_stopped_container_misses_the_cache(root, fake_init):
    fake_init.kill()
    fake_init.wait()
    assert upcache.hit(str(root)) is None
    assert _leanup.try_up(["-C", str(root), "up"]) is None  # the full `up` starts it


def test_after_a_miss_the_full_check_stores_it_again(root):
    (root / "requirements.txt").write_text("flask==3.0.0\n")
    assert upcache.hit(str(root)) is None
    assert _leanup.try_up(["-C", str(root), "up"]) == 0
    assert upcache.hit(str(root)) is not None


def test_a_hit_loads_neither_tomlkit_nor_click_nor_the_sdk(root):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = "import sys; from dkenv.entry import main; sys.exit(main(['-C', %r, 'up']))" % str(root)
    store = "from dkenv import recorder; recorder.RACY_NS = recorder.RACY_COARSE_NS = 0; " + run  # the same key: `-c`, this cwd
    subprocess.run([sys.executable, "-c", store], env=env, check=True, capture_output=True, timeout=60)
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", run], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"dkenv: {open_project(str(root)).name} is up;" in result.stderr
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "dkenv.containers.upcache" in imported
    assert not {name for name in imported if name.split(".")[0] in ("tomlkit", "click", "docker")}
    assert "dkenv.project.config" not in imported
