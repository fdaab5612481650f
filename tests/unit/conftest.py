"""Fixtures shared by the unit tests."""
from __future__ import annotations

import pytest


@pytest.fixture
def state(tmp_path, monkeypatch):
    """HOME, XDG_STATE_HOME and XDG_CONFIG_HOME in tmp_path, no DKENV_PROJECT; the state folder.

    A module that needs it for every test says `pytestmark = pytest.mark.usefixtures("state")`.
    """
    for var, sub in (("XDG_STATE_HOME", "state"), ("XDG_CONFIG_HOME", "config"), ("HOME", "home")):
        (tmp_path / sub).mkdir()
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.delenv("DKENV_PROJECT", raising=False)
    return tmp_path / "state"
