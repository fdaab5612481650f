"""dkenv/commands/doctor.py without an Engine: one line per check, exit 1 on a failure."""
from __future__ import annotations

import json

import pytest

from dkenv.cli import main

pytestmark = pytest.mark.usefixtures("state")


@pytest.fixture
def no_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    monkeypatch.chdir(tmp_path)


def test_outside_a_project_without_an_engine(no_engine, capsys):
    assert main(["doctor"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("skip project: no .dkenv.toml")
    engine = next(line for line in lines if " engine: " in line)
    assert engine.startswith("FAIL engine: cannot reach the Docker Engine") and " -> start dockerd" in engine
    assert all(line[:5] in ("ok   ", "WARN ", "FAIL ", "skip ") for line in lines)


def test_json_and_a_bad_config_is_a_failed_check(no_engine, tmp_path, capsys):
    (tmp_path / ".dkenv.toml").write_text("[image]\nbase = 3\n")
    assert main(["doctor", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    first = report["checks"][0]
    assert first["name"] == "project" and first["status"] == "fail" and "image.base" in first["detail"]
    assert {"name", "status", "detail", "fix"} == set(first)
