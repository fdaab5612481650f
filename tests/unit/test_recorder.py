"""dkenv/recorder.py: what a computation read, and whether it would read the same again."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from dkenv import recorder
from dkenv.recorder import Recorder, changed


@pytest.fixture(autouse=True)
def trusted_now(monkeypatch):
    """Files a test made before recording count as settled (the racy window has its own test)."""
    monkeypatch.setattr(recorder, "RACY_NS", 0)
    monkeypatch.setattr(recorder, "RACY_COARSE_NS", 0)


def record(work) -> tuple:
    with Recorder() as rec:
        work()
    result = rec.finish()
    assert result is not None
    return result


def test_a_file_read_is_its_content_a_probe_its_existence(tmp_path):
    (tmp_path / "read.txt").write_text("one")
    recording = record(lambda: ((tmp_path / "read.txt").read_text(), (tmp_path / "absent.txt").is_file()))
    paths = {path: how for path, how, _ in recording[0]}
    assert paths[str(tmp_path / "read.txt")] == "s" and paths[str(tmp_path / "absent.txt")] == "s"
    assert not changed(*recording)
    (tmp_path / "read.txt").write_text("two")  # same size, a new mtime and ctime
    assert changed(*recording)


def test_a_path_that_appears_where_one_looked_is_a_change(tmp_path):
    recording = record(lambda: shutil.which("tool", path=str(tmp_path)))
    assert not changed(*recording)
    (tmp_path / "tool").write_text("#!/bin/sh\n")
    (tmp_path / "tool").chmod(0o755)
    assert changed(*recording)


def test_a_folder_listed_changes_with_its_entries_a_folder_probed_does_not(tmp_path):
    (tmp_path / "listed").mkdir()
    (tmp_path / "probed").mkdir()
    recording = record(lambda: (glob.glob(str(tmp_path / "listed" / "*.txt")), (tmp_path / "probed").is_dir()))
    (tmp_path / "probed" / "new.txt").write_text("")
    assert not changed(*recording)
    (tmp_path / "listed" / "new.txt").write_text("")
    assert changed(*recording)


def test_variables_read_are_compared_and_unset_counts(monkeypatch):
    monkeypatch.setenv("DKENV_REC_SET", "a")
    monkeypatch.delenv("DKENV_REC_UNSET", raising=False)
    recording = record(lambda: (os.environ.get("DKENV_REC_SET"), "DKENV_REC_UNSET" in os.environ,
                                os.path.expanduser("~")))
    assert recording[1]["DKENV_REC_SET"] == repr("a") and recording[1]["DKENV_REC_UNSET"] == repr(None)
    assert "HOME" in recording[1] and recording[2] is None
    monkeypatch.setenv("DKENV_REC_OTHER", "x")
    assert not changed(*recording)  # not read
    monkeypatch.setenv("DKENV_REC_UNSET", "")
    assert changed(*recording)
    monkeypatch.delenv("DKENV_REC_UNSET")
    monkeypatch.setenv("DKENV_REC_SET", "b")
    assert changed(*recording)


def test_the_whole_environment_read_is_every_variable(monkeypatch):
    recording = record(lambda: dict(os.environ))
    assert recording[2] is not None
    assert not changed(*recording)
    monkeypatch.setenv("DKENV_REC_ANY", "1")
    assert changed(*recording)


def test_what_it_wrote_is_its_state_at_the_end(tmp_path):
    target = tmp_path / "out.txt"

    def work():
        (tmp_path / "made").mkdir()
        target.write_text("written")

    recording = record(work)  # written moments ago, and trusted: its own writes
    assert not changed(*recording)
    target.write_text("edited")
    assert changed(*recording)


def test_a_file_changed_moments_ago_is_no_recording(tmp_path, monkeypatch):
    monkeypatch.setattr(recorder, "RACY_NS", 100_000_000)
    (tmp_path / "fresh.txt").write_text("x")
    with Recorder() as rec:
        (tmp_path / "fresh.txt").read_text()
    assert rec.finish() is None


def test_whole_second_timestamps_wait_longer(monkeypatch):
    monkeypatch.setattr(recorder, "RACY_NS", 100_000_000)
    monkeypatch.setattr(recorder, "RACY_COARSE_NS", 3_000_000_000)
    fine = SimpleNamespace(st_mtime_ns=5_000_000_123, st_ctime_ns=5_000_000_123)
    coarse = SimpleNamespace(st_mtime_ns=6_000_000_000, st_ctime_ns=6_000_000_000)  # FAT, HFS+...
    assert recorder._settles(fine) == 5_100_000_123
    assert recorder._settles(coarse) == 9_000_000_000


@pytest.mark.parametrize("beyond", [
    lambda tmp: subprocess.run(["true"]),
    lambda tmp: os.stat("x", dir_fd=os.open(tmp, os.O_RDONLY)),
])
def test_what_it_cannot_see_is_no_recording(tmp_path, beyond):
    (tmp_path / "x").write_text("")
    with Recorder() as rec:
        beyond(tmp_path)
    assert rec.finish() is None


def test_skipped_paths_and_the_interpreters_files_are_left_out_and_nothing_stays_patched(tmp_path):
    original = (os.stat, os.lstat, os.access, os._Environ.__getitem__, os._Environ.__iter__)
    (tmp_path / "live").write_text("")
    with Recorder(skip=(str(tmp_path / "live"),)) as rec:
        (tmp_path / "live").read_text()
        Path(os.__file__).read_text()
    assert (os.stat, os.lstat, os.access, os._Environ.__getitem__, os._Environ.__iter__) == original
    paths = [path for path, _, _ in rec.finish()[0]]
    assert str(tmp_path / "live") not in paths and os.__file__ not in paths
    assert recorder.__file__ in paths  # dkenv's own modules: an edited source tree misses


def test_a_recording_outside_the_block_sees_nothing(tmp_path):
    with Recorder() as rec:
        pass
    (tmp_path / "after").write_text("")
    (tmp_path / "after").read_text()
    assert str(tmp_path / "after") not in rec.paths
