"""dkenv/image/context.py: the buildable context kept in .dkenv/."""
from __future__ import annotations

import pytest

from dkenv import fileio
from dkenv.errors import FatalError
from dkenv.image import context, plan
from tests.unit.image.test_plan import PIP, project


@pytest.fixture(autouse=True)
def no_host_cas(tmp_path, monkeypatch):
    folder = tmp_path / "host-ca"
    folder.mkdir()
    monkeypatch.setattr(plan, "HOST_CA_DIR", folder)
    return folder


def test_context_holds_the_dockerfile_and_what_it_copies(tmp_path, no_host_cas):
    (no_host_cas / "corp.crt").write_text("CERT\n")
    proj = project(tmp_path / "p", PIP + 'setup = "setup.sh"\n',
                   {"requirements.txt": "-r sub/b.txt\n", "sub/b.txt": "b\n", "setup.sh": "echo hi\n"})
    build = plan.make(proj)
    folder = context.write_project_context(proj, build)
    assert folder == proj.root / ".dkenv"
    assert (folder / "Dockerfile").read_text() == build.dockerfile
    assert (folder / "manifests" / "requirements.txt").read_text() == "-r sub/b.txt\n"
    assert (folder / "manifests" / "sub" / "b.txt").read_text() == "b\n"
    assert (folder / "setup" / "setup.sh").read_text() == "echo hi\n"
    assert (folder / "ca" / "corp.crt").read_text() == "CERT\n"
    assert "COPY ca/" in build.dockerfile and "COPY setup/setup.sh" in build.dockerfile
    ignore = (folder / ".dockerignore").read_text().splitlines()
    assert ignore[1:] == ["*", "!Dockerfile", "!manifests", "!ca", "!setup"]
    assert (folder / ".gitignore").exists()
    # every context file the digest covers is there, with the same bytes
    for name, content in build.files.items():
        assert (folder / name).read_bytes() == content


def test_context_is_synced_and_keeps_the_rest_of_dkenv(tmp_path, no_host_cas):
    (no_host_cas / "corp.crt").write_text("CERT\n")
    proj = project(tmp_path / "p", PIP + 'setup = "setup.sh"\n',
                   {"requirements.txt": "-r sub/b.txt\n", "sub/b.txt": "b\n", "setup.sh": "echo\n"})
    folder = context.write_project_context(proj, plan.make(proj))
    (folder / "shims").mkdir()
    (folder / "shims" / "python").write_text("shim")
    # the project drops its second requirements file, its setup script and the host its CA
    (no_host_cas / "corp.crt").unlink()
    (proj.root / "requirements.txt").write_text("six\n")
    proj = project(proj.root, PIP)
    build = plan.make(proj)
    context.write_project_context(proj, build)
    assert sorted(p.relative_to(folder / "manifests").as_posix() for p in (folder / "manifests").rglob("*")) == ["requirements.txt"]
    assert not (folder / "ca").exists() and not (folder / "setup").exists()
    assert (folder / "shims" / "python").read_text() == "shim"
    assert (folder / "Dockerfile").read_text() == build.dockerfile


def test_no_dependencies_still_has_a_manifests_folder(tmp_path):
    proj = project(tmp_path / "p", '[image]\npython = "3.11"\ninstall = "none"\n')
    folder = context.write_project_context(proj, plan.make(proj))
    assert (folder / "manifests").is_dir() and not any((folder / "manifests").iterdir())


def test_a_users_dockerfile_in_dkenv_is_never_replaced(tmp_path):
    proj = project(tmp_path / "p", PIP, {"requirements.txt": "six\n"})
    (proj.root / ".dkenv").mkdir()
    (proj.root / ".dkenv" / "Dockerfile").write_text("FROM mine\n")
    with pytest.raises(FatalError, match="not written by dkenv"):
        context.write_project_context(proj, plan.make(proj))
    assert (proj.root / ".dkenv" / "Dockerfile").read_text() == "FROM mine\n"


def test_dockerignore_is_marked():
    assert fileio.MARK in context.DOCKERIGNORE.splitlines()[0]
