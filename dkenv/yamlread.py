"""A reader for the YAML subset Compose files are written in, for what `init` reads of a
project's compose file (detect/runsources.py) and of a conda `environment.yml`
(manifests/condaenv.py): block mappings and sequences, plain, single- and
double-quoted scalars, flow sequences and mappings (`[a, "b"]`, `{a: b}`), literal and
folded block scalars (`|`, `>`, with `-`/`+`), comments, `---`, anchors, aliases and
`<<` merge keys. Every scalar is a string (no numbers, booleans or nulls: `init` only
compares words); tags (`!reset`) are dropped.

No YAML library at run time (docs/design.md): PyYAML is a test extra only, and the tests
check this reader against it. Anything outside the subset raises ValueError; callers
ignore the file then and say so.
"""
from __future__ import annotations

import re

from dkenv.yamlflow import Flow, balanced, quoted_closed, strip_comment

_KEY = re.compile(r"""^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'"""  # "key": 'key': or key:
                  r"""|([^\s#'"{\[\]}&*!|>%@`-][^#]*?|-[^\s#][^#]*?))\s*:(?:\s+|$)""")


def loads(text: str):
    """The first document of `text` as dicts, lists and strings (None for an empty one)."""
    try:
        return _Reader(text).document()
    except (IndexError, TypeError, RecursionError) as e:  # a shape outside the subset
        raise ValueError(f"not the YAML subset dkenv reads ({type(e).__name__})") from None


