"""What a container should look like, as plain data: the input of the convergence plan.

The project container and every service are described by a ContainerSpec; its
`config_hash()` is stored in the `dkenv.config-hash` label, so a change of any field
recreates the container and nothing else.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from dkenv import hashing

LABEL_PROJECT = "dkenv.project"
LABEL_ROOT = "dkenv.root"
LABEL_HASH = "dkenv.config-hash"
LABEL_ROLE = "dkenv.role"  # "app" for the project container, else the service name
APP_ROLE = "app"


@dataclass(frozen=True)
class Mount:
    source: str  # absolute host path
    target: str  # absolute path inside the container
    read_only: bool = False


@dataclass(frozen=True)
class Port:
    bind: str  # host address, e.g. 127.0.0.1
    host: int
    container: int


def parse_port(spec: str) -> tuple[int, int]:
    """'8000' -> (8000, 8000); '8001:8000' -> (8001, 8000) as (host, container)."""
    parts = str(spec).split(":")
    if len(parts) not in (1, 2) or not all(p.isdigit() for p in parts):
        raise ValueError(f'{spec!r} is not a port ("8000" or "8001:8000")')
    numbers = [int(p) for p in parts]
    if not all(0 < n < 65536 for n in numbers):
        raise ValueError(f"{spec!r}: ports are 1-65535")
    return (numbers[0], numbers[-1])


def published(bind: str, specs: list[str]) -> list[Port]:
    """Config port strings ("8000", "8001:8000") as Ports published on `bind`."""
    return [Port(bind, *parse_port(p)) for p in specs]


@dataclass
class Healthcheck:
    test: str  # a shell command run inside the container (CMD-SHELL)
    interval: float = 1.0
    timeout: float = 5.0
    retries: int = 3
    start_period: float = 0.0


@dataclass
class ContainerSpec:
    name: str  # the container name, e.g. dkenv-hello or dkenv-hello-db
    role: str  # APP_ROLE or the service name (also its host name on the network)
    image: str
    command: list[str] | None = None  # None: the image's CMD
    entrypoint: list[str] | None = None  # None: the image's ENTRYPOINT
    env: dict[str, str] = field(default_factory=dict)
    mounts: list[Mount] = field(default_factory=list)
    ports: list[Port] = field(default_factory=list)
    healthcheck: Healthcheck | None = None
    user: str | None = None
    working_dir: str | None = None
    init: bool = True
    stop_signal: str | None = None  # None: the image's STOPSIGNAL (SIGTERM by default)
    stop_timeout: int = 10  # seconds between the stop signal and SIGKILL, like `docker stop`
    depends_on: list[str] = field(default_factory=list)  # roles started (and healthy) before this one
    health_timeout: int = 120  # seconds `up` waits for the healthcheck
    # directories under data/ that must exist (created by dkenv) before the container starts
    data_dirs: list[str] = field(default_factory=list)
    group_add: list[str] = field(default_factory=list)  # supplementary groups, by name in the image
    # files dkenv writes (host path -> text, carrying fileio.MARK) before the container starts
    host_files: dict[str, str] = field(default_factory=dict)
    userns: str | None = None  # HostConfig.UsernsMode: "keep-id" on rootless Podman (engine/identity.py)

    def config_hash(self) -> str:
        """A hash of everything that shapes the container (not its labels themselves).

        Fields added later leave the hash of a spec that does not use them as it was, so a
        new dkenv recreates only the containers whose configuration really changed."""
        body = asdict(self)
        body.pop("health_timeout")
        for key in ("group_add", "host_files"):
            if not body[key]:
                body.pop(key)
        if body["userns"] is None:  # absent from the hash unless set: no recreate where it is not used
            body.pop("userns")
        for mount in body["mounts"]:
            if not mount["read_only"]:
                mount.pop("read_only")
        return hashing.sha256(json.dumps(body, sort_keys=True).encode())[:16]

    def all_labels(self, project: str, root: str) -> dict[str, str]:
        return {LABEL_PROJECT: project, LABEL_ROOT: root,
                LABEL_ROLE: self.role, LABEL_HASH: self.config_hash()}


@dataclass
class ContainerState:
    name: str
    id: str
    status: str  # created | running | exited | paused | restarting | dead
    role: str
    config_hash: str
    image: str
    pid: int = 0
    health: str | None = None  # starting | healthy | unhealthy | None (no healthcheck)
    ports: list[tuple[str, int, int]] = field(default_factory=list)  # (bind, host, container)
    labels: dict[str, str] = field(default_factory=dict)
    exit_code: int = 0  # the main process's, once it has exited

    @property
    def running(self) -> bool:
        return self.status == "running"
