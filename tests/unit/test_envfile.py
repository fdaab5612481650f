"""dkenv/envfile.py: KEY=VALUE files."""
from __future__ import annotations

import pytest

from dkenv import envfile
from dkenv.errors import ConfigError


def test_basic_lines():
    assert envfile.parse("A=1\nB=two\n") == {"A": "1", "B": "two"}


def test_blank_lines_and_comments_are_skipped():
    text = "\n# a comment\n   \n  # indented comment\nA=1\n"
    assert envfile.parse(text) == {"A": "1"}


def test_export_prefix_and_spaces_around_equals():
    assert envfile.parse("export A=1\n  B = 2  \nexport   C=x\n") == {"A": "1", "B": "2", "C": "x"}


def test_empty_value():
    assert envfile.parse("A=\nB=''\nC=\"\"\n") == {"A": "", "B": "", "C": ""}


def test_quotes_are_removed():
    assert envfile.parse("A='single'\nB=\"double\"\n") == {"A": "single", "B": "double"}


def test_double_quotes_expand_newline_and_escaped_quote():
    assert envfile.parse('A="line1\\nline2"\nB="say \\"hi\\""\n') == {"A": "line1\nline2", "B": 'say "hi"'}


def test_single_quotes_are_literal():
    assert envfile.parse("A='no\\nexpansion'\n") == {"A": "no\\nexpansion"}


def test_inline_comment_on_unquoted_value():
    assert envfile.parse("A=value # comment\nB=value\t# tab comment\n") == {"A": "value", "B": "value"}


def test_hash_without_space_is_part_of_the_value():
    assert envfile.parse("A=abc#def\nURL=http://x/#frag\n") == {"A": "abc#def", "URL": "http://x/#frag"}


def test_hash_inside_quotes_is_kept():
    assert envfile.parse('A="v # not a comment"\nB=\'x # y\'\n') == {"A": "v # not a comment", "B": "x # y"}


def test_equals_in_value():
    assert envfile.parse("DATABASE_URL=postgres://u:p@h/db?x=1\n") == {"DATABASE_URL": "postgres://u:p@h/db?x=1"}


def test_mismatched_quotes_are_kept():
    assert envfile.parse("A=\"abc'\nB=\"\n") == {"A": "\"abc'", "B": '"'}


def test_later_lines_win():
    assert envfile.parse("A=1\nA=2\n") == {"A": "2"}


def test_crlf_lines():
    assert envfile.parse("A=1\r\nB=2\r\n") == {"A": "1", "B": "2"}


def test_comment_after_quoted_value():
    assert envfile.parse('A="x" # comment\nB=\'y\' # c\n') == {"A": "x", "B": "y"}


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
