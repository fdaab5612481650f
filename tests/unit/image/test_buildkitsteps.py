"""image/buildkitsteps.py: BuildKit's plain progress read as the classic builder's, in order."""
from __future__ import annotations

from dkenv.image import buildsteps
from dkenv.image.buildkitsteps import Translator

DOCKERFILE = """\
FROM python:3.11-slim-bookworm
USER root
# the host user
RUN useradd dev
ENV A=1
WORKDIR /tmp/b
COPY manifests/ /tmp/b/
# dependencies (pip, uv pip, cached)
RUN --mount=type=cache,id=dkenv-uv-1000,target=/c uv pip install -r requirements.txt
LABEL a=b
"""

BUILDKIT = """\
#1 [internal] load build definition from Dockerfile.buildkit
#1 DONE 0.0s
#4 [stage-0 1/5] FROM docker.io/library/python:3.11-slim-bookworm
#3 [stage-0 3/5] WORKDIR /tmp/b
#3 CACHED
#5 [stage-0 2/5] RUN useradd dev
#5 CACHED
#4 DONE 0.0s
#2 [internal] load build context
#2 transferring context: 120B done
#6 [stage-0 4/5] COPY manifests/ /tmp/b/
#6 DONE 0.1s
#7 [stage-0 5/5] RUN --mount=type=cache,id=dkenv-uv-1000,target=/c uv pip install -r requirements.txt
#7 sha256:10723d047a956df6d763ad14f2ef98a4322fcb0cf258d8d8e38268f66c80f76e
#7 0.680 Resolved 3 packages in 96ms
#7 0.715 Installed 3 packages in 17ms
#7 DONE 1.2s
#8 exporting to image
#8 DONE 0.1s
"""


def classic(text: str) -> list[str]:
    translator = Translator(buildsteps.parse(DOCKERFILE))
    lines = [out for line in text.splitlines() for out in translator.feed(line)]
    return lines + translator.close()


def test_steps_come_in_the_dockerfiles_order_with_docker_classic_numbers():
    assert classic(BUILDKIT) == [
        "Step 1/8 : FROM python:3.11-slim-bookworm",
        "Step 3/8 : RUN useradd dev", " ---> Using cache",
        "Step 5/8 : WORKDIR /tmp/b", " ---> Using cache",
        "Step 6/8 : COPY manifests/ /tmp/b/",
        "Step 7/8 : RUN --mount=type=cache,id=dkenv-uv-1000,target=/c uv pip install -r requirements.txt",
        "Resolved 3 packages in 96ms", "Installed 3 packages in 17ms"]


def test_the_tracker_says_each_shown_step_once_cached_ones_so():
    said: list[str] = []
    tracker = buildsteps.Tracker(buildsteps.parse(DOCKERFILE), said.append)
    for line in classic(BUILDKIT):
        tracker.feed(line)
    tracker.flush()
    assert said == ["dkenv: [1/3] base image python:3.11-slim-bookworm", "dkenv: [2/3] the host user (cached)",
                    "dkenv: [3/3] dependencies (pip, uv pip, cached)"]
    assert tracker.cached == 1 and list(tracker.output)[-1] == "Installed 3 packages in 17ms"


def test_a_failure_keeps_the_running_steps_output_and_the_error():
    failing = BUILDKIT.split("#7 0.715")[0] + (
        "#7 0.9 error: No solution found when resolving dependencies\n"
        "#7 ERROR: executor failed running [/bin/sh -c uv pip install]: exit code: 1\n"
        "------\n > [stage-0 5/5] RUN uv pip install:\n------\n"
        "executor failed running [/bin/sh -c uv pip install]: exit code: 1\n")
    lines = classic(failing)
    assert "error: No solution found when resolving dependencies" in lines
    assert lines[-1] == "executor failed running [/bin/sh -c uv pip install]: exit code: 1"
