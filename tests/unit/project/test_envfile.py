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
    pytest.param("A=\"abc'\nB=\"\n", {"A": "abc'\nB="}, id="a_quoted_value_spans_lines_to_its_closing_quote"),
    pytest.param("A=\"x\"y\nB='z'w\n", {"A": '"x"y', "B": "'z'w"}, id="text_after_the_quote_keeps_it_unquoted"),
    pytest.param("A=1\nA=2\n", {"A": "2"}, id="later_lines_win"),
    pytest.param("A=1\r\nB=2\r\n", {"A": "1", "B": "2"}, id="crlf_lines"),
    pytest.param('A="x" # comment\nB=\'y\' # c\n', {"A": "x", "B": "y"}, id="comment_after_quoted_value"),
])
def test_parse(text, expected):
    assert envfile.parse(text, environ={}) == expected


HOST = {"HOME": "/home/me", "EMPTY": "", "SECRET": "from-host"}


@pytest.mark.parametrize("text, expected", [
    pytest.param("USER_=shop\nURL=postgresql://${USER_}:$USER_@db/x\n", "postgresql://shop:shop@db/x",
                 id="braced_and_bare_names_from_earlier_lines"),
    pytest.param("URL=${HOME}/data\n", "/home/me/data", id="a_name_the_file_does_not_set_comes_from_the_host"),
    pytest.param("HOME=/srv\nURL=${HOME}/data\n", "/srv/data", id="the_files_own_value_wins_over_the_host"),
    pytest.param("URL=x${NOWHERE}y\n", "xy", id="a_name_set_nowhere_is_empty"),
    pytest.param("URL=${NOWHERE:-d}|${EMPTY:-d}|${EMPTY-d}|${NOWHERE-d}\n", "d|d||d",
                 id="defaults_colon_counts_empty_as_unset"),
    pytest.param("A=1\nURL=${NOWHERE:-${A}x}\n", "1x", id="a_default_is_interpolated"),
    pytest.param("A=1\nURL=${A:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${NOWHERE+alt}\n", "alt||alt|",
                 id="alternative_values"),
    pytest.param("A=1\nURL=${A:?needed}\n", "1", id="a_required_name_that_is_set"),
    pytest.param("A=1\nURL='$A ${A} \\'q'\n", "$A ${A} 'q", id="single_quotes_are_literal"),
    pytest.param('A=1\nURL="$A\\t\\$A \\\\ \\" $$A \\x"\n', '1\t$A \\ " $A \\x',
                 id="double_quotes_escapes_and_interpolation"),
    pytest.param("A=1\nURL=a\\tb$A\n", "a\\tb1", id="unquoted_backslashes_are_kept"),
    pytest.param("A=1\nURL=\"line $A\nnext\" # c\n", "line 1\nnext", id="a_multiline_value_is_interpolated"),
    pytest.param("A=1\nexport URL=$A$ $5 x$\n", "1$ $5 x$", id="a_dollar_before_no_name_is_kept"),
])
def test_interpolation(text, expected):
    assert envfile.parse(text, environ=HOST)["URL"] == expected


def test_only_the_names_the_file_refers_to_are_read_from_the_host():
    values = envfile.parse("A=${HOME}\nB=2\n", environ=HOST)
    assert values == {"A": "/home/me", "B": "2"}  # no SECRET, no EMPTY


@pytest.mark.parametrize("line, message", [
    ("URL=${NOWHERE:?set it in your shell}", "/p/.env:3: NOWHERE: set it in your shell"),
    ("URL=${EMPTY:?}", "/p/.env:3: EMPTY: is not set or empty"),
    ("URL=${NOWHERE?}", "/p/.env:3: NOWHERE: is not set"),
    ("URL=${GOOD", "/p/.env:3: ${GOOD: no closing }"),
    ("URL=${GOOD X}", "/p/.env:3: ${GOOD X}: not a variable reference"),
    ('URL="open', "/p/.env:3: URL: the \" quote is never closed"),
    ("URL='x\nB=1", "/p/.env:3: URL: the ' quote is never closed"),
    ('URL="a\nb"c', "/p/.env:3: URL: text after the closing quote"),
])
def test_interpolation_and_quote_errors_name_the_file_and_line(line, message):
    with pytest.raises(ConfigError) as info:
        envfile.parse(f"# header\nGOOD=1\n{line}\n", source="/p/.env", environ=HOST)
    assert info.value.exit_code == 2
    assert str(info.value).startswith(f"dkenv: {message}")


def test_lines_are_counted_across_multiline_values():
    with pytest.raises(ConfigError, match=r"^dkenv: /p/.env:2: NOPE: x$"):  # where the value starts
        envfile.parse('A=1\nB="2\n${NOPE:?x}"\n', source="/p/.env", environ={})
    with pytest.raises(ConfigError, match=r"^dkenv: /p/.env:4: not a KEY=VALUE line"):
        envfile.parse('A="1\n2"\nB=3\noops\n', source="/p/.env", environ={})


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
