"""Where dkenv keeps its own per-user state (the only module importing platformdirs)."""
from __future__ import annotations

from pathlib import Path

import platformdirs


def state_dir() -> Path:
    """Per-user state: the project-name registry, the allow list, the error log."""
    return Path(platformdirs.user_state_dir("dkenv", appauthor=False))


def ensure_state_dir() -> Path:
    path = state_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path
