"""Building for real: progress lines (plain, and redrawn on a terminal under tmux), .dkenv/build.log, and the failure summary of a pin
that cannot build on Python 3.11 (lazy-object-proxy 1.6.0: no cp311 wheel, and its sdist
needs pkg_resources, which current setuptools no longer ships)."""
from __future__ import annotations

import os
import re
import shlex
import subprocess

import pytest

from tests.conftest import make_project
from tests.docker.conftest import PIP_HEAD
from tests.helpers import wait_until
from tests.shell.conftest import require

CONFIG = PIP_HEAD + """\
"""


@pytest.fixture(autouse=True)
def classic_builder(monkeypatch):
    """This module pins the classic builder's output (Docker's "Step N/M" log); the BuildKit
    route's is tests/docker/test_buildcache.py's."""
    monkeypatch.setenv("DKENV_BUILDER", "classic")


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
    (old_pin.root / "requirements.txt").write_text("six==1.15.0\n")  # a bump: a step on that image, by uv
    verbose = re.sub(r"\x1b\[[0-9;]*m", "", old_pin.dkenv("-v", "build").stderr.decode())  # uv's colours
    assert "Step 1/" in verbose and "+ six==1.15.0" in verbose


def test_on_a_terminal_the_running_step_is_one_line_redrawn(old_pin, tmp_path):
    """`dkenv build --no-cache` in tmux, the screen read while it runs: the running step's
    line is redrawn with a moving clock, and each finished step stays once, with its time."""
    tmux = require("tmux")
    (old_pin.root / "requirements.txt").write_text("six==1.16.0\n")
    script = tmp_path / "build.sh"
    script.write_text(f"cd {shlex.quote(str(old_pin.root))}\n"
                      f"{shlex.join(old_pin.command('build', '--no-cache'))}\necho DKENV-EXIT=$?\nsleep 600\n")
    server = ["tmux", "-L", f"dkenv-test-{os.getpid()}"]
    env = {k: v for k, v in old_pin.env().items() if k not in ("TMUX", "DKENV_PROGRESS")}
    subprocess.run([tmux, *server[1:], "-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "60",
                    "bash", str(script)], env=env, check=True)
    screens = []

    def ended() -> bool:
        screens.append(subprocess.run([tmux, *server[1:], "capture-pane", "-p", "-S", "-100"],
                                      capture_output=True, text=True).stdout)
        return "DKENV-EXIT=" in screens[-1]

    try:
        wait_until(ended, "the build in tmux to end", within=900, every=0.3, detail=lambda: screens[-1])
    finally:
        subprocess.run([tmux, *server[1:], "kill-server"], capture_output=True)
    final = [line.rstrip() for line in screens[-1].splitlines() if line.strip()]
    assert "DKENV-EXIT=0" in final, "\n".join(final)
    live = re.compile(r"^dkenv: (\[\d+/\d+\] .+?)  (\d+\.\ds|\dm \d\ds)(  .*)?$")
    clocks: dict[str, set[str]] = {}
    for screen in screens[:-1]:
        shown = [line.rstrip() for line in screen.splitlines() if line.strip()]
        m = shown and live.match(shown[-1])
        if m:
            clocks.setdefault(m.group(1), set()).add(m.group(2))
    assert any(len(seen) > 1 for seen in clocks.values()), clocks  # a step's clock moved on screen
    steps = [line for line in final if re.match(r"dkenv: \[\d+/\d+\] ", line)]
    count = int(re.match(r"dkenv: \[1/(\d+)\]", steps[0]).group(1))
    assert [re.match(r"dkenv: \[(\d+)/", line).group(1) for line in steps] == [str(i) for i in range(1, count + 1)]
    assert all(re.search(r"  (\d+\.\ds|\dm \d\ds)$", line) for line in steps), steps
    assert re.search(r"^dkenv: built dkenv/\S+ in .+ \(\d+(\.\d)? MB\)$", "\n".join(final), re.M)
    assert not any("Step " in line or "\x1b" in line for line in final)
