"""buildsteps: labels from the Dockerfile, and the progress lines of a real build stream."""
from __future__ import annotations

from pathlib import Path

from dkenv.image import buildsteps
from dkenv.image.buildsteps import Tracker, comment_label, label, parse

DATA = Path(__file__).resolve().parents[2] / "data"
BUILDLOGS = DATA / "buildlogs"


def shown(dockerfile: str) -> list[tuple[int, str]]:
    return [(s.number, s.label) for s in parse(dockerfile) if s.shown]


def test_every_work_step_of_the_generated_dockerfiles_has_a_label_from_its_comment():
    labels = shown((DATA / "dockerfiles" / "uv-app.Dockerfile").read_text())
    assert [text for _, text in labels] == [
        "base image ubuntu:24.04", "system packages (image.apt)", "the host user",
        "Python 3.12 from the distribution (apt)", "the project's virtualenv /opt/venv",
        "the installer's tools (uv)", "dependencies (uv)"]
    for path in (DATA / "dockerfiles").glob("*.Dockerfile"):
        for step in parse(path.read_text()):
            if step.shown and step.keyword == "RUN":
                assert not step.label.startswith("RUN "), (path.name, step.label)


def test_steps_are_numbered_as_docker_counts_instructions():
    steps = parse("# a\nFROM x\nENV A=1 \\\n    B=2\n# b, more\nRUN one \\\n && two\nUSER 1\nRUN three\n")
    assert [(s.number, s.keyword, s.shown) for s in steps] == [
        (1, "FROM", 1), (2, "ENV", 0), (3, "RUN", 2), (4, "USER", 0), (5, "RUN", 3)]
    assert steps[2].label == "b" and steps[2].text == "one && two"
    assert steps[4].label == "RUN three"  # the comment went to the RUN before it


def test_comments_inside_a_continuation_are_not_labels():
    steps = parse("FROM x\n# label\nRUN a \\\n# dropped by Docker\n && b\n")
    assert steps[1].label == "label" and steps[1].text == "a && b"


def test_labels():
    assert comment_label("the host user, so files written in the container belong to them") == "the host user"
    assert comment_label("the debugger ([debug] port): `dkenv debug` runs commands") == "the debugger ([debug] port)"
    assert comment_label("the host's extra CA certificates (a TLS-inspecting proxy, a corporate CA)") \
        == "the host's extra CA certificates"
    assert label("RUN", "set -eu;     sh /tmp/setup.sh") == "RUN sh /tmp/setup.sh"
    assert label("COPY", "--chown=1:1 manifests/ /tmp/b/") == "copying manifests/"
    assert len(label("RUN", "x" * 200)) == buildsteps.LABEL_MAX


def replay(name: str) -> tuple[Tracker, list[str]]:
    said: list[str] = []
    tracker = Tracker(parse((BUILDLOGS / "stream-pip.Dockerfile").read_text()), said.append)
    for line in (BUILDLOGS / name).read_text().splitlines():
        tracker.feed(line)
    tracker.flush()
    return tracker, said


def test_a_build_says_one_line_per_work_step():
    tracker, said = replay("stream-pip-nocache.txt")
    assert said == [
        "dkenv: [1/5] base image python:3.11-slim-bookworm",
        "dkenv: [2/5] the host's extra CA certificates",
        "dkenv: [3/5] Python 3.11 from the base image",
        "dkenv: [4/5] the project's virtualenv /opt/venv",
        "dkenv: [5/5] dependencies (pip)",
    ]
    assert tracker.cached == 0


def test_cached_steps_say_so_and_dockers_label_steps_are_not_shown():
    tracker, said = replay("stream-pip-cached.txt")
    assert said[0] == "dkenv: [1/5] base image python:3.11-slim-bookworm"
    assert said[1:] == [line + " (cached)" for line in [
        "dkenv: [2/5] the host's extra CA certificates", "dkenv: [3/5] Python 3.11 from the base image",
        "dkenv: [4/5] the project's virtualenv /opt/venv", "dkenv: [5/5] dependencies (pip)"]]
    assert tracker.cached == 4
    assert tracker.current.keyword == "LABEL"  # Docker's own steps for the build labels


def test_the_running_steps_output_is_kept_without_dockers_lines():
    tracker = Tracker(parse("FROM x\n# deps\nRUN pip install y\n"), lambda line: None)
    for line in ["Step 1/2 : FROM x", " ---> 1234", "Step 2/2 : RUN pip install y", " ---> Running in 99",
                 "Collecting y", "ERROR: nope", "Removing intermediate container 99"]:
        tracker.feed(line)
    assert list(tracker.output) == ["Collecting y", "ERROR: nope"]
    assert tracker.where() == "step 2/2, deps"


def test_a_stream_that_does_not_match_the_dockerfile_is_numbered_as_docker_does():
    said: list[str] = []
    tracker = Tracker(parse("FROM x\n"), said.append)
    tracker.feed("Step 1/3 : FROM x")
    tracker.feed("Step 2/3 : RUN make")
    tracker.feed(" ---> Running in 1")
    assert said == ["dkenv: [1/1] base image x", "dkenv: [2/3] RUN make"]
    assert tracker.where() == "step 2/3, RUN make"


def test_before_any_step():
    assert Tracker([], print).where() == "the start"


def test_podmans_steps_and_cache_hits_are_read_as_dockers():
    said: list[str] = []
    tracker = Tracker(parse("FROM x\n# the tools\nRUN make\n# deps\nRUN pip install y\n"), said.append)
    for line in ["STEP 1/3: FROM x", "STEP 2/3: RUN make", "--> Using cache 5d3a553dbad1", "--> 5d3a553dbad",
                 "STEP 3/3: RUN pip install y", "Collecting y", "COMMIT dkenv/demo:1", "--> b2b5138352b",
                 "Successfully tagged dkenv/demo:1"]:
        tracker.feed(line)
    tracker.flush()
    assert said == ["dkenv: [1/3] base image x", "dkenv: [2/3] the tools (cached)", "dkenv: [3/3] deps"]
    assert tracker.cached == 1 and list(tracker.output) == ["Collecting y"]
