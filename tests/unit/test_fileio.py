"""dkenv/fileio.py: dkenv only overwrites files it wrote itself."""
from __future__ import annotations

import os
import stat

import pytest

from dkenv import fileio
from dkenv.errors import FatalError

OURS = f"# {fileio.MARK} - do not edit\necho hi\n"


def test_writes_a_new_file_and_its_folders(tmp_path):
    path = tmp_path / ".dkenv" / "shims" / "python"
    fileio.write_marked(path, OURS)
    assert path.read_text() == OURS
    assert fileio.written_by_dkenv(path)


def test_refuses_to_overwrite_a_users_file(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text("FROM mine\n")
    with pytest.raises(FatalError) as info:
        fileio.write_marked(path, OURS)
    assert info.value.exit_code == 1
    assert f"{path} exists and was not written by dkenv" in str(info.value)
    assert path.read_text() == "FROM mine\n"


def test_rewrites_its_own_file(tmp_path):
    path = tmp_path / "f"
    fileio.write_marked(path, OURS)
    new = OURS + "echo again\n"
    fileio.write_marked(path, new)
    assert path.read_text() == new


def test_same_content_is_not_rewritten(tmp_path):
    path = tmp_path / "f"
    fileio.write_marked(path, OURS)
    os.utime(path, (1_000_000, 1_000_000))
    fileio.write_marked(path, OURS)
    assert path.stat().st_mtime == 1_000_000


def test_no_temporary_files_left(tmp_path):
    fileio.write_marked(tmp_path / "f", OURS)
    fileio.write_marked(tmp_path / "f", OURS + "x\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


def test_mode(tmp_path):
    path = tmp_path / "shim"
    fileio.write_marked(path, OURS, mode=0o755)
    assert stat.S_IMODE(path.stat().st_mode) == 0o755


def test_text_without_marker_is_refused(tmp_path):
    with pytest.raises(AssertionError):
        fileio.write_marked(tmp_path / "f", "no marker here\n")
    assert not (tmp_path / "f").exists()


def test_marker_must_be_near_the_top(tmp_path):
    path = tmp_path / "late"
    path.write_text("x" * 600 + fileio.MARK + "\n")
    assert not fileio.written_by_dkenv(path)
    with pytest.raises(FatalError):
        fileio.write_marked(path, OURS)


def test_written_by_dkenv_missing_file(tmp_path):
    assert fileio.written_by_dkenv(tmp_path / "absent") is False


def test_written_by_dkenv_directory(tmp_path):
    assert fileio.written_by_dkenv(tmp_path) is False


def test_binary_file_without_marker(tmp_path):
    path = tmp_path / "bin"
    path.write_bytes(b"\x00\xff\xfe")
    assert fileio.written_by_dkenv(path) is False


# --- below a project's root, no write follows a symbolic link ---

@pytest.fixture
def confined(tmp_path):
    root = tmp_path / "clone"
    root.mkdir()
    (tmp_path / "elsewhere").mkdir()
    fileio.confine(root)
    return root


def untouched(tmp_path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) + sorted(
        p.name for p in tmp_path.iterdir() if p.name not in ("clone", "elsewhere"))


@pytest.mark.parametrize("link, target", [(".dkenv", "../elsewhere"), (".dkenv", ".."), (".dkenv/run", "../../elsewhere")])
def test_a_link_on_the_way_is_refused(confined, tmp_path, link, target):
    (confined / link).parent.mkdir(parents=True, exist_ok=True)
    (confined / link).symlink_to(target)
    for write in (lambda p: fileio.write_atomic(p, "x"), lambda p: fileio.write_marked(p, OURS),
                  lambda p: fileio.make_dirs(p.parent / "sub")):
        with pytest.raises(FatalError) as info:
            write(confined / ".dkenv" / "run" / "agent.py")
        assert info.value.exit_code == 1
        assert f"{confined / link} is a symbolic link" in str(info.value)
    assert untouched(tmp_path) == []


def test_a_link_as_the_target_is_refused_and_never_followed(confined, tmp_path):
    (confined / ".dkenv").mkdir()
    secret = tmp_path / "elsewhere" / "bashrc"
    secret.write_text("mine\n")
    (confined / ".dkenv" / "Dockerfile").symlink_to(secret)
    with pytest.raises(FatalError, match="is a symbolic link"):
        fileio.write_atomic(confined / ".dkenv" / "Dockerfile", OURS)
    with pytest.raises(FatalError, match="is a symbolic link"):
        fileio.write_marked(confined / ".dkenv" / "Dockerfile", OURS)
    with pytest.raises(FatalError, match="is a symbolic link"):
        fileio.append(confined / ".dkenv" / "Dockerfile", b"data/\n")
    assert not fileio.written_by_dkenv(confined / ".dkenv" / "Dockerfile")
    assert fileio.remove(confined / ".dkenv" / "Dockerfile")  # the link itself
    assert secret.read_text() == "mine\n"
    assert sorted(p.name for p in (confined / ".dkenv").iterdir()) == []


def test_folders_are_made_and_files_written_below_the_root(confined):
    fileio.write_atomic(confined / ".dkenv" / "run" / "deep" / "f", "x", mode=0o600)
    assert (confined / ".dkenv" / "run" / "deep" / "f").read_text() == "x"
    assert stat.S_IMODE((confined / ".dkenv" / "run" / "deep" / "f").stat().st_mode) == 0o600
    fileio.write_atomic(confined / ".dkenv" / "run" / "deep" / "f", "y")  # keeps its mode
    assert stat.S_IMODE((confined / ".dkenv" / "run" / "deep" / "f").stat().st_mode) == 0o600
    assert fileio.make_dirs(confined / "data" / "db") == confined / "data" / "db"
    assert sorted(p.name for p in (confined / ".dkenv" / "run" / "deep").iterdir()) == ["f"]


def test_the_data_folder_itself_may_not_be_a_link(confined, tmp_path):
    (confined / "data").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(FatalError, match=f"{confined / 'data'} is a symbolic link"):
        fileio.ensure_data_dir(confined / "data", "dkenv/history")
    with pytest.raises(FatalError, match="is a symbolic link"):
        fileio.ensure_work_dir(confined / "data")
    assert untouched(tmp_path) == []


def test_read_inside_judges_the_file_opened(tmp_path):
    root = tmp_path / "app"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / ".env").write_text("A=1\n")
    (root / ".env").symlink_to("sub/.env")  # a link inside the project is fine
    (tmp_path / "secret").write_text("KEY=x\n")
    (root / "leak.env").symlink_to(tmp_path / "secret")
    assert fileio.read_inside(root / ".env", root) == b"A=1\n"
    with pytest.raises(ValueError) as info:
        fileio.read_inside(root / "leak.env", root)
    assert str(info.value) == str(tmp_path / "secret")
    with pytest.raises(OSError):
        fileio.read_inside(root / "missing", root)
