"""The protocol every installer implements, so that everything about an installer is in
its module: how it is detected (`claims`), what a folder declares for it (`read`,
`choices`, `selects`, `manifests`, `lock_file`, `declared_in`, `takes_requirements`),
the tools and the Dockerfile lines that install (`tools`, `inputs`, `steps`,
`add_command`), what it says when a step fails (`recognise`, `newer`) and what the
production image installs (`main_requirements`, `main_names`). The generic modules
(image/, containers/handinstalled.py, production/) ask the installer, never its name;
tests/unit/installers/test_protocol.py checks every installer answers all of it."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from dkenv import declared, fileio, tomltext
from dkenv.manifests.dependencies import normalize, pyproject_requirements
from dkenv.errors import ConfigError, did_you_mean
from dkenv.installers.failures import Diagnosis
from dkenv.imagepaths import CONTEXT_MANIFESTS, TOOLS, VENV

PIP = f"{VENV}/bin/pip install --no-cache-dir"
CACHED_PIP = f"{VENV}/bin/pip install"  # the BuildKit rendering: pip's cache is a cache mount
UV_PIP = f"{TOOLS}/bin/uv pip install --python {VENV}/bin/python"
EDITABLES = ".dkenv-editable"  # the editable wheels of the project's own packages, in the build folder

# extras and groups a development environment wants: `dkenv init` proposes them, and the
# pyproject installer (which has no tool to ask) installs the extras by default
DEV_NAMES = ("dev", "test", "tests", "testing")


@dataclass
class Folder:
    """A project folder and its manifests, each parsed once (None: absent)."""

    root: Path
    pyproject: dict | None = None
    pipfile: dict | None = None
    pythons: list[str] | None = None  # the X.Y the image may have, for markers (None: any dkenv provides)

    @classmethod
    def load(cls, root: Path) -> Folder:
        """The folder with its manifests parsed; invalid TOML is a ConfigError."""
        return cls(root, load_toml(root / "pyproject.toml"), load_toml(root / "Pipfile"))


def load_toml(path: Path) -> dict | None:
    if not declared.path(path).is_file():
        return None
    try:
        return tomltext.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ConfigError(f"dkenv: {path}: not readable as TOML ({e})") from None


@dataclass
class Found:
    """What an installer reads from a folder: dependency names with extras, notes for init;
    pip also the requirements and constraints files a development environment installs."""

    names: dict[str, set[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)
    transitive: set[str] = field(default_factory=set)  # names only other packages need (a compiled lock's word)


@dataclass
class Choices:
    """The extras and dependency groups a folder offers (as its manifests spell them, in
    their order), where they are declared, and those its tool installs by default."""

    extras: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    default_extras: list[str] = field(default_factory=list)
    default_groups: list[str] = field(default_factory=list)
    extras_from: str = ""  # e.g. "pyproject.toml [project.optional-dependencies]"
    groups_from: str = ""
    held: list[str] | None = None  # the only names that can be installed (those a pdm.lock holds)

    def proposed_extras(self) -> list[str]:
        """What `dkenv init` proposes: the default extras and those named like DEV_NAMES."""
        return [e for e in self.extras if e in self.default_extras or e in self._dev(self.extras)]

    def proposed_groups(self) -> list[str]:
        """What `dkenv init` proposes: the default groups and those named like DEV_NAMES."""
        return [g for g in self.groups if g in self.default_groups or g in self._dev(self.groups)]

    def _dev(self, names: list[str]) -> list[str]:
        held = None if self.held is None else {normalize(n) for n in self.held}
        return [n for n in dev_named(names) if held is None or normalize(n) in held]


@dataclass
class Inputs:
    """What the image build needs from the project for this installer."""

    files: dict[str, bytes] = field(default_factory=dict)  # build-context path -> content
    requirements: list[str] = field(default_factory=list)  # pip: -r files (under manifests/)
    constraints: list[str] = field(default_factory=list)  # pip: -c files
    args: list[str] = field(default_factory=list)  # install arguments the files decide (uv: --package NAME)
    editables: list[str] = field(default_factory=list)  # the project's own packages, as editable wheels
    extras: list[str] | None = None  # what steps() installs; None: the tool's own default
    groups: list[str] | None = None
    hashes: bool = True  # a lock's export installs in pip's hash-checking mode (no VCS packages)


class Installer:
    name: ClassVar[str]
    priority: ClassVar[int]  # detection order: the lowest that claims a folder wins
    tools: ClassVar[tuple[str, ...]] = ()  # PyPI packages installed in the tools venv, not the project's
    manifests: ClassVar[tuple[str, ...]] = ()  # files copied into the context (the first is required)
    lock_file: ClassVar[str | None] = None
    selects: ClassVar[tuple[str, ...]] = ("extras", "groups")  # the [image] keys that apply to it
    # the folder's own package installed editable after its dependencies (installers/editable.py),
    # as `pip install -e .`, `poetry install` or `pdm install` would; uv does it in its steps
    installs_project: ClassVar[bool] = False
    declared_in: ClassVar[str] = "pyproject.toml"  # where a dependency is added: a package installed by hand belongs there
    takes_requirements: ClassVar[bool] = False  # image.requirements and production.requirements choose its files (pip)
    add_command: ClassVar[str] = PIP  # installs a package into the venv after its steps (the production server)
    # with the package cache (the BuildKit rendering, plan.cache), its requirements files are
    # installed by `uv pip install` (uv from PyPI in the tools venv); False: by pip, with its cache
    uv_requirements: ClassVar[bool] = False
    # it makes the project's environment at VENV itself, with its own Python (conda): the base
    # image's Python only runs its tools, and no venv is made there (image/dockerfile.py)
    makes_env: ClassVar[bool] = False
    # its steps make the venv exactly what its lock holds (uv sync --frozen): run again on the
    # previous image, they are the incremental step (image/incrementalstep.py)
    exact_lock: ClassVar[bool] = False

    def claims(self, folder: Folder) -> bool:
        """Does this folder use this installer?"""
        raise NotImplementedError

    def read(self, folder: Folder) -> Found:
        """The dependency names (and notes) this installer would install."""
        raise NotImplementedError

    def choices(self, folder: Folder) -> Choices:
        """The extras and groups the folder offers, and the tool's defaults."""
        return Choices()

    def inputs(self, folder: Path, requirements: list[str], detected, *,
               extras: list[str] | None = None, groups: list[str] | None = None) -> Inputs:
        """The build-context files from `folder` (the project root, or image.workdir) and the
        extras and groups to install (image.extras and image.groups checked against the
        folder's); `requirements` is image.requirements, `detected()` the folder's Detection."""
        files = self.manifest_files(folder)
        extras, groups = self.select(folder, extras, groups)
        return Inputs(files=files, extras=extras, groups=groups)

    def manifest_files(self, root: Path) -> dict[str, bytes]:
        """Its manifests present in `root`, by build-context path (the first is required)."""
        files = {f"{CONTEXT_MANIFESTS}/{rel}": read_manifest(root, rel)
                 for rel in self.manifests if declared.path(root / rel).is_file()}
        if self.manifests and f"{CONTEXT_MANIFESTS}/{self.manifests[0]}" not in files:
            raise ConfigError(f"dkenv: image.install is {self.name} but {self.manifests[0]} is missing in {root}")
        return files

    def select(self, root: Path, extras: list[str] | None, groups: list[str] | None,
               choices: Choices | None = None) -> tuple[list[str] | None, list[str] | None]:
        """(extras, groups) as the manifests spell them, None where .dkenv.toml leaves them unset
        (a ConfigError for a name the folder does not declare or a key that does not apply)."""
        offered = (lambda: choices) if choices is not None else functools.cache(lambda: self.choices(Folder.load(root)))
        return (check_names(self, "extras", extras, lambda: (offered().extras, offered().extras_from)),
                check_names(self, "groups", groups, lambda: (offered().groups, offered().groups_from)))

    def own_package(self, folder: Path, inputs: Inputs) -> None:
        """Add the editable wheel of the folder's own package to `inputs` (installs_project)."""
        from dkenv.installers import editable

        data = Folder.load(folder).pyproject or {}
        name = editable.packaged(data)
        if not self.installs_project or inputs.editables or name is None:
            return
        filename, content = editable.editable_wheel(name, None, folder, data)
        inputs.files[f"{CONTEXT_MANIFESTS}/{EDITABLES}/{filename}"] = content
        inputs.editables.append(f"{EDITABLES}/{filename}")

    def lock_folder(self, folder: Path) -> Path:
        """Where `lock_file` belongs for the manifests of `folder` (the project's, or image.workdir)."""
        return folder

    def steps(self, plan) -> list[str]:
        """The shell lines (run as the host user in the manifests folder) that install; the
        production image runs them too, with its plan's extras and groups (none by default)."""
        raise NotImplementedError

    def tools_for(self, plan) -> tuple[str, ...]:
        """The tools the plan's rendering needs: `tools`, and uv where it installs the requirements."""
        extra = ("uv",) if getattr(plan, "cache", False) and self.uv_requirements and "uv" not in self.tools else ()
        return (*self.tools, *extra)

    def install_command(self, plan) -> str:
        """What installs a requirements file in its steps: pip without a cache (the classic
        rendering), else uv (`uv_requirements`) or pip, both with the cache mounted; pip
        with `--no-compile` where the image leaves bytecode to run time (no_compile)."""
        if not getattr(plan, "cache", False):
            return PIP + no_compile(plan)
        return UV_PIP if self.uv_requirements else CACHED_PIP + no_compile(plan)

    def recognise(self, lines: list[str]) -> Diagnosis | None:
        """What failed, from a failed build step's output (colour codes removed) in its tool's
        own words (failures.py); None when they are not there. image/buildlog.py asks every
        installer: one step can show another tool's words (an export is installed by pip)."""
        return None

    def newer(self, name: str) -> str:
        """How to get a newer `name` than the too-old one its manifests or lock pin (a clause)."""
        return f"require a newer version in {self.declared_in}"

    def main_requirements(self, folder: Path) -> list[str]:
        """takes_requirements: the files the production image installs when production.requirements
        is unset (the main one, not the development one); [] when there is none."""
        return []

    def main_names(self, folder: Path, requirements: list[str], pythons: list[str] | None) -> dict[str, set[str]]:
        """The main dependencies (name -> extras), without the development ones: what the
        production image installs directly, their markers held for `pythons` (X.Y; None: any)."""
        data = load_toml(folder / "pyproject.toml") or {}
        return pyproject_requirements({"project": {"dependencies": data.get("project", {}).get("dependencies", [])}},
                                      pythons)


