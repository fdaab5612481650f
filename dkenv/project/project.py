"""A project: its config, its unique name and every name derived from it.

Two roots whose folders share a name (~/a/app, ~/b/app) get distinct names: the
first keeps the plain name, later ones get a short hash of their root. The choice is
remembered per root in the user's state dir (project/registry.py, rebuilt from Docker's
labels when lost), so a name never changes under a project.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dkenv.project import config as config_mod
from dkenv.project import ownfolders, registry
from dkenv.project.registry import root_hash


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
    """Find, load and validate the project around `directory` (or the cwd); a symbolic link
    among the folders dkenv owns (`.dkenv`, `.dkenv/*`, `data`, `data/dkenv`, `data/SERVICE`)
    is refused before anything is written (project/ownfolders.py)."""
    root = config_mod.locate_root(directory)
    cfg = config_mod.load(root)
    ownfolders.check(cfg.root, list(cfg.services))
    return Project(config=cfg, name=unique_name(cfg.name, cfg.root))


def unique_name(wanted: str, root: Path) -> str:
    """`wanted`, or `wanted-<hash>` when another existing root already uses it."""
    table, writable = registry.load()
    key = registry.key(root, wanted)

    def live(k: str) -> bool:
        return registry.holds_project(k.split("\0")[0])

    taken = {name for k, name in table.items() if not k.startswith(f"{root}\0") and live(k)}
    if table.get(key) and table[key] not in taken:
        if writable and not registry.path().exists():
            registry.save(table)  # rebuilt from the labels
        return table[key]
    name = wanted if wanted not in taken else f"{wanted}-{root_hash(root)}"
    # a root that is gone gives its name up for good
    table = {k: v for k, v in table.items() if live(k) or v != name}
    table[key] = name
    if writable:
        registry.save(table)
    return name
