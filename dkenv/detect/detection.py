"""What a project folder says about itself: its dependency manager, Python version,
web framework, the Debian packages its dependencies need and the services they talk to.

Pure logic: reads files under the root, never runs anything. `inspect(root)` is the
entry point; `dkenv init` prints its notes and `dkenv build` asks it what the config
leaves to "auto". The manager is the first installer of installers/ that claims
the folder, and it reads the dependency names; the Python constraint by pythonversion.py,
the framework by frameworks.py, how the app runs by runs.py (what the project declares
first), the Debian packages and services by needs.py.

Where dependency names come from: what the chosen manager installs, as its module reads
it (`Installer.read`: pip's requirements files, Poetry's tables, a Pipfile...). Every
extra and group counts, installed or not; a requirement whose environment marker holds
in the container for none of the Pythons the project allows does not (dependencies.py).
The manager also says which extras and groups the project declares (`choices`), for init.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from dkenv import declared, tomltext
from dkenv.detect import frameworks, needs, runs
from dkenv.manifests import pythonversion
from dkenv.manifests.dependencies import merge
from dkenv.manifests.workspace import find_workspace
from dkenv import installers


@dataclass
class Detection:
    """Everything `inspect` found; empty values mean "nothing found"."""

    manager: str = "none"  # an installer's name (installers/) or none
    requirements: list[str] = field(default_factory=list)  # pip: files to install with -r
    constraints: list[str] = field(default_factory=list)  # pip: files to pass with -c
    python_constraint: pythonversion.PythonConstraint | None = None  # what the project says about its Python
    framework: str | None = None  # a key of frameworks.FRAMEWORK_NAMES
    command: str | None = None  # what `dkenv run` runs (runs.py)
    command_from: str = ""  # where it came from
    command_guess: str = ""  # why it is only a guess, written commented ("": it is not)
    ports: list[int] = field(default_factory=list)
    apt: list[str] = field(default_factory=list)  # sorted, unique
    apt_for: dict[str, list[str]] = field(default_factory=dict)  # apt package -> dependencies needing it
    services: list[str] = field(default_factory=list)  # catalog names
    service_for: dict[str, list[str]] = field(default_factory=dict)  # service -> dependencies suggesting it
    service_commented: dict[str, str] = field(default_factory=dict)  # service -> why it is proposed commented
    dependencies: list[str] = field(default_factory=list)  # normalized names, sorted
    extras: dict[str, list[str]] = field(default_factory=dict)  # dependency -> extras requested
    choices: installers.Choices = field(default_factory=installers.Choices)  # the project's extras and groups
    notes: list[str] = field(default_factory=list)
    workdir: str = ""  # the app's folder, relative to the root inspected by layout.locate ("": the root)
    env_file: str = ""  # the .env its settings read, relative to that root (layout.locate)
    transitive: set[str] = field(default_factory=set)  # dependencies only others need (a compiled lock's word)


def inspect(root: Path, within: Path | None = None) -> Detection:
    """Look at `root` and report what it holds (see the module docstring); `within`: the
    project root when `root` is the app's folder below it (its compose files may run the app)."""
    root = Path(root)
    found = Detection()
    folder, python_notes = _manifests(root, found)
    deps = _dependencies(found, folder)
    found.dependencies = sorted(deps)
    found.extras = {name: sorted(extras) for name, extras in sorted(deps.items()) if extras}
    found.notes += python_notes
    framework = frameworks.detect_framework(root, deps, found.notes)
    if framework:
        found.framework, found.ports = framework.name, [framework.port]
    _run(found, runs.propose(root, framework, found.notes, within))
    found.apt_for = needs.apt_packages(deps, found.notes)
    _git(root, found)
    found.apt = list(found.apt_for)
    found.service_for = needs.proposed_services(deps, found.notes, found.transitive)
    found.services = list(found.service_for)
    _commented_services(root, found, _main_names(root, found))
    return found


def _git(root: Path, found: Detection) -> None:
    """`git` in image.apt when a manifest or lock names a git source (detect/vcs.py)."""
    from dkenv.detect import vcs

    files = vcs.git_sources(root, found.requirements)
    if files and "git" not in found.apt_for:
        found.apt_for["git"] = [f"the git sources of {', '.join(files)}"]
        found.apt_for = dict(sorted(found.apt_for.items()))
        found.notes.append(f"apt: git for the git sources of {', '.join(files)} (pip and uv fetch them with git)")


