"""engine/lend.py: the engine lent to the project container ([run] docker)."""
from __future__ import annotations

import os
import shutil
import sys

import pytest

from dkenv.engine import lend
from dkenv.engine.spec import Mount
from dkenv.errors import FatalError


def test_a_unix_socket_is_mounted_with_its_group(tmp_path):
    sock = tmp_path / "docker.sock"
    sock.write_text("")
    mounts, env, groups = lend.lent(f"unix://{sock}", "/usr/local/bin/docker")
    assert Mount(str(sock), "/var/run/docker.sock") in mounts
    assert Mount("/usr/local/bin/docker", lend.CLIENT, read_only=True) in mounts
    assert env == {"DOCKER_HOST": "unix:///var/run/docker.sock"} and groups == [str(os.getgid())]


def test_tcp_is_passed_and_ssh_refused(tmp_path):
    assert lend.lent("tcp://10.0.0.2:2375", None) == ([], {"DOCKER_HOST": "tcp://10.0.0.2:2375"}, [])
    with pytest.raises(FatalError, match="cannot be lent"):
        lend.lent("ssh://me@host", None)
    with pytest.raises(FatalError, match="cannot be read"):
        lend.lent(f"unix://{tmp_path}/none.sock", None)


def test_only_a_static_program_of_this_machine_is_lent(tmp_path):
    assert not lend.static_client(sys.executable)  # dynamically linked: needs the host's loader
    assert not lend.static_client(str(tmp_path))  # not a file
    script = tmp_path / "docker"
    script.write_text("#!/bin/sh\n")
    assert not lend.static_client(str(script))
    static = shutil.which("docker")
    if static and "statically linked" in os.popen(f"file -L {static}").read():
        assert lend.static_client(os.path.realpath(static))
