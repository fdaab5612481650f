"""dkenv/yamlread.py: the YAML subset compose files use, read as PyYAML reads it."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from dkenv import yamlread

yaml = pytest.importorskip("yaml")  # a test extra: the reference

DOCUMENTS = {
    "compose": """
        # a comment
        version: '3.8'
        x-env: &env
          DEBUG: "1"
          URL: postgresql://u:p@db/x   # trailing comment
        services:
          web:
            <<: *env
            build:
              context: .
              dockerfile: docker/Dockerfile
            command: ["uvicorn", "app.main:app", '--host', "0.0.0.0"]
            environment:
              - FLASK_APP=app.py
              - "QUOTED=a # not a comment"
            ports:
            - "8000:8000"
            depends_on: [db, redis]
            healthcheck: {test: "curl -f http://localhost", interval: 5s}
          db:
            image: postgres:16
        """,
    "block_scalars": """
        literal: |
          line one
            indented
          line three

        folded: >-
          folded one
          folded two

          new paragraph
        keep: |+
          kept

        next: value
        """,
    "sequences": """
        - plain
        - key: value
          other: 2
        - - nested
          - list
        -
          late: item
        - &anchor anchored
        - *anchor
        """,
    "quoting": """
        single: 'it''s'
        double: "tab\\there \\"quoted\\""
        colon: a:b
        url: http://x.example/a#b
        multi: this plain scalar
          continues here
        empty:
        "quoted key": 1
        dashed-key: -1
        """,
}


def _strings(value):
    """PyYAML's values with every scalar a string, as yamlread gives them."""
    if isinstance(value, dict):
        return {str(k): _strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v) for v in value]
    if isinstance(value, bool):
        return str(value).lower()  # written true/false in these files
    return None if value is None else str(value)


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_reads_as_pyyaml_does(name):
    text = textwrap.dedent(DOCUMENTS[name])
    assert yamlread.loads(text) == _strings(yaml.safe_load(text))


CORPUS = Path(os.environ.get("DKENV_CORPUS") or Path(__file__).resolve().parents[3] / "shared" / "corpus")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus of real projects is not here")
def test_the_corpus_compose_files_read_as_pyyaml_reads_them():
    files = sorted(CORPUS.glob("*/*compose*.y*ml"))
    assert files
    for path in files:
        text = path.read_text()
        assert yamlread.loads(text) == _strings(yaml.safe_load(text)), path


def test_empty_and_only_the_first_document():
    assert yamlread.loads("# nothing\n") is None
    assert yamlread.loads("a: 1\n---\nb: 2\n") == {"a": "1"}


@pytest.mark.parametrize("text", ["a: [1, 2\n", "a: *missing\n", "a: 1\n  b: 2\n", "a: 'open\n", "a: {[x]: y}\n"])
def test_outside_the_subset_is_a_value_error(text):
    with pytest.raises(ValueError):
        yamlread.loads(text)
