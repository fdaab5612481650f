"""engine/clibuild.py: which docker CLI builds with BuildKit, DKENV_BUILDER, the command line."""
from __future__ import annotations

import os

import pytest

from dkenv.engine import clibuild
from dkenv.errors import ConfigError


def test_a_cli_older_than_23_builds_with_buildkit_a_newer_one_only_with_buildx():
    assert clibuild.able("/usr/bin/docker", "Docker version 20.10.24+dfsg1, build 297e128", False) == \
        clibuild.Cli("/usr/bin/docker", "20.10.24+dfsg1", False)
    assert clibuild.able("/usr/local/bin/docker", "Docker version 28.2.2, build e6534b4", False) is None
    assert clibuild.able("/usr/local/bin/docker", "Docker version 28.2.2, build e6534b4", True).buildx
    assert clibuild.able("/x/docker", "", True) is None  # no version: not a docker CLI


def test_the_probe_takes_the_first_able_cli_on_path(tmp_path):
    for folder in ("new", "old"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "docker").write_text("#!/bin/sh\n")
        (tmp_path / folder / "docker").chmod(0o755)
    path = os.pathsep.join([str(tmp_path / "new"), str(tmp_path / "old")])
    versions = {str(tmp_path / "new" / "docker"): "Docker version 28.2.2, build x",
                str(tmp_path / "old" / "docker"): "Docker version 20.10.24, build y"}
    found = clibuild.choose("auto", {"PATH": path}, inspect=lambda p: clibuild.able(p, versions[p], False))
    assert found.path == str(tmp_path / "old" / "docker")


def test_the_same_file_twice_on_path_is_probed_once(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "docker").write_text("#!/bin/sh\n")
    (tmp_path / "a" / "docker").chmod(0o755)
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert clibuild.candidates(f"{tmp_path / 'a'}{os.pathsep}{tmp_path / 'b'}") == [str(tmp_path / "a" / "docker")]


def test_buildkit_asked_for_and_not_found_is_a_config_error():
    with pytest.raises(ConfigError, match="DKENV_BUILDER=buildkit"):
        clibuild.choose("buildkit", {"PATH": ""}, inspect=lambda p: None)
    with pytest.raises(ConfigError, match="expected auto, classic, volumes, buildkit"):
        clibuild.setting({"DKENV_BUILDER": "kaniko"})
    assert clibuild.choose("auto", {"PATH": ""}, inspect=lambda p: None) is None
    chosen = clibuild.choose("/opt/docker", {}, inspect=lambda p: clibuild.Cli(p, "20.10", False))
    assert chosen.path == "/opt/docker"


def test_no_cli_for_an_engine_without_an_endpoint_or_over_ssh():
    class Ssh:
        ssh = True
    assert clibuild.for_endpoint(None, "auto") is None
    assert clibuild.for_endpoint(Ssh(), "buildkit") is None  # not even the error: the SDK's relay is the way there


def test_the_command_line():
    old = clibuild.Cli("/usr/bin/docker", "20.10.24", False)
    line = clibuild.argv(old, "/ctx", "dkenv/x:1", dockerfile="/ctx/Dockerfile.buildkit", nocache=True, pull=False,
                         labels={"dkenv.project": "x"}, buildargs={"http_proxy": "http://p:3128"})
    assert line == ["/usr/bin/docker", "build", "--progress=plain", "-t", "dkenv/x:1", "-f", "/ctx/Dockerfile.buildkit",
                    "--no-cache", "--label", "dkenv.project=x", "--build-arg", "http_proxy=http://p:3128", "/ctx"]
    buildx = clibuild.argv(clibuild.Cli("/d", "28.2", True), "/ctx", "t", dockerfile="/ctx/D", nocache=False,
                           pull=True, labels={}, buildargs={})
    assert buildx[:4] == ["/d", "buildx", "build", "--load"] and "--pull" in buildx
    assert old.describe() == "BuildKit through /usr/bin/docker 20.10.24"
