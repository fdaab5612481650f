"""dkenv/marker.py: dkenv only overwrites files it wrote itself."""
from __future__ import annotations

import os
import stat

import pytest

from dkenv import marker
from dkenv.errors import FatalError

OURS = f"# {marker.MARK} - do not edit\necho hi\n"


def test_writes_a_new_file_and_its_folders(tmp_path):
    path = tmp_path / ".dkenv" / "shims" / "python"
    marker.write(path, OURS)
    assert path.read_text() == OURS
    assert marker.written_by_dkenv(path)


def test_refuses_to_overwrite_a_users_file(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text("FROM mine\n")
    with pytest.raises(FatalError) as info:
        marker.write(path, OURS)
    assert info.value.exit_code == 1
    assert f"{path} exists and was not written by dkenv" in str(info.value)
    assert path.read_text() == "FROM mine\n"


def test_rewrites_its_own_file(tmp_path):
    path = tmp_path / "f"
    marker.write(path, OURS)
    new = OURS + "echo again\n"
    marker.write(path, new)
    assert path.read_text() == new


def test_same_content_is_not_rewritten(tmp_path):
    path = tmp_path / "f"
    marker.write(path, OURS)
    os.utime(path, (1_000_000, 1_000_000))
    marker.write(path, OURS)
    assert path.stat().st_mtime == 1_000_000


def test_no_temporary_files_left(tmp_path):
    marker.write(tmp_path / "f", OURS)
    marker.write(tmp_path / "f", OURS + "x\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


def test_mode(tmp_path):
    path = tmp_path / "shim"
    marker.write(path, OURS, mode=0o755)
    assert stat.S_IMODE(path.stat().st_mode) == 0o755


def test_text_without_marker_is_refused(tmp_path):
    with pytest.raises(AssertionError):
        marker.write(tmp_path / "f", "no marker here\n")
    assert not (tmp_path / "f").exists()


def test_marker_must_be_near_the_top(tmp_path):
    path = tmp_path / "late"
    path.write_text("x" * 600 + marker.MARK + "\n")
    assert not marker.written_by_dkenv(path)
    with pytest.raises(FatalError):
        marker.write(path, OURS)


def test_written_by_dkenv_missing_file(tmp_path):
    assert marker.written_by_dkenv(tmp_path / "absent") is False


def test_written_by_dkenv_directory(tmp_path):
    assert marker.written_by_dkenv(tmp_path) is False


def test_binary_file_without_marker(tmp_path):
    path = tmp_path / "bin"
    path.write_bytes(b"\x00\xff\xfe")
    assert marker.written_by_dkenv(path) is False
