"""What the shell completion offers beyond click's commands and options (cli/ asks,
only when a TAB press runs dkenv with _DKENV_COMPLETE set): the project's service names,
the catalog's templates, and for `dkenv exec`/`debug` the commands the shims route into
the container (the venv's console scripts among them). Reads files only: no Engine, no
name registry, nothing written. The shell side is each shell record's completion template
(shells.py: complete.bash, .zsh, .fish)."""
from __future__ import annotations

from pathlib import Path

from dkenv.errors import FatalError
from dkenv.project import config as config_mod

FILES = None  # "complete file names here" (the caller turns it into the shell's file completion)


def _config(directory: str | None):
    try:
        return config_mod.load(config_mod.locate_root(directory))
    except FatalError:
        return None


def services(directory: str | None) -> list[str]:
    cfg = _config(directory)
    return list(cfg.services) if cfg else []


def templates() -> list[str]:
    from dkenv.services.catalog import catalog

    return list(catalog())


def commands(directory: str | None) -> list[str]:
    """The shims' names (.dkenv/shims: [shims] commands and the venv's scripts), else the
    configured commands when no shim was written yet."""
    cfg = _config(directory)
    if cfg is None:
        return []
    folder = Path(cfg.root) / ".dkenv" / "shims"
    try:
        names = sorted(p.name for p in folder.iterdir() if not p.name.startswith(".") and p.is_file())
    except OSError:
        names = []
    return names or list(cfg.shims.commands)


def exec_words(directory: str | None, before: tuple[str, ...]) -> list[str] | None:
    """The first word: a command; later words: file names (FILES)."""
    return FILES if before else commands(directory)
