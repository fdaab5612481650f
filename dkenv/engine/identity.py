"""What kind of engine dkenv talks to, and so as whom the containers run: the one place
that decides the identity (the image's user, the user of `docker exec` and of services
that run as the host user, the user namespace of every container).

| kind | how it is recognised | identity |
|---|---|---|
| docker | a Linux Docker Engine run by root | the host user's UID:GID, baked into the image |
| docker-rootless | `docker info` SecurityOptions has `name=rootless` | container root, which is the host user |
| podman | the version's components name "Podman Engine", rootless | the host UID:GID baked in, and `UsernsMode=keep-id` so that UID is the host user |
| podman-rootful | the same, run by root | as docker |
| docker-desktop | OperatingSystem "Docker Desktop" | as docker: the VM's file sharing maps any UID to the host user |
| vm | Colima, OrbStack, Rancher Desktop (by name) | as docker-desktop |

Pure: the callers pass the engine's version and info (engine/info.py asks).
"""
from __future__ import annotations

from dataclasses import dataclass

from dkenv import hostuser

DOCKER = "docker"
ROOTLESS = "docker-rootless"
PODMAN = "podman"
PODMAN_ROOTFUL = "podman-rootful"
DESKTOP = "docker-desktop"
VM = "vm"
KINDS = (DOCKER, ROOTLESS, PODMAN, PODMAN_ROOTFUL, DESKTOP, VM)
KEEP_ID = "keep-id"
ROOT = hostuser.User(name="root", uid=0, gid=0)
_VM_NAMES = ("colima", "orbstack", "rancher-desktop", "lima-")

DESCRIPTIONS = {
    DOCKER: "Docker Engine",
    ROOTLESS: "rootless Docker Engine",
    PODMAN: "rootless Podman (Docker API)",
    PODMAN_ROOTFUL: "Podman run by root (Docker API)",
    DESKTOP: "Docker Desktop",
    VM: "Docker Engine in a VM",
}


def kind_of(version: dict, info: dict, podman_rootless: bool | None = None) -> str:
    """The kind, from GET /version and GET /info (and, for Podman, its own rootless flag when known)."""
    components = [str(c.get("Name", "")) for c in version.get("Components") or []]
    if any(name.startswith("Podman") for name in components):
        if podman_rootless is None:  # its Docker-API info lacks the flag; its storage under a home tells
            podman_rootless = "/.local/share/containers" in str(info.get("DockerRootDir", ""))
        return PODMAN if podman_rootless else PODMAN_ROOTFUL
    options = [str(o) for o in info.get("SecurityOptions") or []]
    if any("name=rootless" in o for o in options):
        return ROOTLESS
    system = str(info.get("OperatingSystem", ""))
    if "Docker Desktop" in system:
        return DESKTOP
    name = str(info.get("Name", "")).lower()
    if any(name.startswith(v) for v in _VM_NAMES) or system.startswith(("OrbStack", "Rancher Desktop")):
        return VM
    return DOCKER


@dataclass(frozen=True)
class Identity:
    """As whom dkenv runs things on one engine."""

    kind: str
    image_user: hostuser.User  # the user baked into the image (root: no user is made)
    userns: str | None = None  # HostConfig.UsernsMode of every container dkenv creates

    @property
    def user(self) -> str:
        """"UID:GID" for `docker exec -u` and for services that run as the host user."""
        return self.image_user.ids

    @property
    def uid(self) -> int:
        return self.image_user.uid

    @property
    def gid(self) -> int:
        return self.image_user.gid


def for_kind(kind: str, host: hostuser.User | None = None) -> Identity:
    """The identity on an engine of `kind` for the host user `host` (default: this process's).

    On a rootless engine container root is the host user, so it is root that runs; on
    rootless Podman, keep-id maps the host UID to itself, so the host user is baked in as on
    a rootful engine."""
    host = host or hostuser.current()
    if kind == ROOTLESS:
        return Identity(kind, ROOT)
    if kind == PODMAN and host.uid != 0:
        return Identity(kind, host, userns=KEEP_ID)
    return Identity(kind, host)


def default() -> Identity:
    """Before any engine is asked (the Dockerfile shown by `dkenv dockerfile`): a rootful engine's."""
    return for_kind(DOCKER)
