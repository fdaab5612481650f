"""A project: its config, its unique name and every name derived from it.

Two roots whose folders share a name (~/a/app, ~/b/app) get distinct names: the
first keeps the plain name, later ones get a short hash of their root. The choice is
remembered per root in the user's state dir, so a name never changes under a project.
"""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from dkenv import fileio, paths
from dkenv.errors import FatalError
from dkenv.project import config as config_mod

REGISTRY = "projects.json"


@dataclass
class Project:
    config: config_mod.Config
    name: str

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def container(self) -> str:
        return f"dkenv-{self.name}"

    @property
    def network(self) -> str:
        return f"dkenv-{self.name}"

    @property
    def image_repo(self) -> str:
        return f"dkenv/{self.name}"

    def service_container(self, service: str) -> str:
        return f"dkenv-{self.name}-{service}"

    @property
    def app_dir(self) -> Path:
        """image.workdir: the app's folder (its manifests are installed, run.command runs there)."""
        workdir = self.config.image.workdir
        return self.root / workdir if workdir else self.root

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def work_dir(self) -> Path:
        """`.dkenv/`: what dkenv writes inside the project (Dockerfile, shims); gitignored."""
        return self.root / ".dkenv"

    @property
    def shims_dir(self) -> Path:
        return self.work_dir / "shims"

    @property
    def history_dir(self) -> Path:
        return self.data_dir / "dkenv" / "history"


def open_project(directory: str | None = None) -> Project:
    """Find, load and validate the project around `directory` (or the cwd)."""
    root = config_mod.locate_root(directory)
    cfg = config_mod.load(root)
    return Project(config=cfg, name=unique_name(cfg.name, cfg.root))


def root_hash(root: Path) -> str:
    return hashlib.sha256(str(root).encode()).hexdigest()[:6]


def _read_registry(path: Path) -> dict[str, str]:
    """root+name -> unique name; a file that is not such a table is kept aside, once, with a message."""
    try:
        registry = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        registry = None
    if isinstance(registry, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in registry.items()):
        return registry
    aside = path.with_name(path.name + ".corrupt")
    try:
        path.replace(aside)
        where = f"kept as {aside}"
    except OSError:
        where = "left as it is"
    print(f"dkenv: {path} was not a table of project names ({where}); starting a new one", file=sys.stderr)
    return {}


def unique_name(wanted: str, root: Path) -> str:
    """`wanted`, or `wanted-<hash>` when another existing root already uses it."""
    registry_path = paths.state_dir() / REGISTRY
    registry = _read_registry(registry_path)
    key = f"{root}\0{wanted}"

    def live(k: str) -> bool:
        return (Path(k.split("\0")[0]) / config_mod.CONFIG_NAME).exists()

    taken = {name for k, name in registry.items() if not k.startswith(f"{root}\0") and live(k)}
    if registry.get(key) and registry[key] not in taken:
        return registry[key]
    name = wanted if wanted not in taken else f"{wanted}-{root_hash(root)}"
    # a root that is gone gives its name up for good
    registry = {k: v for k, v in registry.items() if live(k) or v != name}
    registry[key] = name
    try:
        paths.ensure_state_dir()
        fileio.write_atomic(registry_path, json.dumps(registry, indent=1, sort_keys=True))
    except (OSError, FatalError):
        pass  # an unwritable state dir: the plain name still works for a single project
    return name
