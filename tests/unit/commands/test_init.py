"""dkenv/commands/init.py: `dkenv init` end to end."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dkenv import __version__
from dkenv.commands import init
from dkenv.errors import UsageError
from dkenv.project import config
from tests.unit.conftest import options

HOST = "%d.%d" % sys.version_info[:2]


@pytest.fixture(autouse=True)
def state(tmp_path, monkeypatch):
    """dkenv's per-user state (the allow list) goes to tmp_path, never the real home."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state"


@pytest.fixture
def catalog():
    """The service catalog dkenv ships."""
    from dkenv.services.catalog import catalog as shipped

    return shipped()


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "shop"
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


DJANGO = {"requirements.txt": "Django>=4.2\npsycopg2>=2.9\ndjango-redis\n", "manage.py": "",
          ".python-version": "3.12\n", ".gitignore": "*.pyc\n"}


def init_run(root: Path, **kw) -> tuple[int, list[str]]:
    lines: list[str] = []
    kw_options = {"yes": True, "python": None, "base": None, "force": False, "services": []}
    kw_options.update(kw)
    opts = options(root)
    code = init.run(opts, **kw_options)
    lines += opts.out.lines
    return code, lines


def test_django_project(tmp_path, catalog):
    root = project(tmp_path, DJANGO)
    code, lines = init_run(root)
    assert code == 0
    text = (root / ".dkenv.toml").read_text()
    assert text.splitlines()[0] == f"# dkenv project file, written by `dkenv init` (dkenv {__version__})"
    cfg = config.load(root)
    assert cfg.name == "shop"
    assert cfg.image.base == "python:3.12-slim-bookworm"
    assert cfg.image.apt == ["build-essential", "libpq-dev"]
    assert cfg.run.command == "python manage.py runserver 0.0.0.0:8000"
    assert cfg.run.ports == ["8000"]
    assert {n: s.template for n, s in cfg.services.items()} == {"db": "postgres", "redis": "redis"}
    assert (root / ".gitignore").read_text() == "*.pyc\ndata/\n.dkenv/\n"
    output = "\n".join(lines)
    assert "python manage.py runserver" in output  # the notes are printed
    assert "service db: postgres" in output
    assert f"wrote {root / '.dkenv.toml'}" in output
    assert lines[-1].endswith("`dkenv up`")


def test_the_project_is_allowed(tmp_path, catalog, state):
    from dkenv.shell import allow

    root = project(tmp_path, {"requirements.txt": "flask\n"})
    init_run(root)
    assert allow.is_allowed(root)
    assert any(state.rglob("*"))  # recorded under XDG_STATE_HOME


def test_refuses_to_overwrite(tmp_path, catalog):
    root = project(tmp_path, {"requirements.txt": "flask\n", ".dkenv.toml": "# mine\n"})
    with pytest.raises(UsageError) as info:
        init_run(root)
    assert info.value.exit_code == 2
    assert "already exists" in str(info.value) and "--force" in str(info.value)
    assert (root / ".dkenv.toml").read_text() == "# mine\n"


def test_force_overwrites(tmp_path, catalog):
    root = project(tmp_path, {"requirements.txt": "flask\n", ".dkenv.toml": "# mine\n"})
    assert init_run(root, force=True)[0] == 0
    assert config.load(root).run.command == "flask run --host 0.0.0.0 --port 5000"
    assert not list(root.glob(".*.tmp"))


@pytest.mark.parametrize("python", ["3", "3.12.1", "py3.12", "2.7", ""])
def test_bad_python_option(tmp_path, catalog, python):
    root = project(tmp_path, {})
    with pytest.raises(UsageError, match="X.Y"):
        init_run(root, python=python)
    assert not (root / ".dkenv.toml").exists()


def test_python_option_wins_and_host_is_the_fallback(tmp_path, catalog):
    root = project(tmp_path, {".python-version": "3.12\n"})
    code, lines = init_run(root, python="3.13")
    assert config.load(root).image.python == "3.13"
    assert "python 3.13 (--python)" in "\n".join(lines)
    bare = project(tmp_path / "other", {})
    code, lines = init_run(bare)
    assert config.load(bare).image.python == HOST
    assert any("the host's" in line for line in lines)


def test_base_option(tmp_path, catalog):
    root = project(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\ndependencies = []\n"})
    init_run(root, base="ubuntu:24.04", python="3.12")
    cfg = config.load(root)
    assert (cfg.image.base, cfg.image.install) == ("ubuntu:24.04", "pyproject")


def test_service_option_adds_catalog_services_once(tmp_path, catalog):
    root = project(tmp_path, {"requirements.txt": "redis\n"})
    init_run(root, services=["Redis", "postgres", "mysql", "postgres"])
    cfg = config.load(root)
    assert [(n, s.template) for n, s in cfg.services.items()] == [
        ("redis", "redis"), ("db", "postgres"), ("mysql", "mysql")]


def test_unknown_service_suggests_a_name(tmp_path, catalog):
    root = project(tmp_path, {})
    with pytest.raises(UsageError) as info:
        init_run(root, services=["postgress"])
    assert info.value.exit_code == 2
    assert 'did you mean "postgres"' in str(info.value)
    assert not (root / ".dkenv.toml").exists()


def test_missing_directory(tmp_path, catalog):
    with pytest.raises(UsageError, match="no such directory"):
        init_run(tmp_path / "nope")


def test_no_gitignore_is_created(tmp_path, catalog):
    root = project(tmp_path, {"requirements.txt": "flask\n"})
    init_run(root)
    assert not (root / ".gitignore").exists()


def test_cli_wiring_and_exit_codes(tmp_path, catalog, capsys):
    from dkenv.cli import main

    root = project(tmp_path, {"requirements.txt": "fastapi\n"})
    assert main(["-C", str(root), "init", "--yes", "--python", "3.12"]) == 0
    assert config.load(root).run.command == "uvicorn main:app --host 0.0.0.0 --port 8000 --reload"
    assert main(["-C", str(root), "init"]) == 2
    assert "already exists" in capsys.readouterr().err


CORPUS = Path("/work/shared/corpus")


@pytest.mark.skipif(not (CORPUS / "flask-tutorial").is_dir(), reason="the corpus of real projects is not here")
def test_flask_tutorial_gets_its_test_extra(tmp_path, catalog):
    import shutil

    root = tmp_path / "flask-tutorial"
    shutil.copytree(CORPUS / "flask-tutorial", root)
    code, lines = init_run(root)
    assert code == 0
    assert 'extras = ["test"]  # found in pyproject.toml [project.optional-dependencies]' in (
        root / ".dkenv.toml").read_text()
    assert config.load(root).image.extras == ["test"]
    assert any("extras: test (in pyproject.toml [project.optional-dependencies])" in line for line in lines)
