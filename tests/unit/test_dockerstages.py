"""dkenv/dockerstages.py: a Dockerfile's stages, their images through ARG defaults and stage
names, the stage that runs; hostile files answer "unknown", never crash."""
from __future__ import annotations

import os
import random

import pytest

from dkenv import dockerstages


def images(text: str) -> list[tuple[str, str]]:
    return [(s.image, s.name) for s in dockerstages.parse(text)]


def test_stages_names_flags_and_the_final_one():
    stages = dockerstages.parse("FROM --platform=$BUILDPLATFORM node:20 AS Assets\nRUN npm ci\n"
                                "from python:3.12-slim as app\nCOPY --from=assets /dist /app\n")
    assert [(s.written, s.image, s.name) for s in stages] == [
        ("node:20", "node:20", "assets"), ("python:3.12-slim", "python:3.12-slim", "app")]
    assert stages[1].instructions == ("COPY --from=assets /dist /app",)
    assert dockerstages.running(stages).name == "app"
    assert dockerstages.running(stages, "Assets").image == "node:20"  # a build target, named as written
    assert dockerstages.running(stages, "missing") is None


def test_a_stage_from_an_earlier_stage_runs_its_image():
    assert images("FROM postgres:16 AS base\nFROM base AS seeded\nFROM seeded\n") == [
        ("postgres:16", "base"), ("postgres:16", "seeded"), ("postgres:16", "")]
    # a name is a stage only once defined: before, it is an image of that name
    assert images("FROM later\nFROM python:3.12 AS later\n") == [("later", ""), ("python:3.12", "later")]


def test_the_final_stages_lineage_follows_stage_names_back_not_images():
    stages = dockerstages.parse("FROM python:3.12 AS Base\nENV A=1\nFROM node:20 AS assets\n"
                                "FROM base AS app\nENV B=2\nFROM app\nCMD run\n")
    assert [s.written for s in dockerstages.lineage(stages)] == ["python:3.12", "base", "app"]
    # a name not yet defined is an image; no stages, no lineage
    later = dockerstages.parse("FROM later\nFROM python:3.12 AS later\n")
    assert [s.written for s in dockerstages.lineage(later)] == ["python:3.12"]
    assert dockerstages.lineage([]) == []


def test_arg_defaults_before_the_first_from_are_expanded():
    text = ('ARG PY=3.12\nARG VARIANT="slim" REGISTRY\nARG BASE=python:${PY}-$VARIANT\n'
            "FROM ${BASE} AS a\nFROM python:${MISSING:-3.11}\nFROM python:${PY:+3.10}\nFROM $REGISTRY/python:3.12\n"
            "ARG LATE=3.9\nFROM python:${LATE}\n")
    assert [s.image for s in dockerstages.parse(text)] == [
        "python:3.12-slim", "python:3.11", "python:3.10",
        "",  # REGISTRY has no default: a build argument sets it, unknown
        ""]  # an ARG inside a stage is not seen by FROM: python: is no image
    assert dockerstages.parse(text)[0].written == "${BASE}"


@pytest.mark.parametrize("word", ["python:${PY#3.}", "python:${PY:?unset}", "python:${A:-${B}}", "py$", "${"])
def test_expansions_it_does_not_know_are_unknown(word):
    assert images(f"ARG PY=3.12\nFROM {word}\n") == [("", "")]


def test_continuations_comments_directives_and_heredocs():
    text = ("# syntax=docker/dockerfile:1\n# escape=`\n\nFROM python:3.12 `\n  # a comment inside\n"
            "  AS app\nRUN echo a `\n\n    b\nRUN <<EOF\nFROM evil:1\n# not a comment\nEOF\n"
            "COPY <<-END /docker-entrypoint-initdb.d/x.sql\n\tFROM stage\n\tEND\nRUN echo \\\n")
    stages = dockerstages.parse(text)
    assert [(s.image, s.name) for s in stages] == [("python:3.12", "app")]
    assert stages[0].instructions == ("RUN echo a     b", "RUN <<EOF\nFROM evil:1\n# not a comment",
                                      "COPY <<-END /docker-entrypoint-initdb.d/x.sql\n\tFROM stage", "RUN echo \\")
    # without its delimiter a << is no heredoc: the lines after it stay instructions
    assert images("FROM a:1\nRUN cat <<NOPE\nFROM b:2\n") == [("a:1", ""), ("b:2", "")]


@pytest.mark.parametrize("text", [
    "", "RUN echo no FROM\n", "# only a comment\n", "FROM\n", "FROM --platform=linux/amd64\n",
    "\x00\x01\xff" * 1000, "FROM \x00garbage\x7f\n", "FROM Python:3.12\n", "FROM python:3.12 AS\n",
    "ARG 'unclosed\nFROM python:3.12\n", "FROM a b c d\n", "FROM ${\n", "\\\n" * 1000,
])
def test_hostile_texts_give_no_image_and_no_crash(text):
    for stage in dockerstages.parse(text):
        assert stage.image in ("", "python:3.12", "a")
    assert all(s.image != "Python:3.12" for s in dockerstages.parse(text))  # not a reference: unknown


def test_scratch_is_an_image_and_not_python():
    stages = dockerstages.parse("FROM python:3.12 AS build\nFROM scratch\nCOPY --from=build /app /app\n")
    assert dockerstages.running(stages).image == "scratch"
    assert dockerstages.python_minor("scratch") == ""


@pytest.mark.parametrize("image, minor", [
    ("python:3.12", "3.12"), ("python:3.11.4-slim-bookworm", "3.11"), ("docker.io/library/python:3.10", "3.10"),
    ("library/python:3.9-alpine", "3.9"), ("python:3", ""), ("python:3.13-slim-trixie", "3.13"), ("mypython:3.12", ""),
    ("ghcr.io/x/python:3.12", ""), ("python:latest", ""), ("", "")])
def test_python_minor(image, minor):
    assert dockerstages.python_minor(image) == minor


def test_read_a_file_binary_garbage_a_missing_one_and_a_huge_one(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM python:3.12 AS build\n\xff\xfe\x00\nFROM build\n")
    assert [s.image for s in dockerstages.read(path)] == ["python:3.12", "python:3.12"]
    path.write_bytes(random.Random(7).randbytes(200_000))
    assert dockerstages.read(path) == []
    assert dockerstages.read(tmp_path / "missing") == []
    assert dockerstages.read(tmp_path) == []  # a folder
    os.mkfifo(tmp_path / "pipe")
    assert dockerstages.read(tmp_path / "pipe") == []  # not opened: it would block
    path.write_text("FROM python:3.12\n" + "RUN true\n" * (dockerstages.READ_LIMIT // 9 + 1))
    assert dockerstages.read(path) == []  # over the limit: its final stage cannot be known from a part


def test_a_hostile_file_of_heredoc_markers_stays_quick():
    """Every `<<X` without its delimiter: each looked up, not scanned for (linear, not quadratic)."""
    text = "FROM a:1\n" + "RUN <<X\n" * 100_000
    stages = dockerstages.parse(text)
    assert len(stages[0].instructions) == 100_000
