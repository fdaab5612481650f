"""The message of a failed build: the step, the package and the cause in one paragraph,
what to do, then the path of the full log. Pure: a Diagnosis (or the step's last lines
when nothing was recognised) in, text out. What to do about a pin depends on the
installer, which says it: how to get a newer release (`newer`), which lock to make
again after loosening a pin (`lock_file`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from dkenv import installers
from dkenv.image.buildlog import Diagnosis

TAIL = 12  # lines of output shown when the failure was not recognised


@dataclass
class Context:
    """What the advice depends on."""

    python: str = ""  # X.Y in the image
    installer: str = ""  # image.install, resolved
    apt: tuple[str, ...] = ()  # the Debian packages the image installs already

    def by(self) -> installers.Installer | None:
        """The installer, None for install = "none"."""
        return installers.find(self.installer)


def message(step: str, found: Diagnosis | None, *, tail: list[str], error: str, log: str,
            context: Context) -> str:
    """The whole message: `step` is "step 8/9, dependencies (pipenv)"."""
    where = f"dkenv: the build failed at {step}"
    if found is not None and found.verbatim:
        return "\n".join([f"{where}:", *found.verbatim, f"dkenv: full log: {log}"])
    if found is None or not (found.package or found.evidence or found.cause):
        lines = [line for line in tail if line.strip()][-TAIL:]
        if not lines:
            return f"{where}: {_exit(error)}\ndkenv: full log: {log}"
        return "\n".join([f"{where} ({_exit(error)}); the end of its output:",
                          *(f"  | {line}" for line in lines), f"dkenv: full log: {log}"])
    return f"{where}: {sentence(found)}{advice(found, context)}\ndkenv: full log: {log}"


def sentence(found: Diagnosis) -> str:
    """"lazy-object-proxy==1.6.0 did not install: preparing its metadata failed because ..."."""
    subject = f"{found.package} {found.failure}" if found.package else found.failure
    if found.stage.startswith("locking"):
        subject = f"{found.stage}: {subject}"
    if found.kind == "build":
        stage = found.stage or "building it"
        cause = found.cause
        if cause is None:
            return f"{subject}: {stage} failed."
        if not cause.why:
            return f'{subject}: {stage} failed with "{cause.evidence}".'
        return f'{subject}: {stage} failed because {cause.why} ("{cause.evidence}").'
    evidence = "; ".join(found.evidence)
    return f"{subject}: {evidence}." if evidence else f"{subject}."


def advice(found: Diagnosis, context: Context) -> str:
    """What to do, as sentences starting with a space ("" when dkenv has nothing to add)."""
    name = re.split(r"[=<>!~ (\[;@]", found.package, maxsplit=1)[0]
    python = context.python or "this Python"
    installer = context.by()
    if found.kind == "build" and found.cause is not None:
        if found.cause.old:
            how = installer.newer(name) if installer else ""
            return (f" This release is too old for Python {python} and today's build tools: use a newer "
                    f"{name}" + (f" ({how})." if how else "."))
        missing = [p for p in found.cause.apt if p not in context.apt]
        if missing:
            return f" Add {', '.join(missing)} to image.apt in .dkenv.toml, then build again."
        return ""
    if found.kind == "missing" and "Python" in found.failure:
        return f" Choose a version that supports Python {python}, or set image.python to one it supports."
    if found.kind == "missing" and "platform" in found.failure:
        return " It publishes nothing for Linux and this Python: choose another version, or leave it out on Linux."
    if found.kind == "missing":
        return " Check its name and version."
    if found.kind == "apt":
        return " Check the name in image.apt (Debian's package search: https://packages.debian.org)."
    if found.kind == "conflict" and installer and installer.lock_file and "hash" not in found.failure:
        return f" Loosen one of the pins, then lock again ({installer.lock_file})."
    if found.kind == "conflict" and "hash" not in found.failure:
        return " Loosen one of the pins."
    return ""


def _exit(error: str) -> str:
    m = re.search(r"returned a non-zero code: (\d+)", error)
    if m:
        return f"exit code {m.group(1)}"
    return error.strip().splitlines()[0][:200] if error.strip() else "no reason given"
