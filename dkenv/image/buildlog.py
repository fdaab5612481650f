"""What went wrong in a failed build step, from its output: text in, a Diagnosis out. Pure.

The output is what Docker streamed for the failing step: pip's, uv's, Poetry's,
pipenv's or apt's, or dkenv's own checks (lines starting "dkenv: ", kept as they are).
Each recogniser looks for its tool's own words (pip's "Encountered error while...",
"Failed building wheel for X", "No matching distribution found", "ResolutionImpossible";
uv's "Failed to build `X`", "No solution found"; Poetry's "PEP517 build of a dependency
failed", "version solving failed", "Unable to find installation candidates"; pipenv's
"Locking Failed!"; apt's "Unable to locate package") and names the package that
failed; why a package did not build is `buildcause.explain`'s job.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from dkenv.manifests.dependencies import normalize
from dkenv.image.buildcause import Cause, explain

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
STAGES = (("metadata", "preparing its metadata"), ("egg_info", "preparing its metadata"),
          ("build dependencies", "installing its build dependencies"),
          ("requirements to build", "getting its build requirements"),
          ("Building wheel", "building its wheel"), ("setup.py install", "running its setup.py install"))


@dataclass
class Diagnosis:
    package: str = ""  # what failed, as the tool names it: "lazy-object-proxy==1.6.0"
    failure: str = ""  # what happened to it, a clause: "did not install", "was not found"
    stage: str = ""  # pip's step that failed: "preparing its metadata"
    cause: Cause | None = None  # why
    evidence: list[str] = field(default_factory=list)  # lines that show it, as written
    kind: str = ""  # build | missing | conflict | apt | dkenv | other
    verbatim: list[str] = field(default_factory=list)  # dkenv's own messages, printed as is


def clean(text: str) -> str:
    """Without colour codes, and each carriage-return-redrawn line as it ended."""
    text = ANSI.sub("", text)
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


def diagnose(output: list[str]) -> Diagnosis | None:
    """The failing step's output (lines, colour codes allowed) -> what failed and why."""
    lines = clean("\n".join(output)).splitlines()
    for recognise in (_dkenv, _apt, _poetry, _uv, _pipenv_lock, _pip_hashes, _pip_conflict,
                      _pip_missing, _pip_build):
        found = recognise(lines)
        if found is not None:
            return found
    return None


def _find(lines: list[str], pattern: str, start: int = 0) -> tuple[int, re.Match] | None:
    regex = re.compile(pattern)
    for i in range(start, len(lines)):
        m = regex.search(lines[i])
        if m:
            return i, m
    return None


def _last(lines: list[str], pattern: str) -> tuple[int, re.Match] | None:
    regex = re.compile(pattern)
    for i in range(len(lines) - 1, -1, -1):
        m = regex.search(lines[i])
        if m:
            return i, m
    return None


def _indented_after(lines: list[str], i: int) -> list[str]:
    """The indented lines right after line i (a cause list), stripped."""
    found = []
    for line in lines[i + 1:]:
        if not line.strip() and not found:
            continue
        if not line.startswith((" ", "\t")) or not line.strip():
            break
        found.append(line.strip())
    return found


def _dkenv(lines):
    own = [line.strip() for line in lines if line.strip().startswith("dkenv: ")]
    return Diagnosis(kind="dkenv", verbatim=own) if own else None


def _apt(lines):
    for pattern, failure in ((r"^E: Unable to locate package (\S+)", "is not a package of the base image's distribution"),
                             (r"^E: Package '([^']+)' has no installation candidate", "has no installation candidate"),
                             (r"^E: Version '[^']+' for '([^']+)' was not found", "has no such version")):
        hit = _find(lines, pattern)
        if hit:
            return Diagnosis(package=hit[1].group(1), failure=failure, kind="apt")
    hit = _find(lines, r"^(?:E|W): (?:Failed to fetch|Temporary failure resolving|Unable to fetch)")
    if hit:
        return Diagnosis(failure="apt could not download from the Debian archive", evidence=[lines[hit[0]].strip()],
                         kind="other")
    return None


def _poetry(lines):
    if _find(lines, r"^PEP517 build of a dependency failed|ChefBuildError|^Backend subprocess exited"):
        note = _find(lines, r"not a problem with poetry but .* with (\S+) \(([^)]+)\)")
        installing = _last(lines, r"^\s*- Installing (\S+) \(([^)]+)\)")
        hit = note or installing
        package = f"{hit[1].group(1)}=={hit[1].group(2)}" if hit else ""
        backend = [line for line in lines if line.lstrip().startswith("|")]
        return Diagnosis(package=package, failure="did not install", stage="building it",
                         cause=explain(backend or lines), kind="build")
    hit = _find(lines, r"Unable to find installation candidates for (\S+) \(([^)]+)\)")
    if hit:
        detail = [line.strip(" |-") for line in lines[hit[0] + 1:] if "were skipped" in line]
        return Diagnosis(package=f"{hit[1].group(1)}=={hit[1].group(2)}",
                         failure="has no file that this platform and Python can install",
                         evidence=detail[:2], kind="missing")
    hit = _find(lines, r"version solving failed|SolverProblemError")
    if hit:
        because = [line.strip() for line in lines if re.match(r"\s*(So, )?[Bb]ecause ", line)]
        missing = _find(lines, r"depends on (\S+) \(([^)]+)\) which (doesn't match any versions|requires Python (\S+?),)")
        if missing:
            package = f"{missing[1].group(1)} ({missing[1].group(2)})"
            if missing[1].group(4):
                return Diagnosis(package=package, failure="does not support this Python",
                                 evidence=[f"it needs Python {missing[1].group(4)}"], kind="missing")
            return Diagnosis(package=package, failure="was not found on the package index", evidence=because,
                             kind="missing")
        return Diagnosis(failure="the dependencies cannot be resolved", evidence=because, kind="conflict")
    hit = _find(lines, r"^Package (\S+) \(([^)]+)\) not found\.")
    if hit:
        return Diagnosis(package=f"{hit[1].group(1)}=={hit[1].group(2)}", failure="was not found on the package index",
                         evidence=[hit[1].group(0)], kind="missing")
    return None


