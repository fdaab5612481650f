"""The package cache where BuildKit is absent, as pure text: the BuildKit rendering of a
build (the clean build's `.dkenv/Dockerfile.buildkit`, or an incremental step's) cut in the
three parts `image/volumebuild.py` builds, and the progress of each said as the whole's.

- `split`: the head (every instruction before the RUN with cache mounts, built by the
  classic builder), that RUN (its cache mounts, each become the user's named volume of the
  same id, and its shell text), and the tail (every instruction after it, built by the
  classic builder `FROM` the image committed from the RUN's container);
- `Renumber`: the classic builder's "Step N/K" of each part as the whole text's "Step N/M",
  so that `buildsteps.Tracker` says the steps of one build (the tail's own FROM is not said).
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from dkenv.image import buildsteps

CACHED_RUN = re.compile(r"^RUN\s+--mount=type=cache")
MOUNT = re.compile(r"--mount=type=cache,(\S+)\s+")
VOLUME_LABEL = "dkenv.cache"  # on each volume dkenv makes: the tool whose cache it holds


@dataclass(frozen=True)
class CacheMount:
    volume: str  # the cache mount's id, the named volume's name ("dkenv-uv-1500")
    target: str
    uid: str = "0"
    gid: str = "0"


@dataclass(frozen=True)
class Parts:
    head: str  # a Dockerfile: every instruction before the cached RUN
    mounts: tuple[CacheMount, ...]
    script: str  # the RUN's shell text (continuations joined, as Docker runs it: /bin/sh -c)
    run_step: int  # the RUN's number among the whole text's instructions (Docker's "Step N")
    total: int  # the whole text's instructions
    tail: str  # every instruction after the RUN (the caller puts its FROM first)


def split(text: str) -> Parts | None:
    """`text` cut at its one RUN with cache mounts; None when it has none."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if CACHED_RUN.match(line)), None)
    if start is None:
        return None
    end = start  # its continuation lines (Docker drops the comments among them)
    while end + 1 < len(lines) and (lines[end].rstrip().endswith("\\") or lines[end].lstrip().startswith("#")):
        end += 1
    kept = [line for line in lines[start:end + 1] if not line.lstrip().startswith("#")]
    run = re.sub(r"\\\n", "", "".join(kept)).strip()[len("RUN"):]
    mounts = tuple(_mount(m.group(1)) for m in MOUNT.finditer(run))
    script = MOUNT.sub("", run).strip()
    head, tail = "".join(lines[:start]), "".join(lines[end + 1:])
    run_step = len(buildsteps.parse(head)) + 1
    return Parts(head, mounts, script, run_step, len(buildsteps.parse(text)), tail)


def _mount(options: str) -> CacheMount:
    fields = dict(part.partition("=")[::2] for part in options.split(","))
    return CacheMount(fields.get("id") or fields["target"], fields["target"], fields.get("uid", "0"),
                      fields.get("gid", "0"))


def step_line(parts: Parts) -> str:
    """The RUN's "Step N/M" line, as the classic builder would have said it."""
    return f"Step {parts.run_step}/{parts.total} : RUN {parts.script}\n"


def with_proxies(script: str, proxies: dict[str, str]) -> str:
    """The script with the build's proxy variables exported first (the classic builder's build
    arguments: in the step's environment only, never in the image)."""
    if not proxies:
        return script
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(proxies.items()))
    return f"export {exports}; {script}"


class Renumber:
    """The classic builder's lines of one part in, the whole build's lines out."""

    def __init__(self, total: int):
        self.total, self.offset, self.skip = total, 0, 0

    def part(self, offset: int, skip: int = 0) -> None:
        """The next part's steps are the whole's from `offset` + 1; its first `skip` are not said."""
        self.offset, self.skip = offset, skip

    def feed(self, line: str) -> list[str]:
        m = buildsteps.STEP.match(line)
        if m is None:
            return [line]
        number = int(m.group(1))
        if number <= self.skip:
            return []
        return [f"Step {number + self.offset}/{self.total} : {m.group(3)} {m.group(4)}".rstrip()]

    def close(self) -> list[str]:
        return []
