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


def content(name: str) -> bytes:
    """A file's content: a RECORD lists what its distribution owns (`RECORDS`), the rest names itself."""
    return RECORDS.get(name.split("/")[0], "").encode() if name.endswith("/RECORD") else f"# {name}\n".encode()


RECORDS = {"attrs-23.2.0.dist-info": "attrs/__init__.py,sha256=x,1\nattrs-23.2.0.dist-info/RECORD,,\n",
           "attrs-23.1.0.dist-info": "attrs/__init__.py,sha256=x,1\nattrs-23.1.0.dist-info/RECORD,,\n",
           "six-1.16.0.dist-info": "six.py,sha256=x,1\n../../../bin/six,,\n"}


def site_tar(*files: str) -> bytes:
    members = [entry("site-packages", tarfile.DIRTYPE, mode=0o755)]
    for name in files:
        members.append(entry(f"site-packages/{name}", data=content(name)))
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


def test_extract_judges_paths_after_resolving_the_links_it_made(tmp_path):
    """A hostile container's tar: `d` -> `.`, then `d/e` -> `../outside` looks inside as a string
    (out/site-packages/d/../outside) but `d` is the folder itself, so `e` would point out of it;
    a file under `e`, or a second `e` replacing a link, must not be written through it. Nothing
    may land outside the destination."""
    outside = tmp_path / "outside"
    outside.mkdir()
    data = tar_bytes([
        entry("site-packages", tarfile.DIRTYPE, mode=0o755),
        entry("site-packages/d", tarfile.SYMTYPE, link="."),
        entry("site-packages/d/e", tarfile.SYMTYPE, link="../../outside"),
        entry("site-packages/e/planted.py", data=b"bad"),
        entry("site-packages/d/e/planted2.py", data=b"bad"),
        entry("site-packages/q", tarfile.SYMTYPE, link="sub/../.."),
        entry("site-packages/ok.py", data=b"x = 1\n"),
        entry("site-packages/alias", tarfile.SYMTYPE, link="ok.py"),
        entry("site-packages/alias", data=b"through the link"),
    ])
    sitepackages.extract(chunked(data), tmp_path / "out")
    assert list(outside.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["out", "outside"]
    site = tmp_path / "out" / "site-packages"
    assert (site / "ok.py").read_text() == "x = 1\n"  # not written through `alias`
    for link in site.iterdir():
        assert os.path.realpath(link).startswith(str(site.resolve())), link


def an_engine(files: list[str], code: int = 0):
    """The Engine, its project container answering the listing (exec) and the tar of
    site-packages (archive) as the Engine does; `.archives` counts the tars sent."""
    docker = FakeDocker()
    docker.seed("dkenv-demo")

    def on_exec(container, argv, user):
        assert argv == ["sh", "-c", sitepackages.LISTING]
        tops = dict.fromkeys(f.split("/")[0] for f in files)
        return code, ("\n".join([SITE, *tops]) + "\n").encode()

    def on_archive(container, path):
        eng.archives += 1
        if path == SITE:
            return chunked(site_tar(*files), 4096)
        name = path[len(SITE) + 1:]
        assert path.startswith(SITE + "/") and name in {f.split("/")[0] for f in files}, path
        eng.parts.append(name)
        return chunked(tar_bytes([entry(f, data=content(f)) if "/" in f or "." in f else
                                  entry(f, tarfile.DIRTYPE, mode=0o755) for f in files
                                  if f.split("/")[0] == name]), 4096)

    docker.on_exec, docker.on_archive = on_exec, on_archive
    eng = engine(docker)
    eng.archives, eng.parts = 0, []
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
    same, said = an_engine(["six.py"]), []
    assert sitepackages.sync(project, same, "dkenv/demo:bbb", said.append) is True
    assert same.archives == 0 and said == [] and sitepackages.recorded(project).startswith("dkenv/demo:bbb ")
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


def test_a_changed_distribution_copies_what_it_owns_only(project):
    base = ["six.py", "six-1.16.0.dist-info/RECORD", "a.py", "b.py", "c.py", "d.py"]
    sitepackages.sync(project, an_engine([*base, "attrs/__init__.py", "attrs-23.1.0.dist-info/RECORD"]), "t1", print)
    target = sitepackages.folder(project)
    (target / "a.py").write_text("left alone\n")  # not copied again: its distribution did not change
    bumped = an_engine([*base, "attrs/__init__.py", "attrs-23.2.0.dist-info/RECORD"])
    said = []
    assert sitepackages.sync(project, bumped, "t2", said.append) is True
    assert sorted(bumped.parts) == ["attrs", "attrs-23.2.0.dist-info"] and bumped.archives == 2
    assert "updating 3 entries" in said[0]
    assert not (target / "attrs-23.1.0.dist-info").exists() and (target / "attrs-23.2.0.dist-info" / "RECORD").is_file()
    assert (target / "a.py").read_text() == "left alone\n"
    assert sitepackages.recorded(project).startswith("t2 ")
    gone = an_engine(base)  # attrs removed: its entries deleted, nothing fetched
    assert sitepackages.sync(project, gone, "t3", print) is True and gone.archives == 0
    assert sorted(p.name for p in target.iterdir()) == sorted([".dkenv-tag", "six.py", "six-1.16.0.dist-info",
                                                              "a.py", "b.py", "c.py", "d.py"])
    assert [p.name for p in project.work_dir.iterdir()] == ["site-packages"]  # no scratch folder left


def test_most_of_it_changed_is_copied_whole(project):
    sitepackages.sync(project, an_engine(["six.py"]), "t1", print)
    whole = an_engine(["attrs.py", "black.py", "six.py"])
    said = []
    sitepackages.sync(project, whole, "t2", said.append)
    assert whole.parts == [] and "copying the venv's site-packages" in said[0]


def test_an_update_cut_short_is_completed_by_the_next(project, monkeypatch):
    base = ["a.py", "b.py", "c.py", "d.py", "e.py"]
    sitepackages.sync(project, an_engine([*base, "attrs/__init__.py", "attrs-23.1.0.dist-info/RECORD"]), "t1", print)
    bumped = [*base, "attrs/__init__.py", "attrs-23.2.0.dist-info/RECORD"]
    real_swap, swapped = sitepackages._swap, []

    def swap_then_fail(path, new, aside):
        if path.name.endswith(".dist-info"):
            raise OSError("cut short")
        swapped.append(path.name)
        real_swap(path, new, aside)

    monkeypatch.setattr(sitepackages, "_swap", swap_then_fail)
    with pytest.raises(OSError):
        sitepackages.sync(project, an_engine(bumped), "t2", print)
    assert swapped == ["attrs"] and sitepackages.recorded(project) == "updating"  # still dkenv's copy
    monkeypatch.setattr(sitepackages, "_swap", real_swap)
    again = an_engine(bumped)
    assert sitepackages.sync(project, again, "t2", print) is True and "attrs-23.2.0.dist-info" in again.parts
    target = sitepackages.folder(project)
    assert not (target / "attrs-23.1.0.dist-info").exists() and (target / "attrs-23.2.0.dist-info").is_dir()
    assert sitepackages.recorded(project).startswith("t2 ")