def _main_names(root: Path, found: Detection) -> set[str] | None:
    """The main dependencies' names (no development group, extra or file); None: unknown."""
    if found.manager == "none":
        return None
    from dkenv.errors import FatalError

    try:
        installer = installers.get(found.manager)
        names = installer.main_names(root, installer.main_requirements(root), None)
    except (FatalError, OSError, ValueError):
        return None
    return set(names) or None  # no main dependency at all: the development ones are all there is


def _commented_services(root: Path, found: Detection, main: set[str] | None) -> None:
    """The proposed services the app does not need (serviceuse.py): written commented, the
    note saying why."""
    from dkenv.catalog.entries import catalog
    from dkenv.detect import serviceuse

    files = None
    for service, suggesting in found.service_for.items():
        why = serviceuse.dev_only(suggesting, main)
        if why is None:
            files = serviceuse.python_files(root) if files is None else files
            why = serviceuse.optional(root, catalog()[service], files)
        if why:
            found.service_commented[service] = why
            note = f"service: {service} (for {', '.join(suggesting)})"
            found.notes = [f"{note}: proposed commented, {why}" if n == note else n for n in found.notes]


def for_image(root: Path) -> Detection:
    """What an image needs of `inspect` (image/plan.py): the manager and the Python
    constraint, read from the manifests only (no dependency names, no framework: the
    sources are not read, so editing them never looks like a change of the image's inputs)."""
    root = Path(root)
    found = Detection()
    folder, _ = _manifests(root, found)
    installer = installers.detect(folder)
    found.manager = installer.name if installer is not None else "none"
    return found


def _manifests(root: Path, found: Detection):
    """The folder's manifests parsed, and its Python constraint in `found` (with its notes)."""
    folder = installers.Folder(root, _load_toml(root / "pyproject.toml", found.notes),
                               _load_toml(root / "Pipfile", found.notes))
    python_notes: list[str] = []
    found.python_constraint = constraint = _python(root, folder, python_notes)
    if constraint:
        python_notes.append(f"python {constraint.text} (from {constraint.source})")
        folder.pythons = constraint.allowed() or None  # markers are evaluated for these
    return folder, python_notes


def _run(found: Detection, proposal: runs.Proposal | None) -> None:
    if proposal is None:
        return
    found.command, found.command_from, found.command_guess = proposal.command, proposal.source, proposal.guess
    if proposal.port:
        found.ports = [proposal.port]
    if proposal.guess:
        found.notes.append(f"run: a guess, written commented: {proposal.command} ({proposal.source}"
                           f"{'; ' if proposal.source else ''}{proposal.guess})")
    else:
        found.notes.append(f"run: {proposal.command}" + (f" (from {proposal.source})" if proposal.source else ""))
    found.notes += [f"  {note}" for note in proposal.notes]


def _python(root: Path, folder, notes: list[str]):
    """The folder's own constraint; a uv workspace member without a .python-version takes
    its workspace root's, as uv does."""
    workspace = None if declared.path(root / ".python-version").is_file() else find_workspace(root)
    if workspace is not None and workspace.root != root and declared.path(workspace.root / ".python-version").is_file():
        constraint = pythonversion.detect_constraint(workspace.root, None, None, notes)
        if constraint:
            where = os.path.relpath(workspace.root / ".python-version", root)
            return replace(constraint, source=f"the workspace's {where}")
    return pythonversion.detect_constraint(root, folder.pyproject, folder.pipfile, notes)


def _dependencies(found: Detection, folder) -> dict[str, set[str]]:
    """name -> extras, from what the folder's installer installs (installers/)."""
    installer = installers.detect(folder)
    if installer is None:
        extra = "; setup.py is not installed automatically" if (folder.root / "setup.py").is_file() else ""
        found.notes.append(f"dependencies: no requirements*.txt, pyproject.toml, Pipfile or lock file{extra}")
        return {}
    found.manager = installer.name
    read = installer.read(folder)
    found.requirements, found.constraints, found.transitive = read.requirements, read.constraints, read.transitive
    found.notes += read.notes
    found.choices = choices = installer.choices(folder)
    for kind, names, where in (("extras", choices.extras, choices.extras_from),
                               ("groups", choices.groups, choices.groups_from)):
        if names:
            found.notes.append(f"{kind}: {', '.join(names)} (in {where})")
    deps: dict[str, set[str]] = {}
    merge(deps, read.names)
    return deps


def _load_toml(path: Path, notes: list[str]) -> dict | None:
    if not declared.path(path).is_file():
        return None
    try:
        return tomltext.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:  # tomltext.loads raises ValueErrors for invalid TOML
        notes.append(f"{path.name}: not readable as TOML ({e}); ignored")
        return {}
