"""The generated Dockerfile text of the example and of each fixture project, pinned byte for byte.

The files under tests/data/dockerfiles/ are the expected text. After an intended change of
the Dockerfile, regenerate them with `DKENV_UPDATE_GOLDEN=1 python3 -m pytest <this file>`
and review the diff.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dkenv import hostuser
from dkenv.image import plan
from dkenv.project import config
from dkenv.project.project import Project

REPO = Path(__file__).resolve().parents[3]
GOLDEN = REPO / "tests" / "data" / "dockerfiles"
USER = hostuser.User(name="dev", uid=1000, gid=1000)
PROJECTS = {
    "django-hello": (REPO / "examples" / "django-hello", None),
    "pdm-app": (REPO / "tests" / "data" / "pdm-app", '[image]\nbase = "python:3.11-slim-bookworm"\ngroups = []\n'),
    "pipenv-app": (REPO / "tests" / "data" / "pipenv-app", '[image]\nbase = "python:3.11-slim-bookworm"\n'),
    "poetry-app": (REPO / "tests" / "data" / "poetry-app", '[image]\nbase = "debian:bookworm-slim"\n'),
    "pyproject-app": (REPO / "tests" / "data" / "pyproject-app", '[image]\npython = "3.12"\n[debug]\nport = 5678\n'),
    "uv-app": (REPO / "tests" / "data" / "uv-app", '[image]\nbase = "ubuntu:24.04"\napt = ["libpq-dev"]\n'),
    "uv-workspace": (REPO / "tests" / "data" / "uv-workspace",
                     '[image]\nbase = "python:3.11-slim-bookworm"\nworkdir = "backend"\n'),
}


@pytest.mark.parametrize("rendering, suffix", [("dockerfile", ""), ("buildkit", ".buildkit")])
@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_dockerfile_text_is_pinned(name, rendering, suffix, tmp_path, monkeypatch):
    """The classic text (NAME.Dockerfile) and the BuildKit rendering (cache mounts, uv for
    requirements files: NAME.buildkit.Dockerfile) of each project."""
    source, config_text = PROJECTS[name]
    root = tmp_path / name
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("data", ".dkenv"))
    if config_text is not None:
        (root / ".dkenv.toml").write_text(f'[project]\nname = "{name}"\n' + config_text)
    monkeypatch.setattr(hostuser, "current", lambda: USER)
    monkeypatch.setattr(plan, "HOST_CA_DIR", tmp_path / "no-cas")
    cfg = config.load(root)
    text = getattr(plan.make(Project(config=cfg, name=cfg.name)), rendering)
    golden = GOLDEN / f"{name}{suffix}.Dockerfile"
    if os.environ.get("DKENV_UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text()


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_production_dockerfile_text_is_pinned(name, tmp_path, monkeypatch):
    """The production Dockerfile (production/dockerfile.py) of the same projects: NAME.production.Dockerfile."""
    from dkenv.production import plan as production

    source, config_text = PROJECTS[name]
    root = tmp_path / name
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("data", ".dkenv"))
    if config_text is not None:
        (root / ".dkenv.toml").write_text(f'[project]\nname = "{name}"\n' + config_text
                                          + '[production]\ncommand = "gunicorn app:app --bind 0.0.0.0:8000"\n')
    monkeypatch.setattr(plan, "HOST_CA_DIR", tmp_path / "no-cas")
    cfg = config.load(root)
    text = production.make(Project(config=cfg, name=cfg.name), "deploy/Dockerfile").dockerfile
    golden = GOLDEN / f"{name}.production.Dockerfile"
    if os.environ.get("DKENV_UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text()
