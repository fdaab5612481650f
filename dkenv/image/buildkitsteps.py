"""BuildKit's plain progress (`docker build --progress=plain`) read as the classic
builder's, so that `buildsteps.Tracker` follows both builds the same way. Pure.

BuildKit says "#6 [stage-0 4/9] RUN ..." when a vertex starts (again when it resumes
after another's lines), "#6 0.385 text" for its output, "#6 CACHED", "#6 DONE 1.2s",
"#6 ERROR: ...". Its "N/M" counts the instructions that make a filesystem (FROM, RUN,
COPY, ADD, WORKDIR), not every instruction as the classic "Step N/M" does: `Translator`
maps one to the other through the parsed Dockerfile and gives the Tracker the classic
lines ("Step 13/18 : RUN ...", " ---> Using cache", the output as is).
"""
from __future__ import annotations

import re

from dkenv.image.buildsteps import Step

COUNTED = ("FROM", "RUN", "COPY", "ADD", "WORKDIR")
VERTEX = re.compile(r"^#(\d+) (.*)$")
STARTS = re.compile(r"^\[(?:[^\]]* )?(\d+)/(\d+)\] (\S+)\s*(.*)$")
OUTPUT = re.compile(r"^\d+\.\d+ (.*)$")
STATUS = re.compile(r"^(DONE [\d.]+s|CACHED|ERROR:? .*|sha256:[0-9a-f]+|CANCELED.*)$")


class Translator:
    """BuildKit's lines in, the classic builder's lines out, in the Dockerfile's order:
    BuildKit reports the steps it finds cached in any order, so a step is said once every
    step before it was (a step that prints output releases those before it, said or not)."""

    def __init__(self, steps: list[Step]):
        self.counted = [s for s in steps if s.keyword in COUNTED]
        self.total = len(steps)
        self.vertices: dict[str, int] = {}  # BuildKit's vertex number -> its index in counted (0: internal)
        self.seen: dict[int, str] = {}  # index -> "started", "cached" or "done"
        self.next = 1  # the first index that has not ended (or been passed)
        self.said = 0  # the last index whose Step line was given

    def feed(self, line: str) -> list[str]:
        """The classic lines for one BuildKit line (no newline, colours removed)."""
        m = VERTEX.match(line)
        if m is None:  # the error's summary after the steps: the running step's output
            return [line] if self.next > 1 else []
        number, text = m.groups()
        if number not in self.vertices:
            self.vertices[number] = self._index(text)
            if self.vertices[number]:
                self.seen[self.vertices[number]] = "started"
            return self._release()
        index = self.vertices[number]
        if not index:
            return []
        if text == "CACHED" or text.startswith(("DONE", "ERROR")):
            self.seen[index] = "cached" if text == "CACHED" else "done"
            late = [" ---> Using cache"] if text == "CACHED" and self.said >= index else []
            return [*late, *self._release()]
        out = OUTPUT.match(text)
        if out is None and (STATUS.match(text) or STARTS.match(text)):
            return []
        said = self._release(upto=index) if index >= self.next else []
        return [*said, out.group(1) if out else text]

    def close(self) -> list[str]:
        """The steps still unsaid at the end, in order."""
        return self._release(upto=len(self.counted) + 1)

    def _release(self, upto: int = 0) -> list[str]:
        """Say the steps in order from `next` while each is seen and the one before ended;
        those before `upto` whether seen or not."""
        lines: list[str] = []
        while self.next <= len(self.counted):
            i = self.next
            state = self.seen.get(i, "")
            if not state and i >= upto:
                break
            if self.said < i:
                step = self.counted[i - 1]
                lines.append(f"Step {step.number}/{self.total} : {step.keyword} {step.text}")
                lines += [" ---> Using cache"] if state == "cached" else []
                self.said = i
            if state == "started" and i >= upto:
                break  # running: its output follows, the next step waits for its end
            self.next += 1
        return lines

    def _index(self, text: str) -> int:
        """The index among the counted steps of the step a vertex's first line names; 0 for
        BuildKit's own work ("[internal] load build context") or a step not of the parsed Dockerfile."""
        m = STARTS.match(text)
        if m is None:
            return 0
        index, keyword = int(m.group(1)), m.group(3).upper()
        return index if 0 < index <= len(self.counted) and self.counted[index - 1].keyword == keyword else 0
