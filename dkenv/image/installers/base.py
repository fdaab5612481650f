"""The protocol every installer implements: what it detects, what it reads, which
manifest files its build context needs, the tools it needs and the Dockerfile lines
that install the dependencies."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from dkenv.errors import ConfigError
from dkenv.image.paths import CONTEXT_MANIFESTS, VENV


@dataclass
class Folder:
    """A project folder and its manifests, each parsed once (None: absent)."""

    root: Path
    pyproject: dict | None = None
    pipfile: dict | None = None


@dataclass
class Found:
    """What an installer reads from a folder: dependency names with extras, notes for init;
    pip also the requirements and constraints files a development environment installs."""

    names: dict[str, set[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)


@dataclass
class Inputs:
    """What the image build needs from the project for this installer."""

    files: dict[str, bytes] = field(default_factory=dict)  # build-context path -> content
    requirements: list[str] = field(default_factory=list)  # pip: -r files (under manifests/)
    constraints: list[str] = field(default_factory=list)  # pip: -c files
    args: list[str] = field(default_factory=list)  # install arguments the files decide (uv: --package NAME)
    editables: list[str] = field(default_factory=list)  # the project's own packages, as editable wheels


class Installer:
    name: ClassVar[str]
    priority: ClassVar[int]  # detection order: the lowest that claims a folder wins
    tools: ClassVar[tuple[str, ...]] = ()  # PyPI packages installed in the tools venv, not the project's
    manifests: ClassVar[tuple[str, ...]] = ()  # files copied into the context (the first is required)
    lock_file: ClassVar[str | None] = None

    def claims(self, folder: Folder) -> bool:
        """Does this folder use this installer?"""
        raise NotImplementedError

    def read(self, folder: Folder) -> Found:
        """The dependency names (and notes) this installer would install."""
        raise NotImplementedError

    def inputs(self, folder: Path, requirements: list[str], detected) -> Inputs:
        """The build-context files from `folder` (the project root, or image.workdir);
        `requirements` is image.requirements, `detected()` the folder's Detection."""
        files = {f"{CONTEXT_MANIFESTS}/{rel}": (folder / rel).read_bytes()
                 for rel in self.manifests if (folder / rel).is_file()}
        if self.manifests and f"{CONTEXT_MANIFESTS}/{self.manifests[0]}" not in files:
            raise ConfigError(f"dkenv: image.install is {self.name} but {self.manifests[0]} is missing in {folder}")
        return Inputs(files=files)

    def steps(self, plan) -> list[str]:
        """The shell lines (run as the host user in the manifests folder) that install."""
        raise NotImplementedError


PIP = f"{VENV}/bin/pip install --no-cache-dir"