def _uv(lines):
    hit = _find(lines, r"^(?:error|\s*×): Failed to (?:build|download and build|prepare distributions).*?`([^`]+)`")
    if hit:
        return Diagnosis(package=hit[1].group(1), failure="did not install", stage="building it",
                         cause=explain(lines[hit[0] + 1:]), kind="build")
    hit = _find(lines, r"^(?:error|\s*×): No solution found when resolving dependencies")
    if not hit:
        return None
    causes = [re.sub(r"^(cause:|╰─▶|hint:)\s*", "", line.strip()) for line in lines[hit[0] + 1:]
              if line.strip() and not line.startswith(("warning:", "Using ", "Creating "))]
    missing = _find(lines, r"Because (\S+) was not found in the package registry")
    if missing:
        return Diagnosis(package=missing[1].group(1), failure="was not found on the package index",
                         evidence=causes[:1], kind="missing")
    python = _find(lines, r"and (\S+) depends on Python\s*([<>=!~]=?[\d.*]+)")
    if python:
        return Diagnosis(package=python[1].group(1), failure="does not support this Python",
                         evidence=[f"it needs Python {python[1].group(2)}"], kind="missing")
    return Diagnosis(failure="the dependencies cannot be resolved", evidence=causes[:3], kind="conflict")


def _pipenv_lock(lines):
    hit = _find(lines, r"Locking Failed!")
    if not hit:
        return None
    rest = lines[hit[0] + 1:]
    found = _pip_missing(rest) or _pip_conflict(rest)
    if found is None:
        errors = [line.strip() for line in rest if line.startswith("ERROR")]
        found = Diagnosis(failure="the dependencies cannot be resolved", evidence=errors[:1], kind="conflict")
    found.stage = "locking (pipenv lock)"
    return found


def _pip_hashes(lines):
    hit = _find(lines, r"DO NOT MATCH THE HASHES")
    if not hit:
        return None
    which = _find(lines, r"^\s+(\S+==\S+) from ", hit[0])
    return Diagnosis(package=which[1].group(1) if which else "", failure="does not match its hash in the requirements",
                     evidence=[line.strip() for line in lines[hit[0] + 1:] if "Expected" in line or "Got" in line],
                     kind="conflict")


def _pip_conflict(lines):
    hit = _find(lines, r"Cannot install (.+?) because these package versions have conflicting dependencies")
    why = _find(lines, r"The conflict is caused by:")
    if not hit and not (why and _find(lines, r"ResolutionImpossible")):
        return None
    package = hit[1].group(1) if hit else ""
    return Diagnosis(package=package, failure="have conflicting dependencies" if package else "the dependencies conflict",
                     evidence=_indented_after(lines, why[0]) if why else [], kind="conflict")


def _pip_missing(lines):
    hit = (_find(lines, r"Could not find a version that satisfies the requirement (\S+)(?: \(from versions: (.*)\))?")
           or _find(lines, r"No matching distribution found for (\S+)"))
    if not hit:
        return None
    ignored = _find(lines, r"Ignored the following versions that require a different python version: .*?"
                           r"Requires-Python ([^;\s]+)")
    if ignored:
        return Diagnosis(package=hit[1].group(1), failure="does not support this Python",
                         evidence=[f"it needs Python {ignored[1].group(1)}"], kind="missing")
    versions = hit[1].group(2) if hit[1].re.groups > 1 else None
    failure = ("was not found on the package index" if versions in (None, "none")
               else "has no release that matches")
    return Diagnosis(package=hit[1].group(1), failure=failure, evidence=[lines[hit[0]].strip()[:200]], kind="missing")


def _pip_build(lines):
    start = _last(lines, r"error: subprocess-exited-with-error|× .+ did not run successfully")
    if not start:
        return None
    i = start[0]
    stage = _find(lines, r"× (.+) did not run successfully", i)
    block = _block(lines, i)
    return Diagnosis(package=_pip_package(lines, i), failure="did not install",
                     stage=_stage(stage[1].group(1)) if stage else "", cause=explain(block or lines[i:]),
                     kind="build")


def _block(lines: list[str], i: int) -> list[str]:
    """The subprocess's output that pip shows between "[N lines of output]" and "[end of output]"."""
    head = _find(lines, r"\[\d+ lines? of output\]", i)
    if not head:
        return []
    end = _find(lines, r"\[end of output\]", head[0])
    return lines[head[0] + 1:end[0] if end else len(lines)]


def _stage(text: str) -> str:
    return next((said for key, said in STAGES if key in text), "")


def _pip_package(lines: list[str], i: int) -> str:
    """The package pip was working on at line i, with its version when pip said it."""
    summary = _find(lines, r"Encountered error while|Failed to build installable wheels", i)
    named = summary and _find(lines, r"^╰─> (?!See above)(\S+)", summary[0])
    named = named or _find(lines, r"Failed (?:building wheel for|to build) (?!installable)'?([\w.-]+)'?", i)
    named = named or _find(lines, r"(?:Building wheel for|Running setup.py install for) ([\w.-]+)", i)
    named = named or _last(lines[:i], r"^(?:Collecting|Processing|Obtaining) (\S+)")
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
