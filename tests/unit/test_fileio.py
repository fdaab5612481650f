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
