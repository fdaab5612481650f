"""dkenv/engine/identity.py and mountcheck.py's pure parts: the engine's kind from what
it says, and as whom dkenv runs there."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from dkenv import hostuser
from dkenv.engine import endpoint, info as engineinfo, identity
from dkenv.containers import mountcheck

DOCKER_VERSION = {"Components": [{"Name": "Engine", "Version": "20.10.24"}, {"Name": "containerd"}]}
PODMAN_VERSION = {"Components": [{"Name": "Podman Engine", "Version": "4.3.1"}, {"Name": "Conmon"}]}
HOST = hostuser.User("dev", 1500, 1500)


@pytest.mark.parametrize("version, info, podman_rootless, kind", [
    (DOCKER_VERSION, {"SecurityOptions": ["name=seccomp,profile=default"], "OperatingSystem": "Debian GNU/Linux 12"},
     None, identity.DOCKER),
    (DOCKER_VERSION, {"SecurityOptions": ["name=seccomp,profile=default", "name=rootless"]}, None, identity.ROOTLESS),
    (PODMAN_VERSION, {"DockerRootDir": "/home/dev/.local/share/containers/storage"}, None, identity.PODMAN),
    (PODMAN_VERSION, {"DockerRootDir": "/var/lib/containers/storage"}, None, identity.PODMAN_ROOTFUL),
    (PODMAN_VERSION, {"DockerRootDir": "/srv/storage"}, True, identity.PODMAN),  # Podman's own flag wins
    (DOCKER_VERSION, {"OperatingSystem": "Docker Desktop", "Name": "docker-desktop"}, None, identity.DESKTOP),
    (DOCKER_VERSION, {"OperatingSystem": "Ubuntu 24.04 LTS", "Name": "colima"}, None, identity.VM),
    (DOCKER_VERSION, {"OperatingSystem": "OrbStack", "Name": "orbstack"}, None, identity.VM),
])
def test_the_kind_from_version_and_info(version, info, podman_rootless, kind):
    assert identity.kind_of(version, info, podman_rootless) == kind


def test_identity_per_kind():
    rootful = identity.for_kind(identity.DOCKER, HOST)
    assert (rootful.user, rootful.image_user, rootful.userns) == ("1500:1500", HOST, None)
    rootless = identity.for_kind(identity.ROOTLESS, HOST)  # container root is the host user
    assert (rootless.user, rootless.image_user.name, rootless.userns) == ("0:0", "root", None)
    podman = identity.for_kind(identity.PODMAN, HOST)  # keep-id: the host UID is itself inside
    assert (podman.user, podman.image_user, podman.userns) == ("1500:1500", HOST, "keep-id")
    for kind in (identity.DESKTOP, identity.VM, identity.PODMAN_ROOTFUL):
        assert identity.for_kind(kind, HOST).user == "1500:1500" and identity.for_kind(kind, HOST).userns is None
    root = hostuser.User("root", 0, 0)  # dkenv run by root: root everywhere, no keep-id needed
    assert identity.for_kind(identity.PODMAN, root).userns is None


def test_podman_is_told_apart_without_its_id(tmp_path):
    """Podman makes a new ID per /info: the fingerprint of the SDK's and the CLI's engine leaves it out."""
    info = {"ID": "a-random-one", "Name": "vm", "DockerRootDir": "/home/dev/.local/share/containers/storage"}
    assert engineinfo.fingerprint(info, identity.PODMAN) == "|vm|/home/dev/.local/share/containers/storage"
    assert engineinfo.fingerprint(info, identity.DOCKER).startswith("a-random-one|")


def test_the_mount_check_is_for_every_engine_but_the_local_rootful_one():
    import socket

    here = {"Name": socket.gethostname()}
    local = endpoint.Endpoint("unix:///var/run/docker.sock", "default")
    ssh = endpoint.Endpoint("ssh://me@box", "DOCKER_HOST")
    assert not mountcheck.needed(identity.DOCKER, local, here)
    assert mountcheck.needed(identity.DOCKER, local, {"Name": "docker-desktop"})  # a VM behind a local socket
    assert mountcheck.needed(identity.ROOTLESS, local, here)  # its own mount namespace
    assert mountcheck.needed(identity.DOCKER, ssh, here)


def test_a_remote_folders_owner_is_whom_commands_run_as(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    project = SimpleNamespace(root=tmp_path / "proj")
    ssh = endpoint.Endpoint("ssh://me@box", "DOCKER_HOST")
    ident = identity.for_kind(identity.DOCKER, HOST)
    assert mountcheck.adjusted(ident, project, ssh) == ident  # not checked yet
    cache = mountcheck._cache_file(project, ssh)
    cache.parent.mkdir(parents=True)
    cache.write_text("1000:1000\n")
    adjusted = mountcheck.adjusted(ident, project, ssh)
    assert (adjusted.user, adjusted.image_user.name) == ("1000:1000", "dev")
    local = endpoint.Endpoint("unix:///var/run/docker.sock", "default")
    assert mountcheck.adjusted(ident, project, local) == ident  # a local engine: the host user, always
    rootless = identity.for_kind(identity.ROOTLESS, HOST)
    assert mountcheck.adjusted(rootless, project, ssh) == rootless  # root is the remote user already
