"""What went wrong in a failed build step, from its output: text in, a Diagnosis out. Pure.

The output is what Docker streamed for the failing step: an installer's tool's, apt's,
or dkenv's own checks (lines starting "dkenv: ", kept as they are). dkenv's and apt's
words ("Unable to locate package") are recognised here; every installer recognises its
tool's own (`Installer.recognise`: pip's "Failed building wheel for X", "No matching
distribution found"; uv's "No solution found"; Poetry's "version solving failed";
pipenv's "Locking Failed!"...), all of them tried in detection order, since one step
can show another tool's words (pip installs Poetry's, PDM's and Pipenv's exports and the
installers' tools). They name the package that failed; why a package did not build
is `buildcause.explain`'s job, from the build output the recogniser kept.
"""
from __future__ import annotations

import re

from dkenv import installers
from dkenv.image.buildcause import explain
from dkenv.installers.failures import Diagnosis, find

__all__ = ["Diagnosis", "clean", "diagnose"]

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def clean(text: str) -> str:
    """Without colour codes, and each carriage-return-redrawn line as it ended."""
    text = ANSI.sub("", text)
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


def diagnose(output: list[str]) -> Diagnosis | None:
    """The failing step's output (lines, colour codes allowed) -> what failed and why."""
    lines = clean("\n".join(output)).splitlines()
    for recognise in (_dkenv, _apt, *(i.recognise for i in installers.all_installers())):
        found = recognise(lines)
        if found is not None:
            if found.kind == "build":
                found.cause = explain(found.built)
            return found
    return None


def _dkenv(lines):
    own = [line.strip() for line in lines if line.strip().startswith("dkenv: ")]
    return Diagnosis(kind="dkenv", verbatim=own) if own else None


def _apt(lines):
    for pattern, failure in ((r"^E: Unable to locate package (\S+)", "is not a package of the base image's distribution"),
                             (r"^E: Package '([^']+)' has no installation candidate", "has no installation candidate"),
                             (r"^E: Version '[^']+' for '([^']+)' was not found", "has no such version")):
        hit = find(lines, pattern)
        if hit:
            return Diagnosis(package=hit[1].group(1), failure=failure, kind="apt")
    hit = find(lines, r"^(?:E|W): (?:Failed to fetch|Temporary failure resolving|Unable to fetch)")
    if hit:
        return Diagnosis(failure="apt could not download from the Debian archive", evidence=[lines[hit[0]].strip()],
                         kind="other")
    return None
