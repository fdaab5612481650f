"""A Dockerfile's stages, read as BuildKit's parser reads them, for what `dkenv init` learns
from a project's Dockerfiles (its Python, a compose service's image and init scripts):
the `# escape=` directive, line continuations, comment lines (inside continuations too),
heredocs (`RUN <<EOF`), `FROM [--platform=...] image [AS name]`. A stage's base image is
resolved through the `ARG` defaults declared before the first FROM (`ARG PY=3.12` then
`FROM python:${PY}`: `$V`, `${V}`, `${V:-word}`, `${V:+word}`) and through the earlier
stages' names (`FROM base AS dev`: base's image). What cannot be known that way (an ARG
without a default, which a build argument sets; another expansion; not an image reference
once expanded) is unknown (""), never a guess. `lineage` gives the final stage with the
stages it is built on, what it inherits (its ENTRYPOINT, CMD, ENV: detect/runsources.py).

Pure but for `read`, which reads at most READ_LIMIT bytes: a larger file is not read at all
(its final stage cannot be known from a part).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from dkenv import imageref

READ_LIMIT = 1 << 20  # 1 MiB: a real Dockerfile is a few KiB

_DIRECTIVE = re.compile(r"^#[ \t]*([A-Za-z]+)[ \t]*=[ \t]*(\S+)[ \t]*$")
_HEREDOC = re.compile(r"<<(-?)([\"']?)([A-Za-z_][\w.-]*)\2")
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_]\w*)(?:(:?[-+])([^}$]*))?\}|([A-Za-z_]\w*))|\$\{[^}]*\}?|\$")


@dataclass(frozen=True)
class Stage:
    written: str  # the FROM's image as written: "python:${PY}-slim", "base"
    image: str  # its base image, through ARG defaults and earlier stage names; "" when unknown
    name: str  # its `AS` name, lowercased as Docker compares them; "" for none
    instructions: tuple[str, ...]  # the stage's other instructions, continuations joined, comments dropped


def read(path: Path) -> list[Stage]:
    """The stages of the Dockerfile at `path`; [] when it is not a file (a pipe would block),
    cannot be read, or is larger than READ_LIMIT."""
    try:
        if not path.is_file():
            return []
        with path.open("rb") as f:
            data = f.read(READ_LIMIT + 1)
    except OSError:
        return []
    return [] if len(data) > READ_LIMIT else parse(data.decode("utf-8", errors="replace"))


def running(stages: list[Stage], target: str = "") -> Stage | None:
    """The stage an image built from these stages runs: the `target` one when named (a compose
    build's `target`, `docker build --target`), else the final one; None for none."""
    if target:
        return next((s for s in stages if s.name == target.lower()), None)
    return stages[-1] if stages else None


def lineage(stages: list[Stage]) -> list[Stage]:
    """The final stage and the earlier stages it is built on (`FROM base AS app`), the first of
    them first: what the final stage inherits, in the order Docker applies it."""
    at = len(stages) - 1
    chain: list[Stage] = []
    while at >= 0:
        chain.insert(0, stages[at])
        written = stages[at].written.lower()
        at = next((i for i in range(at - 1, -1, -1) if stages[i].name and stages[i].name == written), -1)
    return chain


def parse(text: str) -> list[Stage]:
    """The stages of a Dockerfile's text, in order (instructions before the first FROM, but the
    global ARGs, belong to none)."""
    stages: list[Stage] = []
    args: dict[str, str | None] = {}  # the ARGs before the first FROM: None for one without a default
    current: tuple[str, str, str] | None = None  # the open stage's (written, image, name)
    body: list[str] = []
    for instruction in instructions(text):
        keyword, rest = (instruction.split(None, 1) + [""])[:2]
        if keyword.upper() == "FROM":
            if current is not None:
                stages.append(Stage(*current, tuple(body)))
            written, name = _from_words(rest)
            current, body = (written, _base(written, args, stages), name), []
        elif current is not None:
            body.append(instruction)
        elif keyword.upper() == "ARG":
            _global_args(rest, args)
    if current is not None:
        stages.append(Stage(*current, tuple(body)))
    return stages


def instructions(text: str) -> list[str]:
    """The instructions of a Dockerfile: continuations joined (as Docker does, the escape and
    the line break removed), comment and empty lines dropped, a heredoc's lines kept with its
    instruction (joined by line breaks)."""
    lines = text.splitlines()
    escape, i = "\\", 0
    while i < len(lines) and (m := _DIRECTIVE.match(lines[i].strip())):  # parser directives: the top's
        escape = m.group(2) if m.group(1).lower() == "escape" and m.group(2) in ("\\", "`") else escape
        i += 1
    found, current, heredocs = [], [], _Delimiters(lines)
    while i < len(lines):
        line, i = lines[i], i + 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue  # inside a continuation too: Docker drops them
        content = line.rstrip()
        if content.endswith(escape):
            current.append(content[:-1])
            continue
        instruction = ("".join(current) + line).strip()
        current = []
        if instruction.split(None, 1)[0].upper() in ("RUN", "COPY", "ADD"):
            instruction, i = heredocs.joined(instruction, i)
        found.append(instruction)
    if current and "".join(current).strip():
        found.append("".join(current).strip())
    return found


class _Delimiters:
    """Where each line's text occurs, to find a heredoc's delimiter after a line without
    scanning again for every `<<` (a hostile file of them stays linear)."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.at: dict[bool, dict[str, list[int]]] = {}

    def joined(self, instruction: str, i: int) -> tuple[str, int]:
        """The instruction with each heredoc's lines (`<<EOF`, `<<-"EOF"`) up to its delimiter
        joined to it, and the line after them; a `<<` without its delimiter is not a heredoc."""
        parts = [instruction]
        for dash, _quote, word in _HEREDOC.findall(instruction):
            end = self._next(word, bool(dash), i)
            if end is None:
                break
            parts += self.lines[i:end]
            i = end + 1
        return "\n".join(parts), i

    def _next(self, word: str, dash: bool, start: int) -> int | None:
        if dash not in self.at:
            self.at[dash] = {}
            for j, line in enumerate(self.lines):
                self.at[dash].setdefault(line.lstrip("\t") if dash else line, []).append(j)
        positions = self.at[dash].get(word, [])
        k = bisect.bisect_left(positions, start)
        return positions[k] if k < len(positions) else None


def _from_words(rest: str) -> tuple[str, str]:
    """(the image as written, the stage's name) of FROM's arguments; flags (--platform) skipped."""
    words = [w for w in rest.split() if not w.startswith("--")]
    if not words:
        return "", ""
    name = words[2].lower() if len(words) == 3 and words[1].lower() == "as" else ""
    return words[0], name


def _base(written: str, args: dict[str, str | None], stages: list[Stage]) -> str:
    """The image a FROM's word names: an earlier stage's image, else the expanded reference; ""
    when unknown."""
    expanded = expand(written, args)
    if not expanded:  # unknown, or FROM without an image
        return ""
    earlier = next((s for s in reversed(stages) if s.name and s.name == expanded.lower()), None)
    if earlier is not None:
        return earlier.image
    return expanded if imageref.problem(expanded) is None else ""


def _global_args(rest: str, args: dict[str, str | None]) -> None:
    """An ARG before the first FROM (`ARG PY=3.12`, `ARG A=1 B="x y"`, `ARG V`): its defaults,
    expanded with the ARGs before it (an unknown one stays unknown)."""
    import shlex

    try:
        words = shlex.split(rest, posix=True)
    except ValueError:  # an unclosed quote
        words = rest.split()
    for word in words:
        key, eq, value = word.partition("=")
        if not re.fullmatch(r"[A-Za-z_]\w*", key):
            continue
        args[key] = expand(value, args) if eq else None


def expand(word: str, args: dict[str, str | None]) -> str | None:
    """`word` with the ARGs' values in; None when one it uses is unknown (declared without a
    default: a build argument sets it) or an expansion is not one of `$V`, `${V}`, `${V:-word}`,
    `${V:+word}` (or their forms without the colon). An undeclared variable is empty, as in Docker."""
    unknown = False

    def one(m: re.Match) -> str:
        nonlocal unknown
        key = m.group(1) or m.group(4)
        if key is None:  # a lone $ or an expansion not understood
            unknown = True
            return ""
        declared, value = key in args, args.get(key)
        if declared and value is None:
            unknown = True
            return ""
        value = value or ""
        operator, alternative = m.group(2), m.group(3) or ""
        if operator in (":-", "-"):
            return value if (value if operator == ":-" else declared) else alternative
        if operator in (":+", "+"):
            return alternative if (value if operator == ":+" else declared) else ""
        return value

    expanded = _VARIABLE.sub(one, word)
    return None if unknown else expanded


def python_minor(image: str) -> str:
    """The X.Y of an official python image reference (`python:3.12-slim`,
    `docker.io/library/python:3.11.4`); "" for any other image."""
    m = re.match(r"^(?:(?:(?:index\.)?docker\.io/)?library/)?python:(3\.\d+)(?![\d])", image)
    return m.group(1) if m else ""
