"""dkenv/yamltext.py: what it writes reads back as the same data (PyYAML, YAML 1.1)."""
from __future__ import annotations

import pytest
import yaml

from dkenv import yamltext

CASES = [
    {"on": {"push": {"branches": ["main"]}}, "yes": 1, "no": False, "null": None},
    {"steps": [{"name": "x y", "run": "set -e\necho \"$X\"\n  indented\n"}, {"uses": "a@v4", "with": {"k": 1}}]},
    {"empty": {}, "none": [], "nested": [[1, 2], [], {}], "colon": "a: b", "hash": "# c", "star": "*x"},
    {"no end": "one\ntwo", "tab": "a\tb\nc", "trailing space": "a \nb", "two ends": "a\n\n", "lead": " a\nb"},
    {"unicode": "café ✓", "quote": "it's \"q\"", "backslash": "C:\\x", "float": 1.5, "int": -3, "true": True},
    ["top", {"list": "ok"}],
]


@pytest.mark.parametrize("value", CASES)
def test_round_trip(value):
    assert yaml.safe_load(yamltext.dump(value)) == value


def test_multi_line_strings_are_literal_blocks():
    text = yamltext.dump({"run": "a\nb\n", "keep": "a\nb"})
    assert text == "run: |\n  a\n  b\nkeep: |-\n  a\n  b\n"


def test_boolean_like_keys_are_quoted():
    assert yamltext.dump({"on": 1, "y": 2, "name": 3}) == '"on": 1\n"y": 2\nname: 3\n'
