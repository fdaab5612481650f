"""dkenv/jsonc.py: JSON with comments read with positions, and edited in place."""
from __future__ import annotations

import json

import pytest

from dkenv import jsonc

SETTINGS = """\
// my settings
{
    "editor.fontSize": 14, // big
    /* a block
       comment, with "quotes" and a // inside */
    "python.analysis.extraPaths": [
        "src", // mine
    ],
    "url": "http://example.com/*not a comment*/",
}
"""


def strip(text: str) -> dict:
    """What VS Code reads: the plain value (checked against the module's own parse)."""
    return jsonc.parse(text).value


def test_parse_reads_comments_trailing_commas_and_positions():
    node = jsonc.parse(SETTINGS)
    assert node.value == {"editor.fontSize": 14, "python.analysis.extraPaths": ["src"],
                          "url": "http://example.com/*not a comment*/"}
    extra = node.member("python.analysis.extraPaths")
    assert SETTINGS[extra.start:extra.end].startswith("[") and SETTINGS[extra.end - 1] == "]"
    assert jsonc.parse('{"a": 1, "a": 2}').member("a").value == 2  # the last one, as VS Code reads it


@pytest.mark.parametrize("text, line", [
    ('{"a": 1 "b": 2}', 1), ('{\n"a": }', 2), ("{\n\n/* open", 3), ("{'a': 1}", 1), ('{"a": 1}\n{}', 2), ("", 1),
])
def test_what_is_not_jsonc_says_where(text, line):
    with pytest.raises(jsonc.JsoncError) as info:
        jsonc.parse(text)
    assert info.value.line == line


def test_insert_a_key_keeps_every_byte_of_the_rest():
    node = jsonc.parse(SETTINGS)
    out = jsonc.insert(SETTINGS, node, "/x/python", key="python.defaultInterpreterPath")
    assert out.replace('    "python.defaultInterpreterPath": "/x/python",\n', "") == SETTINGS
    assert strip(out)["python.defaultInterpreterPath"] == "/x/python"


def test_insert_into_a_list_after_its_trailing_comment():
    node = jsonc.parse(SETTINGS).member("python.analysis.extraPaths")
    out = jsonc.insert(SETTINGS, node, "${workspaceFolder}/.dkenv/site-packages")
    assert '        "src", // mine\n        "${workspaceFolder}/.dkenv/site-packages",\n    ],' in out
    assert strip(out)["python.analysis.extraPaths"] == ["src", "${workspaceFolder}/.dkenv/site-packages"]


@pytest.mark.parametrize("text, expected", [
    ("{}", '{\n    "k": [\n        1\n    ]\n}'),
    ("{\n}\n", '{\n    "k": [\n        1\n    ]\n}\n'),
    ('{"a": 1}', '{"a": 1, "k": [1]}'),
    ('{\n\t"a": 1\n}', '{\n\t"a": 1,\n\t"k": [\n\t\t1\n\t]\n}'),
    ('{\n  "a": 1 /* c */ }', '{\n  "a": 1, "k": [1] /* c */ }'),
    ("{\n  // only a comment\n}", '{\n    "k": [\n        1\n    ]\n  // only a comment\n}'),
])
def test_insert_follows_the_files_layout(text, expected):
    out = jsonc.insert(text, jsonc.parse(text), [1], key="k")
    assert out.replace(" ", "").replace("\t", "").replace("\n", "") == expected.replace(" ", "").replace(
        "\t", "").replace("\n", "")
    assert strip(out)["k"] == [1]
    if "\t" in text:
        assert out == expected


def test_replace_a_value():
    node = jsonc.parse(SETTINGS).member("editor.fontSize")
    out = jsonc.replace(SETTINGS, node, 12)
    assert out == SETTINGS.replace('"editor.fontSize": 14,', '"editor.fontSize": 12,')


def test_a_plain_json_file_stays_json():
    text = json.dumps({"a": [1, 2], "b": {"c": True}}, indent=2) + "\n"
    node = jsonc.parse(text)
    out = jsonc.insert(text, node.member("b"), False, key="d")
    assert json.loads(out) == {"a": [1, 2], "b": {"c": True, "d": False}}
    assert out.startswith('{\n  "a": [\n    1,')