class _Reader:
    def __init__(self, text: str):
        self.lines: list[tuple[int, str]] = []  # (indent, content) of the lines that hold something
        self.raw = text.replace("\r\n", "\n").replace("\t", "    ").split("\n")
        self.rows: list[int] = []  # index in raw of each entry of lines
        for number, line in enumerate(self.raw):
            stripped = line.strip()
            if not stripped or stripped.startswith("#") or line.startswith("%"):
                continue
            if line.rstrip() in ("---", "...") or line.startswith("--- "):  # markers are at column 0
                if self.lines:
                    break  # only the first document
                continue
            self.lines.append((len(line) - len(line.lstrip(" ")), stripped))
            self.rows.append(number)
        self.anchors: dict[str, object] = {}

    def document(self):
        if not self.lines:
            return None
        value, end = self.block(0, self.lines[0][0])
        if end < len(self.lines):
            raise ValueError(f"line {self.rows[end] + 1}: unexpected indentation")
        return value

    def block(self, i: int, indent: int):
        content = self.lines[i][1]
        if content.startswith("&"):  # an anchor before a scalar, or alone above a block
            name, _, rest = content[1:].partition(" ")
            rest = rest.strip()
            if rest:
                self.lines[i] = (indent + len(content) - len(rest), rest)
                value, end = self.block(i, self.lines[i][0])
            else:
                value, end = self.child(i + 1, indent - 1, allow_same=False)
            self.anchors[name] = value
            return value, end
        if content == "-" or content.startswith("- "):
            return self.sequence(i, indent)
        if _KEY.match(content) or content.startswith("? "):
            return self.mapping(i, indent)
        return self.scalar_lines(i, indent)

    def sequence(self, i: int, indent: int):
        items = []
        while i < len(self.lines) and self.lines[i][0] == indent and (
                self.lines[i][1] == "-" or self.lines[i][1].startswith("- ")):
            rest = self.lines[i][1][1:].lstrip(" ")
            if not rest:
                value, i = self.child(i + 1, indent, allow_same=False)
            else:  # the item's content continues as a block two columns in
                offset = indent + (len(self.lines[i][1]) - len(rest))
                self.lines[i] = (offset, rest)
                value, i = self.block(i, offset)
            items.append(value)
        return items, i

    def mapping(self, i: int, indent: int):
        result: dict = {}
        while i < len(self.lines) and self.lines[i][0] == indent:
            m = _KEY.match(self.lines[i][1])
            if not m:
                raise ValueError(f"line {self.rows[i] + 1}: expected a key")
            key = m.group(1) if m.group(1) is not None else (
                m.group(2).replace("''", "'") if m.group(2) is not None else m.group(3).strip())
            rest = self.lines[i][1][m.end():].strip()
            value, i = self.value(rest, i, indent)
            if key == "<<":
                for merged in (value if isinstance(value, list) else [value]):
                    if isinstance(merged, dict):
                        result.update({k: v for k, v in merged.items() if k not in result})
                continue
            result[key] = value
        return result, i

    def value(self, rest: str, i: int, indent: int):
        """The value after `key:` on line i (rest: what follows on that line)."""
        rest = strip_comment(rest)
        anchor = None
        if rest.startswith("!"):
            rest = rest.split(" ", 1)[1].lstrip() if " " in rest else ""
        if rest.startswith("&"):
            anchor, _, rest = rest[1:].partition(" ")
            rest = rest.strip()
        if not rest:
            value, i = self.child(i + 1, indent, allow_same=True)
        elif rest[0] in "|>":
            value, i = self.block_scalar(rest, i, indent)
        else:
            value, i = self.inline(rest, i + 1, indent)
        if anchor:
            self.anchors[anchor] = value
        return value, i

    def child(self, i: int, indent: int, allow_same: bool):
        """The nested block after a `key:` or `-` that ends its line (None when nothing is nested)."""
        if i < len(self.lines):
            child_indent, content = self.lines[i]
            if child_indent > indent:
                return self.block(i, child_indent)
            if allow_same and child_indent == indent and (content == "-" or content.startswith("- ")):
                return self.sequence(i, indent)
        return None, i

    def inline(self, rest: str, i: int, indent: int):
        """A scalar, flow collection or alias on one line, continued on more indented lines."""
        if not rest:
            return None, i
        while (rest[0] in "[{" and not balanced(rest)) or (
                rest[0] not in "[{\"'*" and i < len(self.lines) and self.lines[i][0] > indent
                and not _KEY.match(self.lines[i][1])):
            if i >= len(self.lines) or self.lines[i][0] <= indent:
                raise ValueError(f"line {self.rows[i - 1] + 1}: a flow collection is not closed")
            rest += " " + strip_comment(self.lines[i][1])
            i += 1
        if rest.startswith("*"):
            name = rest[1:].strip()
            if name not in self.anchors:
                raise ValueError(f"line {self.rows[i - 1] + 1}: unknown alias *{name}")
            return self.anchors[name], i
        if rest[0] in "\"'" and not quoted_closed(rest):
            return self.quoted_lines(rest, i, indent)
        return Flow(rest).parse(), i

    def quoted_lines(self, rest: str, i: int, indent: int):
        while i < len(self.lines) and not quoted_closed(rest):
            rest += " " + self.lines[i][1]
            i += 1
        return Flow(rest).parse(), i

    def scalar_lines(self, i: int, indent: int):
        return self.inline(strip_comment(self.lines[i][1]), i + 1, indent - 1)

    def block_scalar(self, header: str, i: int, indent: int):
        """`|` keeps newlines, `>` folds them into spaces; `-` strips the last one, `+` keeps all."""
        style, chomp = header[0], ("-" if "-" in header[1:] else "+" if "+" in header[1:] else "")
        row, body = self.rows[i] + 1, []
        while row < len(self.raw) and (not self.raw[row].strip() or
                                       len(self.raw[row]) - len(self.raw[row].lstrip(" ")) > indent):
            body.append(self.raw[row])
            row += 1
        j = i + 1
        while j < len(self.lines) and self.rows[j] < row:
            j += 1
        width = min((len(line) - len(line.lstrip(" ")) for line in body if line.strip()), default=0)
        texts = [line[width:] for line in body]
        while texts and not texts[-1].strip():
            texts.pop()
        trailing = len(body) - len(texts)
        text = "\n".join(texts) if style == "|" else _fold(texts)
        if not text or chomp == "-":
            return text, j
        return text + "\n" * (1 + trailing if chomp == "+" else 1), j


def _fold(lines: list[str]) -> str:
    """A folded scalar's lines: a break between two lines of text is a space, each empty
    line a newline; lines indented further keep their breaks."""
    text, breaks, previous = lines[0] if lines else "", 0, lines[0] if lines else ""
    for line in lines[1:]:
        if not line.strip() and not line.startswith(" "):
            breaks += 1
            continue
        plain = not line.startswith(" ") and not previous.startswith(" ")
        text += (" " if plain and not breaks else "\n" * (breaks if plain else breaks + 1)) + line
        breaks, previous = 0, line
    return text
