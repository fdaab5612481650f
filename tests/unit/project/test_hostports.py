"""dkenv/project/hostports.py: init's ports avoid other projects' and listening ones."""
from __future__ import annotations

import json
import socket

import pytest

from dkenv import paths
from dkenv.project import hostports


def test_choose_skips_taken_and_listening_ports():
    assert hostports.choose(8000, set(), in_use=lambda p: False) == 8000
    assert hostports.choose(8000, {8000, 8001}, in_use=lambda p: False) == 8002
    assert hostports.choose(8000, {8001}, in_use=lambda p: p == 8000) == 8002


@pytest.mark.real_ports
def test_a_listening_port_is_seen():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert hostports.listening(port)
        assert hostports.choose(port, set()) != port


def test_ports_of_other_registered_projects_count(tmp_path):
    other, here = tmp_path / "other", tmp_path / "here"
    other.mkdir()
    here.mkdir()
    (other / ".dkenv.toml").write_text('[run]\nports = ["18001:8000"]\n[debug]\nport = 15678\n'
                                       '[services.db]\ntemplate = "postgres"\nports = ["15432:5432"]\n')
    (tmp_path / "gone").mkdir()
    (tmp_path / "gone" / ".dkenv.toml").write_text("[run\nbroken")  # its own business: ignored
    registry = paths.state_dir() / "projects.json"
    registry.parent.mkdir(parents=True, exist_ok=True)
    registry.write_text(json.dumps({f"{other}\0other": "other", f"{tmp_path / 'gone'}\0gone": "gone",
                                    f"{here}\0here": "here"}))
    try:
        assert hostports.used_by_projects(here) == {18001, 15678, 15432}
    finally:
        registry.unlink()
