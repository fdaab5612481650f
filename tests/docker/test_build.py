"""Building for real: progress lines, .dkenv/build.log, and the failure summary of a pin
that cannot build on Python 3.11 (lazy-object-proxy 1.6.0: no cp311 wheel, and its sdist
needs pkg_resources, which current setuptools no longer ships)."""
from __future__ import annotations

import re

import pytest

from tests.conftest import make_project
from tests.docker.conftest import PIP_HEAD

CONFIG = PIP_HEAD + """\
"""


@pytest.fixture(scope="module")
def old_pin(docker_engine):
    return make_project("oldpin", {".dkenv.toml": CONFIG, "requirements.txt": "lazy-object-proxy==1.6.0\n"})


def test_an_old_pin_fails_with_a_summary_that_names_it(old_pin):
    result = old_pin.dkenv("up", check=False)
    assert result.returncode == 1
    err = result.stderr.decode()
    summary = err[err.index("dkenv: the build failed"):]
    assert re.match(r"dkenv: the build failed at step \d+/\d+, dependencies \(pip\): "
                    r"lazy-object-proxy==1\.6\.0 did not install: .*pkg_resources", summary)
    assert summary.rstrip().endswith("dkenv: full log: .dkenv/build.log")
    assert "Traceback" not in err and "Step " not in err and "--->" not in err
    log = (old_pin.root / ".dkenv" / "build.log").read_text()
    assert "Step 1/" in log and "Collecting lazy-object-proxy==1.6.0" in log
    assert "No module named 'pkg_resources'" in log and "\nERROR: The command" in log


def test_a_build_says_one_line_per_step_and_verbose_shows_dockers_output(old_pin):
    (old_pin.root / "requirements.txt").write_text("six==1.16.0\n")
    err = old_pin.dkenv("build").stderr.decode()
    steps = [line for line in err.splitlines() if re.match(r"dkenv: \[\d+/\d+\] ", line)]
    assert steps[0].startswith("dkenv: [1/") and "base image python:3.11-slim-bookworm" in steps[0]
    assert any(line.endswith("(cached)") for line in steps)  # the layers before the dependencies
    assert steps[-1].startswith(f"dkenv: [{len(steps)}/{len(steps)}] dependencies (pip)")
    assert re.search(r"^dkenv: built dkenv/\S+ in \d+", err, re.M)
    assert "Step " not in err
    assert "Successfully tagged dkenv/" in (old_pin.root / ".dkenv" / "build.log").read_text()
    verbose = old_pin.dkenv("-v", "build", "--no-cache").stderr.decode()
    assert "Step 1/" in verbose and "Successfully installed six-1.16.0" in verbose
