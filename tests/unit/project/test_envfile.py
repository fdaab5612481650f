"""dkenv/project/envfile.py: KEY=VALUE files."""
from __future__ import annotations

import pytest

from dkenv.errors import ConfigError
from dkenv.project import envfile


@pytest.mark.parametrize("text, expected", [
    pytest.param("A=1\nB=two\n", {"A": "1", "B": "two"}, id="basic_lines"),
    pytest.param("\n# a comment\n   \n  # indented comment\nA=1\n", {"A": "1"},
                 id="blank_lines_and_comments_are_skipped"),
    pytest.param("export A=1\n  B = 2  \nexport   C=x\n", {"A": "1", "B": "2", "C": "x"},
                 id="export_prefix_and_spaces_around_equals"),
    pytest.param("A=\nB=''\nC=\"\"\n", {"A": "", "B": "", "C": ""}, id="empty_value"),
    pytest.param("A='single'\nB=\"double\"\n", {"A": "single", "B": "double"}, id="quotes_are_removed"),
    pytest.param('A="line1\\nline2"\nB="say \\"hi\\""\n', {"A": "line1\nline2", "B": 'say "hi"'},
                 id="double_quotes_expand_newline_and_escaped_quote"),
    pytest.param("A='no\\nexpansion'\n", {"A": "no\\nexpansion"}, id="single_quotes_are_literal"),
    pytest.param("A=value # comment\nB=value\t# tab comment\n", {"A": "value", "B": "value"},
                 id="inline_comment_on_unquoted_value"),
    pytest.param("A=abc#def\nURL=http://x/#frag\n", {"A": "abc#def", "URL": "http://x/#frag"},
                 id="hash_without_space_is_part_of_the_value"),
    pytest.param('A="v # not a comment"\nB=\'x # y\'\n', {"A": "v # not a comment", "B": "x # y"},
                 id="hash_inside_quotes_is_kept"),
    pytest.param("DATABASE_URL=postgres://u:p@h/db?x=1\n", {"DATABASE_URL": "postgres://u:p@h/db?x=1"},
                 id="equals_in_value"),
    pytest.param("A=\"abc'\nB=\"\n", {"A": "\"abc'", "B": '"'}, id="mismatched_quotes_are_kept"),
    pytest.param("A=1\nA=2\n", {"A": "2"}, id="later_lines_win"),
    pytest.param("A=1\r\nB=2\r\n", {"A": "1", "B": "2"}, id="crlf_lines"),
    pytest.param('A="x" # comment\nB=\'y\' # c\n', {"A": "x", "B": "y"}, id="comment_after_quoted_value"),
])
def test_parse(text, expected):
    assert envfile.parse(text) == expected


@pytest.mark.parametrize("line", ["not a pair", "1A=x", "A-B=1", "=value", "export"])
def test_bad_line_names_source_and_line(line):
    with pytest.raises(ConfigError) as info:
        envfile.parse(f"# header\nGOOD=1\n{line}\n", source="/p/.env")
    assert info.value.exit_code == 2
    assert str(info.value).startswith("dkenv: /p/.env:3: not a KEY=VALUE line")
    assert repr(line.strip()) in str(info.value)


def test_load_uses_path_in_messages(tmp_path):
    path = tmp_path / ".env.dev"
    path.write_text("A=1\noops\n")
    with pytest.raises(ConfigError) as info:
        envfile.load(path)
    assert f"{path}:2:" in str(info.value)


def test_load(tmp_path):
    path = tmp_path / ".env"
    path.write_text("A=ünïcode\n", encoding="utf-8")
    assert envfile.load(path) == {"A": "ünïcode"}
