"""dkenv/exec/watchdog.py, with the host's sh and a fake docker that logs its calls."""
from __future__ import annotations

import os
import subprocess

from dkenv.exec import watchdog

FAKE_DOCKER = '#!/bin/sh\n{ for a in "$@"; do printf "%s\\n" "$a"; done; echo; } >> "$0.log"\n'


def fake_docker(tmp_path):
    docker = tmp_path / "docker"
    docker.write_text(FAKE_DOCKER)
    docker.chmod(0o755)
    return docker


def calls(docker) -> list[list[str]]:
    """The fake docker's calls so far (each call's block ends with a blank line)."""
    log = docker.with_name("docker.log")
    return [b.split("\n") for b in log.read_text().split("\n\n") if b.strip()] if log.exists() else []


def test_done_means_nothing_is_reaped(tmp_path):
    docker = fake_docker(tmp_path)
    line = watchdog.start(str(docker), "1000:1000", "dkenv-app", "tok123")
    line.done()
    line.done()  # twice is harmless
    assert line.process.wait(timeout=10) == 0
    assert calls(docker) == []


def test_a_writer_gone_without_done_reaps_by_token_as_the_users(tmp_path):
    docker = fake_docker(tmp_path)
    line = watchdog.start(str(docker), "1000:1000", "dkenv-app", "tok123")
    os.close(line.fd)  # what the kernel does for a killed dkenv
    line.fd = None
    line.process.wait(timeout=60)  # the watchdog execs the fake docker: its call is logged when it ends
    assert calls(docker) == [["exec", "-u", "1000:1000", "dkenv-app", "sh", "-c", watchdog.REAPER,
                              "dkenv-reap", "tok123"]]


def test_the_reaper_terms_then_kills_the_tokens_processes(tmp_path):
    """REAPER itself, against host processes (it only needs /proc and a POSIX sh)."""
    stubborn = subprocess.Popen(["sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"],
                                env={**os.environ, "DKENV_EXEC_TOKEN": "tok-reap-test"}, stdout=subprocess.PIPE)
    polite = subprocess.Popen(["sleep", "60"], env={**os.environ, "DKENV_EXEC_TOKEN": "tok-reap-test"})
    bystander = subprocess.Popen(["sleep", "60"], env={**os.environ, "DKENV_EXEC_TOKEN": "another"})
    try:
        assert stubborn.stdout.readline() == b"ready\n"  # its trap is set (Popen returns once each has exec'd)
        subprocess.run(["sh", "-c", watchdog.REAPER, "dkenv-reap", "tok-reap-test", "8"], timeout=30, check=True)
        assert polite.wait(timeout=60) == -15  # SIGTERM first
        assert stubborn.wait(timeout=60) == -9  # SIGKILL for what ignored SIGTERM, after the grace
        assert bystander.poll() is None
    finally:
        for proc in (stubborn, polite, bystander):
            proc.kill()
            proc.wait()
        stubborn.stdout.close()
