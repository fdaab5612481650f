"""dkenv/ide/sitepackages.py: the copy of the venv's site-packages for the IDE, with a
stand-in for the two Engine calls (the real copy is tested in tests/docker/test_ide.py)."""
from __future__ import annotations

import io
import os
import tarfile

import pytest

from dkenv.ide import sitepackages
from dkenv.errors import FatalError
from tests.unit.conftest import make_config_project
from tests.unit.fakeengine import FakeDocker, engine

SITE = "/opt/venv/lib/python3.11/site-packages"


def tar_bytes(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def entry(name: str, kind=tarfile.REGTYPE, data: bytes | None = None, link: str = "", mode: int = 0o644):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.mode, info.uid = kind, link, mode, 4321
    return info, data


def site_tar(*files: str) -> bytes:
    members = [entry("site-packages", tarfile.DIRTYPE, mode=0o755)]
    for name in files:
        members.append(entry(f"site-packages/{name}", data=f"# {name}\n".encode()))
    return tar_bytes(members)


def chunked(data: bytes, size: int = 7):
    return (data[i:i + size] for i in range(0, len(data), size))


def test_extract_keeps_what_stays_inside_and_drops_the_rest(tmp_path):
    data = tar_bytes([
        entry("site-packages", tarfile.DIRTYPE, mode=0o755),
        entry("site-packages/six.py", data=b"x = 1\n", mode=0o4777),
        entry("site-packages/pkg", tarfile.DIRTYPE, mode=0o555),
        entry("site-packages/pkg/__init__.py", data=b"y = 2\n"),
        entry("site-packages/alias.py", tarfile.SYMTYPE, link="six.py"),
        entry("site-packages/hard.py", tarfile.LNKTYPE, link="site-packages/pkg/__init__.py"),
        entry("site-packages/passwd", tarfile.SYMTYPE, link="/etc/passwd"),
        entry("site-packages/up", tarfile.SYMTYPE, link="../../outside"),
        entry("../evil.py", data=b"bad"),
        entry("/abs.py", data=b"bad"),
        entry("site-packages/fifo", tarfile.FIFOTYPE),
    ])
    sitepackages.extract(chunked(data), tmp_path / "out")
    site = tmp_path / "out" / "site-packages"
    assert sorted(p.name for p in site.iterdir()) == ["alias.py", "hard.py", "pkg", "six.py"]
    assert (site / "alias.py").read_text() == "x = 1\n" and (site / "hard.py").read_text() == "y = 2\n"
    assert (site / "six.py").stat().st_mode & 0o7777 == 0o755  # no setuid, no write for others
    assert (site / "pkg").stat().st_mode & 0o700 == 0o700  # the user can replace it later
    assert (site / "six.py").stat().st_uid == os.getuid()
    assert not (tmp_path / "evil.py").exists() and not (tmp_path / "out" / "evil.py").exists()


def an_engine(files: list[str], code: int = 0):
    """The Engine, its project container answering the listing (exec) and the tar of
    site-packages (archive) as the Engine does; `.archives` counts the tars sent."""
    docker = FakeDocker()
    docker.seed("dkenv-demo")

    def on_exec(container, argv, user):
        assert argv == ["sh", "-c", sitepackages.LISTING]
        return code, ("\n".join([SITE, *files]) + "\n").encode()

    def on_archive(container, path):
        assert path == SITE
        eng.archives += 1
        return chunked(site_tar(*files), 4096)

    docker.on_exec, docker.on_archive = on_exec, on_archive
    eng = engine(docker)
    eng.archives = 0
    return eng


@pytest.fixture
def project(tmp_path):
    proj = make_config_project(tmp_path, "")
    proj.work_dir.mkdir()
    return proj


def test_copied_then_kept_while_tag_and_packages_are_the_same(project):
    eng, said = an_engine(["six.py"]), []
    assert sitepackages.sync(project, eng, "dkenv/demo:aaa", said.append) is True
    target = sitepackages.folder(project)
    assert (target / "six.py").read_text() == "# six.py\n"
    assert sitepackages.recorded(project).startswith("dkenv/demo:aaa ")
    assert sitepackages.sync(project, eng, "dkenv/demo:aaa", said.append) is False
    assert eng.archives == 1 and len(said) == 1
    assert [p.name for p in project.work_dir.iterdir()] == ["site-packages"]  # no scratch folder left


def test_a_new_tag_or_a_new_package_replaces_the_copy(project):
    sitepackages.sync(project, an_engine(["six.py"]), "dkenv/demo:aaa", print)
    assert sitepackages.sync(project, an_engine(["six.py"]), "dkenv/demo:bbb", print) is True
    assert sitepackages.sync(project, an_engine(["six.py", "black"]), "dkenv/demo:bbb", print) is True
    assert sitepackages.sync(project, an_engine(["attrs.py"]), "dkenv/demo:bbb", print) is True
    assert sorted(p.name for p in sitepackages.folder(project).iterdir()) == [".dkenv-tag", "attrs.py"]


def test_a_folder_dkenv_did_not_write_is_left_alone(project):
    mine = sitepackages.folder(project)
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    said = []
    assert sitepackages.sync(project, an_engine(["six.py"]), "t", said.append) is False
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert "not dkenv's copy" in said[0]


def test_turned_off_removes_dkenvs_copy_only(tmp_path):
    proj = make_config_project(tmp_path, "[ide]\nsite_packages = false\n")
    proj.work_dir.mkdir()
    on = make_config_project(tmp_path, "")
    sitepackages.sync(on, an_engine(["six.py"]), "t", print)
    assert sitepackages.folder(proj).is_dir()
    assert sitepackages.sync(proj, an_engine(["six.py"]), "t", print) is False
    assert not sitepackages.folder(proj).exists()


def test_no_site_packages_in_the_container_is_a_warning_after_up(project):
    with pytest.raises(FatalError, match="no site-packages folder"):
        sitepackages.sync(project, an_engine([], code=3), "t", print)
    said = []
    sitepackages.try_sync(project, an_engine([], code=3), "t", said.append)
    assert said[0].startswith("dkenv: warning: site-packages not copied")
