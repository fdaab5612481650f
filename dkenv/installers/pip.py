"""pip with requirements files: the chosen files, every file they include, constraints;
for production the main file. Also what pip says when it fails (`recognise`): every
installer but uv installs with pip, so pip's words can end any of their builds.
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from dkenv import declared
from dkenv.manifests.dependencies import normalize
from dkenv.manifests.requirements import (
    CONSTRAINT_FILES,
    MAIN_REQUIREMENTS,
    Choice,
    RequirementsReader,
    choice,
    closure,
    requirement_files,
)
from dkenv.errors import ConfigError
from dkenv.installers.base import Folder, Found, Inputs, Installer, read_manifest
from dkenv.installers.failures import Diagnosis, find, indented_after, last
from dkenv.imagepaths import CONTEXT_MANIFESTS

# pip's words for the step of a package's build that failed
STAGES = (("metadata", "preparing its metadata"), ("egg_info", "preparing its metadata"),
          ("build dependencies", "installing its build dependencies"),
          ("requirements to build", "getting its build requirements"),
          ("Building wheel", "building its wheel"), ("setup.py install", "running its setup.py install"))


class Pip(Installer):
    name = "pip"
    priority = 40
    selects = ()  # requirements files have no extras or groups: image.requirements chooses the files
    takes_requirements = True
    uv_requirements = True
    declared_in = "requirements.txt"

    def claims(self, folder: Folder) -> bool:
        return bool(requirement_files(folder.root))

    def read(self, folder: Folder) -> Found:
        requirements, constraints, reader, picked = chosen(folder.root, folder.pythons)
        why = picked.why()
        notes = [*reader.notes, "dependencies: pip, " + ", ".join(requirements)
                 + "".join(f" (constraints {c})" for c in constraints), *([f"requirements: {why}"] if why else [])]
        return Found(names=reader.requirements, notes=notes, requirements=requirements, constraints=constraints,
                     transitive=reader.transitive)

    def inputs(self, root: Path, requirements: list[str], detected, *,
               extras: list[str] | None = None, groups: list[str] | None = None) -> Inputs:
        self.select(root, extras, groups)  # a ConfigError when either names something
        constraints: list[str] = []
        if not requirements:  # the files detection chooses, without reading their names
            requirements, constraints, *_ = chosen(root)
        if not requirements:
            raise ConfigError("dkenv: image.install is pip but no requirements file was found; "
                              "set image.requirements")
        files = {f"{CONTEXT_MANIFESTS}/{rel}": read_manifest(root, rel) for rel in closure(root, requirements + constraints)}
        return Inputs(files=files, requirements=requirements, constraints=constraints)

    def steps(self, plan) -> list[str]:
        args = " ".join(f"-r {shlex.quote(r)}" for r in plan.requirements)
        args += "".join(f" -c {shlex.quote(c)}" for c in plan.constraints)
        return [f"{self.install_command(plan)} {args}"]

    def newer(self, name: str) -> str:
        return ("require a newer version in the requirements file, or in a constraints file "
                "for a package you do not list yourself")

    def main_requirements(self, folder: Path) -> list[str]:
        return main_requirements(folder)

    def main_names(self, folder: Path, requirements: list[str], pythons: list[str] | None) -> dict[str, set[str]]:
        """The main files' names; when the development files take a production pointer only for
        its database drivers (requirements.choice), theirs and those drivers: the pointer's
        other packages (a search client, cloud storage) suggest no service the app needs."""
        names = RequirementsReader(folder, pythons).read(*requirements).requirements
        picked = choice(folder)
        if picked.production not in requirements:
            return names
        dev = [f for f in picked.files if f != picked.production]
        return {**RequirementsReader(folder, pythons).read(*dev).requirements,
                **{c: names[c] for c in picked.clients if c in names}}

    def recognise(self, lines: list[str]) -> Diagnosis | None:
        return hashes(lines) or conflict(lines) or missing(lines) or build(lines)


def chosen(root: Path, pythons: list[str] | None = None) -> tuple[list[str], list[str], RequirementsReader, Choice]:
    """The requirements files a development environment installs, the top-level constraints
    files they do not include already, the reader that followed them, and the choice (why a
    production file is among them: requirements.choice)."""
    picked = choice(root)
    requirements = picked.files
    reader = RequirementsReader(root, pythons).read(*requirements)
    constraints = [c for c in CONSTRAINT_FILES if declared.path(root / c).is_file() and c not in reader.constraints]
    return requirements, constraints, reader, picked


def main_requirements(folder: Path) -> list[str]:
    """The main requirements file of `folder` (requirements.txt, requirements/base.txt...),
    else the first whose name says nothing of development; [] for none."""
    main = next((f for f in MAIN_REQUIREMENTS if (folder / f).is_file()), None)
    if main is None:
        dev_like = ("dev", "test", "local", "lint", "docs")
        main = next((f for f in requirement_files(folder) if not any(w in f for w in dev_like)), None)
    return [main] if main else []


def hashes(lines: list[str]) -> Diagnosis | None:
    hit = find(lines, r"DO NOT MATCH THE HASHES")
    if not hit:
        return None
    which = find(lines, r"^\s+(\S+==\S+) from ", hit[0])
    return Diagnosis(package=which[1].group(1) if which else "", failure="does not match its hash in the requirements",
                     evidence=[line.strip() for line in lines[hit[0] + 1:] if "Expected" in line or "Got" in line],
                     kind="conflict")


def conflict(lines: list[str]) -> Diagnosis | None:
    hit = find(lines, r"Cannot install (.+?) because these package versions have conflicting dependencies")
    why = find(lines, r"The conflict is caused by:")
    if not hit and not (why and find(lines, r"ResolutionImpossible")):
        return None
    package = hit[1].group(1) if hit else ""
    return Diagnosis(package=package, failure="have conflicting dependencies" if package else "the dependencies conflict",
                     evidence=indented_after(lines, why[0]) if why else [], kind="conflict")


def missing(lines: list[str]) -> Diagnosis | None:
    hit = (find(lines, r"Could not find a version that satisfies the requirement (\S+)(?: \(from versions: (.*)\))?")
           or find(lines, r"No matching distribution found for (\S+)"))
    if not hit:
        return None
    ignored = find(lines, r"Ignored the following versions that require a different python version: .*?"
                          r"Requires-Python ([^;\s]+)")
    if ignored:
        return Diagnosis(package=hit[1].group(1), failure="does not support this Python",
                         evidence=[f"it needs Python {ignored[1].group(1)}"], kind="missing")
    versions = hit[1].group(2) if hit[1].re.groups > 1 else None
    failure = ("was not found on the package index" if versions in (None, "none")
               else "has no release that matches")
    return Diagnosis(package=hit[1].group(1), failure=failure, evidence=[lines[hit[0]].strip()[:200]], kind="missing")


def build(lines: list[str]) -> Diagnosis | None:
    start = last(lines, r"error: subprocess-exited-with-error|× .+ did not run successfully")
    if not start:
        return None
    i = start[0]
    stage = find(lines, r"× (.+) did not run successfully", i)
    block = _block(lines, i)
    return Diagnosis(package=_package(lines, i), failure="did not install",
                     stage=_stage(stage[1].group(1)) if stage else "", built=block or lines[i:], kind="build")


def _block(lines: list[str], i: int) -> list[str]:
    """The subprocess's output that pip shows between "[N lines of output]" and "[end of output]"."""
    head = find(lines, r"\[\d+ lines? of output\]", i)
    if not head:
        return []
    end = find(lines, r"\[end of output\]", head[0])
    return lines[head[0] + 1:end[0] if end else len(lines)]


def _stage(text: str) -> str:
    return next((said for key, said in STAGES if key in text), "")


def _package(lines: list[str], i: int) -> str:
    """The package pip was working on at line i, with its version when pip said it."""
    summary = find(lines, r"Encountered error while|Failed to build installable wheels", i)
    named = summary and find(lines, r"^╰─> (?!See above)(\S+)", summary[0])
    named = named or find(lines, r"Failed (?:building wheel for|to build) (?!installable)'?([\w.-]+)'?", i)
    named = named or find(lines, r"(?:Building wheel for|Running setup.py install for) ([\w.-]+)", i)
    named = named or last(lines[:i], r"^(?:Collecting|Processing|Obtaining) (\S+)")
    if not named:
        return ""
    name = named[1].group(1).rstrip("/").rsplit("/", 1)[-1]
    return _with_version(lines, name)


def _with_version(lines: list[str], name: str) -> str:
    """"cffi" -> "cffi==1.15.0" when a "Collecting cffi==1.15.0" line says so."""
    key = normalize(name)
    for line in lines:
        m = re.match(r"Collecting ([\w.-]+)(==\S+)", line)
        if m and normalize(m.group(1)) == key:
            return m.group(1) + m.group(2)
    return name
