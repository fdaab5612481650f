"""What a project folder says about itself: its dependency manager, Python version,
web framework, the Debian packages its dependencies need and the services they talk to.

Pure logic: reads files under the root, never runs anything. `inspect(root)` is the
entry point; `dkenv init` prints its notes and `dkenv build` asks it what the config
leaves to "auto". The manager is found here; the Python version by pythonversion.py,
the dependency names by dependencies.py and requirements.py, the framework by
frameworks.py, the Debian packages and services by needs.py.

Where dependency names come from: what the chosen manager installs. pip: the chosen
requirements files and every file they include with -r. poetry: [tool.poetry] dependencies
and groups, plus PEP 621 [project] ones. pipenv: Pipfile [packages] and [dev-packages].
uv and pyproject: [project] dependencies, optional-dependencies and [dependency-groups].
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dkenv import frameworks, needs, pythonversion, tomltext
from dkenv.dependencies import merge, pipfile_requirements, pyproject_requirements
from dkenv.requirements import CONSTRAINT_FILES, RequirementsReader, choose_requirements, requirement_files


@dataclass
class Detection:
    """Everything `inspect` found; empty values mean "nothing found"."""

    manager: str = "none"  # pip, poetry, pipenv, uv, pyproject or none
    requirements: list[str] = field(default_factory=list)  # pip: files to install with -r
    constraints: list[str] = field(default_factory=list)  # pip: files to pass with -c
    python: str | None = None  # X.Y
    python_source: str | None = None  # the file (and key) that said so
    framework: str | None = None  # django, flask or fastapi
    command: str | None = None
    ports: list[int] = field(default_factory=list)
    apt: list[str] = field(default_factory=list)  # sorted, unique
    apt_for: dict[str, list[str]] = field(default_factory=dict)  # apt package -> dependencies needing it
    services: list[str] = field(default_factory=list)  # catalog names
    service_for: dict[str, list[str]] = field(default_factory=dict)  # service -> dependencies suggesting it
    dependencies: list[str] = field(default_factory=list)  # normalized names, sorted
    extras: dict[str, list[str]] = field(default_factory=dict)  # dependency -> extras requested
    notes: list[str] = field(default_factory=list)


def inspect(root: Path) -> Detection:
    """Look at `root` and report what it holds (see the module docstring)."""
    root = Path(root)
    found = Detection()
    pyproject = _load_toml(root / "pyproject.toml", found.notes)
    pipfile = _load_toml(root / "Pipfile", found.notes)
    found.manager = _manager(root, pyproject, pipfile)
    deps = _dependencies(root, found, pyproject or {}, pipfile or {})
    found.dependencies = sorted(deps)
    found.extras = {name: sorted(extras) for name, extras in sorted(deps.items()) if extras}

    found.python, found.python_source = pythonversion.detect_python(root, pyproject, pipfile, found.notes)
    if found.python:
        found.notes.append(f"python {found.python} (from {found.python_source})")
    framework = frameworks.detect_framework(root, deps, found.notes)
    if framework:
        found.framework, found.command, found.ports = framework.name, framework.command, [framework.port]
    found.apt_for = needs.apt_packages(deps, found.notes)
    found.apt = list(found.apt_for)
    found.service_for = needs.proposed_services(deps, found.notes)
    found.services = list(found.service_for)
    return found


# --- the dependency manager ---

def _manager(root: Path, pyproject: dict | None, pipfile: dict | None) -> str:
    """uv.lock > poetry > Pipfile > requirements files > PEP 621 > none."""
    pyproject = pyproject or {}
    if (root / "uv.lock").is_file():
        return "uv"
    if (root / "poetry.lock").is_file() or "poetry" in pyproject.get("tool", {}):
        return "poetry"
    if pipfile is not None or (root / "Pipfile.lock").is_file():
        return "pipenv"
    if requirement_files(root):
        return "pip"
    project = pyproject.get("project", {})
    if "dependencies" in project or "dependency-groups" in pyproject:
        return "pyproject"
    return "none"


def _dependencies(root: Path, found: Detection, pyproject: dict, pipfile: dict) -> dict[str, set[str]]:
    """name -> extras, from what `found.manager` installs; sets found.requirements/constraints for pip."""
    deps: dict[str, set[str]] = {}
    if found.manager == "pip":
        found.requirements = choose_requirements(root)
        reader = RequirementsReader(root)
        for rel in found.requirements:
            reader.read(rel)
        merge(deps, reader.requirements)
        found.constraints = [c for c in CONSTRAINT_FILES
                             if (root / c).is_file() and c not in reader.constraints]
        found.notes += reader.notes
        found.notes.append("dependencies: pip, " + ", ".join(found.requirements)
                           + "".join(f" (constraints {c})" for c in found.constraints))
    elif found.manager == "pipenv":
        merge(deps, pipfile_requirements(pipfile))
        found.notes.append("dependencies: pipenv (Pipfile)")
    elif found.manager in ("poetry", "uv", "pyproject"):
        merge(deps, pyproject_requirements(pyproject))
        lock = {"poetry": " and poetry.lock", "uv": " and uv.lock"}.get(found.manager, "")
        if found.manager == "poetry" and not (root / "poetry.lock").is_file():
            lock = ""
        found.notes.append(f"dependencies: {found.manager} (pyproject.toml{lock})")
    else:
        extra = "; setup.py is not installed automatically" if (root / "setup.py").is_file() else ""
        found.notes.append(f"dependencies: no requirements*.txt, pyproject.toml, Pipfile or lock file{extra}")
    return deps


def _load_toml(path: Path, notes: list[str]) -> dict | None:
    if not path.is_file():
        return None
    try:
        return tomltext.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:  # tomltext.loads raises ValueErrors for invalid TOML
        notes.append(f"{path.name}: not readable as TOML ({e}); ignored")
        return {}
