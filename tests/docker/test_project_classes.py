"""Classes of real projects, each with a fixture of our own (tests/data/): a `requirements/`
folder whose dev file includes `-r base.txt`, with psycopg2 built from source (its sdist
needs a compiler and libpq's headers, which `init` must propose)."""
from __future__ import annotations

import pytest

from dkenv import tomltext
from tests.conftest import REPO, make_project

pytestmark = pytest.mark.docker


def test_requirements_folder_and_psycopg2_from_source(docker_engine):
    project = make_project("reqfolder", {}, base=REPO / "tests" / "data" / "requirements-folder-app")
    project.dkenv("init", "--yes", "--base", "python:3.11-slim-bookworm")
    cfg = tomltext.loads((project.root / ".dkenv.toml").read_text())
    assert cfg["image"]["install"] == "pip"
    assert cfg["image"]["requirements"] == ["requirements/dev.txt"]  # it includes base.txt
    assert {"build-essential", "libpq-dev"} <= set(cfg["image"]["apt"])
    assert cfg["services"]["db"]["template"] == "postgres"  # proposed for psycopg2
    doc = tomltext.parse((project.root / ".dkenv.toml").read_text())
    doc["services"]["db"]["version"] = "15"  # the catalog's 16 cannot be pulled on this machine
    (project.root / ".dkenv.toml").write_text(doc.as_string())
    project.dkenv("up")
    result = project.dkenv("exec", "python", "-c", "import psycopg2, iniconfig; print(psycopg2.__libpq_version__)")
    assert int(result.stdout.strip()) >= 150000  # linked against the distribution's libpq 15
    assert project.dkenv("exec", "python", "app.py").stdout.startswith(b"psycopg2 2.9.9")
    connect = "import psycopg2; print(psycopg2.connect().server_version)"  # PG* variables of the service
    assert int(project.dkenv("exec", "python", "-c", connect).stdout.strip()) // 10000 == 15
