"""dkenv/production/build.py without an Engine: the source it sends, its checks, and the tag's hash."""
from __future__ import annotations

import os

import pytest

from dkenv.errors import ConfigError
from dkenv.image import plan
from dkenv.production import build as prodbuild, plan as production
from tests.unit.image.test_plan import project

TOML = ('[image]\nbase = "python:3.11-slim-bookworm"\ninstall = "pip"\n'
        '[production]\ncommand = "gunicorn app:app --bind 0.0.0.0:8000"\n')
TREE = {"requirements.txt": "flask\n", "app.py": "app = 1\n", "data/db/PG_VERSION": "15\n", ".env": "SECRET=1\n"}


@pytest.fixture(autouse=True)
def no_host_cas(tmp_path, monkeypatch):
    monkeypatch.setattr(plan, "HOST_CA_DIR", tmp_path / "none")


def prepared(tmp_path, tree=TREE):
    p = project(tmp_path / "p", TOML, tree)
    return p, production.make(p, prodbuild.DOCKERFILE)


def test_without_a_dockerignore_dkenvs_defaults_leave_data_and_secrets_out(tmp_path):
    p, inputs = prepared(tmp_path)
    said = []
    files = prodbuild.source_files(p, inputs, said.append)
    assert files == [".dkenv.toml", "app.py", "requirements.txt"]
    assert "no .dockerignore" in said[0]


def test_a_dockerignore_letting_data_or_env_in_is_refused(tmp_path):
    p, inputs = prepared(tmp_path, {**TREE, ".dockerignore": "*.log\n"})
    with pytest.raises(ConfigError, match=r"does not leave out data/, \.dkenv/, \*\*/\.env"):
        prodbuild.source_files(p, inputs, print)


def test_a_dockerignore_leaving_a_manifest_out_is_refused(tmp_path):
    p, inputs = prepared(tmp_path, {**TREE, ".dockerignore": "data/\n.dkenv/\n**/.env\n*.txt\n"})
    with pytest.raises(ConfigError, match="leaves out requirements.txt, which the production image installs from"):
        prodbuild.source_files(p, inputs, print)


def test_the_tag_follows_content_not_times(tmp_path):
    p, inputs = prepared(tmp_path)
    files = prodbuild.source_files(p, inputs, lambda _: None)
    first = prodbuild.assemble(p, inputs, files, tmp_path / "c1")
    assert sorted(os.listdir(tmp_path / "c1")) == [".dkenv.toml", "app.py", "requirements.txt"]
    os.utime(p.root / "app.py", (1, 1))
    assert prodbuild.assemble(p, inputs, files, tmp_path / "c2") == first
    (p.root / "app.py").write_text("app = 2\n")
    assert prodbuild.assemble(p, inputs, files, tmp_path / "c3") != first


def test_a_folder_swapped_for_a_link_after_the_walk_is_refused_not_read(tmp_path):
    """The source is the container's to write while the build runs: `conf/` listed as a
    folder, then made a link to the host user's secrets before it is read."""
    from dkenv.errors import FatalError

    p, inputs = prepared(tmp_path, {**TREE, "conf/settings.py": "X = 1\n"})
    files = prodbuild.source_files(p, inputs, lambda _: None)
    assert "conf/settings.py" in files
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "settings.py").write_text("PRIVATE KEY\n")
    (p.root / "conf" / "settings.py").unlink()
    (p.root / "conf").rmdir()
    (p.root / "conf").symlink_to(secrets)
    with pytest.raises(FatalError, match=r"conf/settings\.py resolves outside the project"):
        prodbuild.assemble(p, inputs, files, tmp_path / "c")
    assert not any("PRIVATE" in f.read_text() for f in (tmp_path / "c").rglob("*") if f.is_file())
