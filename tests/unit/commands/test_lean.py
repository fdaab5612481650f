"""dkenv/commands/_lean.py: the forms the lean `dkenv exec` takes, the cache that lets it skip the
config, and every case it leaves to the full CLI."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from dkenv import __version__, declared
from dkenv.commands import _lean
from dkenv.exec import pidfile
from tests.conftest import REPO


COMMON = [
    (["exec", "python", "-c", "pass"], (None, {}, None, ["python", "-c", "pass"])),
    (["-C", "/p", "exec", "--", "ls", "-l"], ("/p", {}, None, ["ls", "-l"])),
    (["-C/p", "exec", "true"], ("/p", {}, None, ["true"])),
    (["-C", "/a", "-C", "/b", "exec", "true"], ("/b", {}, None, ["true"])),  # the last -C wins
    (["exec", "-e", "A=1", "-eB=2=3", "--env", "C=", "--env=D=x", "env"],
     (None, {"A": "1", "B": "2=3", "C": "", "D": "x"}, None, ["env"])),
    (["exec", "-e", "A=1", "-e", "A=2", "env"], (None, {"A": "2"}, None, ["env"])),
    (["exec", "-e", "-x=1", "env"], (None, {"-x": "1"}, None, ["env"])),  # an option's value may start with -
    (["exec", "--user", "root", "id"], (None, {}, "root", ["id"])),
    (["exec", "--user", "a", "--user=b", "id"], (None, {}, "b", ["id"])),
    (["exec", "--user=0", "id", "--user", "x"], (None, {}, "0", ["id", "--user", "x"])),  # ARGV is the command's
    (["exec", "--", "--weird"], (None, {}, None, ["--weird"])),
    (["exec", "--", "--"], (None, {}, None, ["--"])),
    (["exec", "true", "--", "-e"], (None, {}, None, ["true", "--", "-e"])),
]


@pytest.mark.parametrize("args, parsed", COMMON)
def test_the_common_forms(args, parsed):
    assert _lean.parse(args) == parsed


@pytest.mark.parametrize("args", [args for args, _ in COMMON])
def test_the_common_forms_are_read_as_click_reads_them(args, monkeypatch):
    """The same argv through the click command (cli/container.py's declaration of exec)."""
    from dkenv.cli import cli, container

    calls = []
    monkeypatch.setattr(container, "run_verb", lambda verb, opts, **kwargs: calls.append((opts.directory, kwargs)) or 0)
    assert cli.main(args=args, prog_name="dkenv", standalone_mode=False) == 0
    ((directory, kwargs),) = calls
    assert _lean.parse(args) == (directory, _lean.parse_env(kwargs["env"]), kwargs["user"], kwargs["argv"])


@pytest.mark.parametrize("args, directory", [(["up"], None), (["-C", "/p", "up"], "/p"), (["-C/p", "up"], "/p")])
def test_the_lean_ups_form_is_clicks(args, directory, monkeypatch):
    from dkenv.cli import project

    calls = []
    monkeypatch.setattr(project, "run_verb", lambda verb, opts, **kwargs: calls.append(opts.directory) or 0)
    assert cli_main(args) == 0 and calls == [directory]
    assert _lean.parse_global(args, "up") == (directory, [])


def cli_main(args):
    from dkenv.cli import cli

    return cli.main(args=args, prog_name="dkenv", standalone_mode=False)


@pytest.mark.parametrize("args", [
    ["-v", "exec", "true"],  # verbose: the CLI's
    ["exec", "--help"],
    ["exec", "-h"],
    ["exec", "-x", "true"],  # an option exec does not know (click passes it on as ARGV)
    ["exec", "--envx", "A=1", "true"],
    ["exec"],  # nothing to run: the CLI's usage error
    ["exec", "--"],
    ["exec", "-e", "NOEQUALS", "true"],  # the CLI's message for a bad -e
    ["exec", "-e", "=v", "true"],
    ["exec", "-e"],
    ["exec", "true", "-C"][:0] + ["exec", "-C", "/p", "true"],  # -C belongs before the verb
    ["up"],
])
def test_anything_else_is_the_clis(args):
    assert _lean.parse(args) is None


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "my app"
    (root / "sub").mkdir(parents=True)
    (root / ".dkenv.toml").write_text('[project]\nname = "demo"\n')
    return SimpleNamespace(root=root, work_dir=root / ".dkenv", container="dkenv-demo")


def test_the_cache_holds_while_the_config_and_dkenv_are_the_same(project, monkeypatch):
    monkeypatch.setattr(declared, "RACY_NS", 0)
    monkeypatch.setattr(declared, "RACY_COARSE_NS", 0)
    root = str(project.root)
    assert _lean.cached_container(root) is None
    _lean.remember(project)
    assert _lean.cached_container(root) == "dkenv-demo"
    cache = project.work_dir / "run" / _lean.CACHE
    assert cache.read_text().split("\n")[:4] == [_lean.MAGIC, __version__, root, "dkenv-demo"]
    assert cache.read_text().split("\n")[5] == declared.state(str(project.root / ".dkenv.toml"))
    (project.root / ".dkenv.toml").write_text('[project]\nname = "demo"\n# edited\n')
    assert _lean.cached_container(root) is None  # another config: validated again by the full CLI
    _lean.remember(project)
    assert _lean.cached_container(root) == "dkenv-demo"
    os.utime(project.root / ".dkenv.toml", ns=(1, 1))  # touched, the same text: its digest says so
    assert _lean.cached_container(root) == "dkenv-demo"
    cache.write_text(cache.read_text().replace(__version__, "0.0.0-other"))
    assert _lean.cached_container(root) is None  # another dkenv wrote it


def test_a_config_changed_moments_before_is_checked_by_its_digest(project, monkeypatch):
    monkeypatch.setattr(declared, "RACY_NS", 10**12)  # "just changed": its stat may not show the next change
    _lean.remember(project)
    cache = project.work_dir / "run" / _lean.CACHE
    assert cache.read_text().split("\n")[5] == _lean.RACY
    assert _lean.cached_container(str(project.root)) == "dkenv-demo"
    config = project.root / ".dkenv.toml"
    before = config.stat()
    config.write_text('[project]\nname = "dem0"\n')  # the same size, maybe the same timestamps
    os.utime(config, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert _lean.cached_container(str(project.root)) is None


@pytest.mark.parametrize("start", [None, "sub", "sub/", "./sub", "sub/../sub", "/", "sub//deeper/.."])
def test_the_root_is_found_as_the_cli_finds_it(project, monkeypatch, start):
    """One search (project/root.py) for the lean paths and config.locate_root."""
    from dkenv.errors import ConfigError
    from dkenv.project import config, root

    (project.root / "sub" / "deeper").mkdir()
    monkeypatch.chdir(project.root)
    monkeypatch.delenv("DKENV_PROJECT", raising=False)
    found = root.find(root.start(start))
    try:
        assert str(config.locate_root(start)) == found
    except ConfigError:
        assert found is None
    assert (found is None) == (start == "/")
    assert found is None or os.path.samefile(found, project.root)  # spelt as given: `sub/..` stays


def test_it_steps_aside_unless_the_container_is_known_running(project, monkeypatch, fake_init):
    monkeypatch.chdir(project.root)
    monkeypatch.delenv("DKENV_PROJECT", raising=False)
    _lean.remember(project)
    assert _lean.try_exec(["exec", "true"]) is None  # no pid file
    cgroup = Path(f"/proc/{fake_init.pid}/cgroup").read_text().splitlines()[0]
    record = pidfile.Record(fake_init.pid, cgroup, str(project.root), "1500:1500", ("", ""),
                            {"DOCKER_HOST": "unix:///var/run/docker.sock"})
    pidfile.write(project, record)
    assert pidfile.running_at(str(project.root)) == record
    assert pidfile.running_at(str(project.root), {"DOCKER_HOST": "ssh://me@elsewhere"}) is None  # another engine
    pidfile.write(project, pidfile.Record(0, cgroup, str(project.root), "1500:1500"))
    assert _lean.try_exec(["exec", "true"]) is None  # not visible from here (a remote engine): the CLI's
    pidfile.write(project, record)
    monkeypatch.chdir(project.root.parent)
    assert _lean.try_exec(["exec", "true"]) is None  # no project around the cwd
    # a root spelt with `..` is another root than the one the cache names (as the CLI spells it)
    assert _lean.try_exec(["-C", str(project.root / ".." / "my app"), "exec", "true"]) is None


def test_a_lean_run_imports_neither_click_nor_tomlkit_nor_the_sdk_nor_packaging(project, fake_init, tmp_path):
    """Through the docker exec fallback (the agent's socket is absent), with a fake `docker`."""
    cgroup = Path(f"/proc/{fake_init.pid}/cgroup").read_text().splitlines()[0]
    pidfile.write(project, pidfile.Record(fake_init.pid, cgroup, str(project.root), "0:0", ("", ""),
                                          {"DOCKER_HOST": "unix:///run/engine.sock"}))
    _lean.remember(project)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text('#!/bin/sh\necho "DOCKER_HOST=$DOCKER_HOST docker $*"\n')
    (bin_dir / "docker").chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "dkenv", "exec", "hello"], cwd=project.root,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # as the record's user (the engine's identity), the docker CLI pinned to the record's engine
    assert result.stdout.startswith("DOCKER_HOST=unix:///run/engine.sock docker exec -i -u 0:0 ")
    assert "dkenv-demo sh -c" in result.stdout
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "dkenv.commands._lean" in imported
    assert not {name for name in imported if name.split(".")[0] in ("click", "tomlkit", "docker", "packaging")}


def test_the_shims_python_imports_no_packaging(tmp_path):
    """The agent's client, run as a shim runs it, falling back (no socket) to the shim: here `true`."""
    client = REPO / "dkenv" / "exec" / "agent" / "client.py"
    result = subprocess.run([sys.executable, "-I", "-S", "-X", "importtime", str(client), "/bin/true", "0",
                             str(tmp_path / "agent.sock"), str(tmp_path), "0:0", "--", "python"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert imported and not {name for name in imported if name.split(".")[0] == "packaging"}
