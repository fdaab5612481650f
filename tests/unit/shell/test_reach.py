"""dkenv/shell/reach.py: what an approval approves beyond the project, said by `dkenv allow`,
`activate`, `ide`, the refusals of auto-activation and of the shims, and `up` (ports)."""
from __future__ import annotations

import pytest

from dkenv.cli import main
from dkenv.project import config
from dkenv.shell import reach

pytestmark = pytest.mark.usefixtures("state", "host_path")  # tests/unit/conftest.py


@pytest.fixture
def host_path(tmp_path, monkeypatch):
    """The host's PATH: one folder, with `git` only."""
    folder = tmp_path / "hostbin"
    folder.mkdir()
    (folder / "git").write_text("#!/bin/sh\n")
    (folder / "git").chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))


def load(tmp_path, body: str):
    root = tmp_path / "app"
    root.mkdir(exist_ok=True)
    (root / ".dkenv.toml").write_text('[project]\nname = "app"\n' + body)
    return config.load(root)


def test_a_project_that_stays_inside_says_nothing(tmp_path):
    assert reach.lines(load(tmp_path, '[run]\nports = [8000]\n[shims]\ncommands = ["python", "pytest"]\n')) == []
    assert reach.lines(load(tmp_path, '[run]\nbind = "::1"\nports = [8000]\n')) == []


@pytest.mark.parametrize("bind, where", [("0.0.0.0", "every network of this machine"), ("::", "every network"),
                                         ("192.168.1.20", "192.168.1.20's network")])
def test_ports_beyond_loopback(tmp_path, bind, where):
    cfg = load(tmp_path, f'[run]\nbind = "{bind}"\nports = [8000, "8443:443"]\n[debug]\nport = 5678\n'
                         '[services.db]\ntemplate = "redis"\nports = ["6390:6379"]\n')
    line = reach.exposure(cfg)
    assert f"ports 8000, 8443, 5678, 6390 (db) published on {bind}" in line and where in line
    assert reach.exposure(load(tmp_path, '[run]\nbind = "0.0.0.0"\n')) is None  # nothing published


def test_every_way_out_is_listed(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "tools").mkdir(parents=True)
    (home / "linked").symlink_to(home / "tools")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "setup.sh").write_text("apt-get install -y x\n")
    (tmp_path / "app" / ".env").write_text("A=1\n")
    cfg = load(tmp_path, '[image]\nsetup = "setup.sh"\n[run]\nbind = "0.0.0.0"\nports = [8000]\nenv_file = ".env"\n'
                         '[ide]\nmounts = ["~/tools", "~/linked"]\n[shims]\ncommands = ["python", "git", "pytest"]\n')
    found = reach.lines(cfg)
    assert len(found) == 5
    assert found[0].startswith("ports 8000 published on 0.0.0.0")
    assert found[1] == (f"host folders mounted read-only in the container ([ide] mounts): ~/tools, "
                        f"~/linked (really {home / 'tools'})")
    assert found[2] == "image.setup setup.sh runs as root when the image is built"
    assert found[3].startswith("run.env_file .env is read on this machine")
    assert found[4].startswith("[shims] commands git run in the container instead of this machine's")


def test_the_read_only_opt_outs_are_listed(tmp_path):
    assert reach.writable(load(tmp_path, "")) is None
    (tmp_path / "app" / ".git").mkdir()
    cfg = load(tmp_path, '[run]\nwritable = [".git", ".vscode"]\n')
    assert reach.writable(cfg) == ("the container may write .git, .vscode ([run] writable), which tools of this "
                                   "machine run or read")
    assert reach.lines(cfg)[-1] == reach.writable(cfg)


def test_allow_activate_and_the_refusals_say_it(tmp_path, capsys, monkeypatch):
    cfg = load(tmp_path, '[run]\nbind = "0.0.0.0"\nports = [8000]\n')
    root = str(cfg.root)
    assert main(["-C", root, "activate", "--auto", "--shell-code", "bash"]) == 1
    err = capsys.readouterr().err
    assert "is not allowed; run `dkenv allow`" in err
    assert "if allowed, it reaches beyond the project:\n  - ports 8000 published on 0.0.0.0" in err
    assert main(["-C", root, "allow"]) == 0
    err = capsys.readouterr().err
    assert "dkenv: it reaches beyond the project:\n  - ports 8000 published on 0.0.0.0 (run.bind)" in err
    assert main(["-C", root, "deny"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("DKENV_FROM_SHIM", "1")
    assert main(["-C", root, "exec", "true"]) == 2
    err = capsys.readouterr().err
    assert "is not approved" in err and "(beyond the project, it asks for: ports 8000 published on 0.0.0.0" in err
    assert len(err.strip().splitlines()) == 1


def test_lending_the_engine_is_named_first(tmp_path):
    from dkenv.project import config
    from dkenv.shell import reach

    path = tmp_path / ".dkenv.toml"
    text = '[project]\nname = "x"\n[image]\nbase = "python:3.11-slim-bookworm"\ninstall = "none"\n[run]\ndocker = true\n'
    path.write_text(text)
    found = reach.lines(config.validate(path, text))
    assert found and "control of the engine" in found[0]
