"""One line of YAML (or several joined): a plain, single- or double-quoted scalar, or a
flow sequence or mapping (`[a, "b"]`, `{a: b}`), for yamlread.py. Every scalar is
a string."""
from __future__ import annotations

import re


def strip_comment(text: str) -> str:
    """`text` without a trailing ` # comment` outside quotes."""
    quote = None
    for n, c in enumerate(text):
        if quote:
            if c == quote:
                quote = None
        elif c in "\"'" and (n == 0 or text[n - 1] in " [{,:"):
            quote = c
        elif c == "#" and (n == 0 or text[n - 1] in " \t"):
            return text[:n].rstrip()
    return text


def balanced(text: str) -> bool:
    depth, quote = 0, None
    for c in text:
        if quote:
            quote = None if c == quote else quote
        elif c in "\"'":
            quote = c
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
    return depth <= 0


def quoted_closed(text: str) -> bool:
    try:
        Flow(text).parse()
    except ValueError:
        return False
    return True


class Flow:
    """A scalar or a flow collection on one (joined) line."""

    def __init__(self, text: str):
        self.text, self.pos = text.strip(), 0

    def parse(self):
        value = self.item(top=True)
        if self.pos < len(self.text):
            raise ValueError(f"unexpected {self.text[self.pos:]!r}")
        return value

    def item(self, top: bool = False):
        self.skip()
        c = self.text[self.pos:self.pos + 1]
        if c == "[":
            return self.collection("]")
        if c == "{":
            return self.collection("}")
        if c == '"':
            return self.double()
        if c == "'":
            return self.single()
        stop = "" if top else ",]}"
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in stop:
            if not top and self.text[self.pos] == ":" and self.text[self.pos + 1:self.pos + 2] in (" ", ""):
                break
            self.pos += 1
        return self.text[start:self.pos].strip()

    def collection(self, close: str):
        self.pos += 1
        items: list = []
        pairs: dict = {}
        while True:
            self.skip()
            if self.text[self.pos:self.pos + 1] == close:
                self.pos += 1
                return pairs if close == "}" else items
            key = self.item()
            if not isinstance(key, str):
                raise ValueError(f"a collection as a key in {self.text!r}")
            self.skip()
            if self.text[self.pos:self.pos + 1] == ":":
                self.pos += 1
                value = self.item()
                if close == "}":
                    pairs[key] = value
                else:
                    items.append({key: value})
            elif close == "}":
                pairs[key] = None
            else:
                items.append(key)
            self.skip()
            c = self.text[self.pos:self.pos + 1]
            if c == ",":
                self.pos += 1
            elif c != close:
                raise ValueError(f"expected , or {close} in {self.text!r}")

    def double(self) -> str:
        m = re.compile(r'"((?:[^"\\]|\\.)*)"').match(self.text, self.pos)
        if not m:
            raise ValueError(f"unterminated double-quoted string {self.text[self.pos:]!r}")
        self.pos = m.end()
        escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "/": "/", "0": "\0", " ": " "}
        return re.sub(r"\\(.)", lambda e: escapes.get(e.group(1), "\\" + e.group(1)), m.group(1))

    def single(self) -> str:
        m = re.compile(r"'((?:[^']|'')*)'").match(self.text, self.pos)
        if not m:
            raise ValueError(f"unterminated single-quoted string {self.text[self.pos:]!r}")
        self.pos = m.end()
        return m.group(1).replace("''", "'")

    def skip(self):
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1