def check_names(installer: Installer, key: str, wanted: list[str] | None, offered) -> list[str] | None:
    """`wanted` (image.extras or image.groups) in the manifests' spelling, or a ConfigError;
    `offered()` gives the folder's names and where they are declared."""
    if wanted is None or key not in installer.selects:
        if wanted:
            hint = " (image.requirements chooses the files)" if installer.takes_requirements else ""
            raise ConfigError(f'dkenv: image.{key} does not apply to install = "{installer.name}"{hint}; '
                              "remove it from .dkenv.toml")
        return None
    if not wanted:
        return []
    names, where = offered()
    spelling = {normalize(n): n for n in names}
    chosen: list[str] = []
    for name in wanted:
        if normalize(name) not in spelling:
            kind = "an extra" if key == "extras" else "a dependency group"
            has = f"it declares {', '.join(names)}" if names else "it declares none"
            raise ConfigError(f"dkenv: image.{key}: {name!r} is not {kind} of {where or 'the project'} "
                              f"({has}){did_you_mean(name, names)}")
        if spelling[normalize(name)] not in chosen:
            chosen.append(spelling[normalize(name)])
    return chosen


def dev_named(names: list[str]) -> list[str]:
    """The names among `names` a development environment wants (DEV_NAMES)."""
    return [n for n in names if normalize(n) in DEV_NAMES]


def no_compile(plan) -> str:
    """pip's ` --no-compile` where the image leaves bytecode to run time (the development
    image's `pycache`: image/bytecode.py; uv compiles nothing unless told), else ""."""
    return " --no-compile" if getattr(plan, "pycache", None) else ""


def editable_step(plan) -> list[str]:
    """pip installs the project's own editable wheels, after its dependencies."""
    if not plan.editables:
        return []
    import shlex

    return [f"{PIP}{no_compile(plan)} --no-deps --no-index " + " ".join(shlex.quote(w) for w in plan.editables)]


def read_manifest(folder: Path, rel: str) -> bytes:
    """A manifest's content for the build context, read only when the file opened is inside
    the project (its links followed, then judged by the open file: a `pyproject.toml` the
    container made a link to the user's secrets would be copied into the image it can read);
    ConfigError (exit 2) for one outside."""
    path = declared.path(folder / rel)
    root = fileio.confined_root(path) or str(folder)
    try:
        return fileio.read_inside(path, root)
    except ValueError as e:
        raise ConfigError(f"dkenv: {path} is {e} once its links are followed, outside the project {root}; "
                          "it was not read") from None
