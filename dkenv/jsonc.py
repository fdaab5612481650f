"""JSON with comments (VS Code's settings.json, launch.json), read with the position of every
value and edited by inserting or replacing text at those positions: the user's comments,
order, formatting and keys stay byte for byte.

`parse` accepts `//` and `/* */` comments and trailing commas, as VS Code does; anything
else that is not JSON is a JsoncError (the caller then shows what to add by hand).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}


class JsoncError(ValueError):
    """Not JSON with comments; `line` is 1-based."""

    def __init__(self, message: str, line: int):
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass
class Node:
    kind: str  # object, array, string, number, literal
    start: int  # offset of the first character
    end: int  # offset after the last character
    value: Any = None  # the plain Python value
    members: list[tuple[str, Node]] = field(default_factory=list)  # object: (key, value) in order
    keys: list[Node] = field(default_factory=list)  # object: the key strings, in the same order
    items: list[Node] = field(default_factory=list)  # array

    def member(self, key: str) -> Node | None:
        """The value of `key` (the last one, as VS Code reads a key given twice)."""
        found = [node for name, node in self.members if name == key]
        return found[-1] if found else None


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def fail(self, message: str) -> JsoncError:
        return JsoncError(message, self.text.count("\n", 0, self.pos) + 1)

    def skip(self) -> None:
        """Whitespace and comments."""
        text = self.text
        while self.pos < len(text):
            if text[self.pos] in " \t\r\n\ufeff":
                self.pos += 1
            elif text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                self.pos = len(text) if end == -1 else end
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end == -1:
                    raise self.fail("unterminated /* comment")
                self.pos = end + 2
            else:
                return

    def value(self) -> Node:
        self.skip()
        if self.pos >= len(self.text):
            raise self.fail("a value is missing")
        char = self.text[self.pos]
        if char == "{":
            return self.container("object", "}")
        if char == "[":
            return self.container("array", "]")
        if char == '"':
            return self.string()
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return Node("literal", self.pos - len(word), self.pos, literal)
        match = _NUMBER.match(self.text, self.pos)
        if match:
            self.pos = match.end()
            return Node("number", match.start(), match.end(), json.loads(match.group()))
        raise self.fail(f"unexpected {char!r}")

    def string(self) -> Node:
        start = self.pos
        try:
            value, end = json.decoder.scanstring(self.text, start + 1)
        except json.JSONDecodeError as e:
            raise self.fail(e.msg) from None
        self.pos = end
        return Node("string", start, end, value)

    def container(self, kind: str, close: str) -> Node:
        node = Node(kind, self.pos, self.pos)
        self.pos += 1
        while True:
            self.skip()
            if self.text.startswith(close, self.pos):
                break
            if kind == "object":
                if not self.text.startswith('"', self.pos):
                    raise self.fail("a key in double quotes was expected")
                key = self.string()
                node.keys.append(key)
                self.skip()
                if not self.text.startswith(":", self.pos):
                    raise self.fail("':' was expected")
                self.pos += 1
                node.members.append((key.value, self.value()))
            else:
                node.items.append(self.value())
            self.skip()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif not self.text.startswith(close, self.pos):
                raise self.fail(f"',' or '{close}' was expected")
        self.pos += 1
        node.end = self.pos
        node.value = ({k: v.value for k, v in node.members} if kind == "object" else [i.value for i in node.items])
        return node


def parse(text: str) -> Node:
    """The document's top value, with positions; JsoncError when it is not JSONC."""
    parser = _Parser(text)
    node = parser.value()
    parser.skip()
    if parser.pos != len(text):
        raise parser.fail("text after the end of the document")
    return node


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _indent_of(text: str, pos: int) -> str:
    start = _line_start(text, pos)
    return text[start:start + len(text[start:]) - len(text[start:].lstrip(" \t"))]


def indent_unit(text: str) -> str:
    """The file's indentation step (a tab, or 2 or 4 spaces), from its first indented line."""
    match = re.search(r"^([ \t]+)\S", text, re.M)
    if not match:
        return "    "
    found = match.group(1)
    return "\t" if found.startswith("\t") else found


def dumps(value: Any, indent: str, unit: str) -> str:
    """`value` as JSON, indented for a place whose line starts with `indent`."""
    text = json.dumps(value, indent=unit, ensure_ascii=False)
    return text.replace("\n", "\n" + indent)


def insert(text: str, container: Node, entry: Any, key: str | None = None) -> str:
    """`text` with `entry` added last to the object (as `key`) or array `container`."""
    unit = indent_unit(text)
    children = [v for _, v in container.members] if container.kind == "object" else container.items
    close = container.end - 1
    if children:
        last = children[-1]
        parser = _Parser(text)
        parser.pos = last.end
        parser.skip()
        trailing = text[parser.pos] == ","
        anchor = parser.pos + 1 if trailing else last.end
        line_end = text.find("\n", anchor)
        rest = text[anchor:line_end if line_end != -1 else len(text)].strip()
        multiline = "\n" in text[container.start:close] and (not rest or rest.startswith("//"))
        indent = _indent_of(text, container.keys[-1].start if container.kind == "object" else last.start)
    else:
        indent = _indent_of(text, container.start) + unit
        multiline = True
    body = dumps(entry, indent, unit) if multiline else json.dumps(entry, ensure_ascii=False)
    item = f"{json.dumps(key, ensure_ascii=False)}: {body}" if key is not None else body
    if not children:
        inner = text[container.start + 1:close]
        tail = inner.rstrip(" \t") if inner.strip() else "\n" + _indent_of(text, container.start)
        return text[:container.start + 1] + "\n" + indent + item + tail + text[close:]
    comma = "," if trailing else ""
    head = text[:last.end] + ("" if trailing else ",")
    middle = text[last.end:anchor]
    if multiline:
        at = line_end if line_end != -1 else len(text)
        return head + middle + text[anchor:at] + "\n" + indent + item + comma + text[at:]
    return head + middle + " " + item + comma + text[anchor:]


def replace(text: str, node: Node, value: Any) -> str:
    """`text` with the value at `node` replaced by `value`."""
    indent = _indent_of(text, node.start)
    return text[:node.start] + dumps(value, indent, indent_unit(text)) + text[node.end:]
