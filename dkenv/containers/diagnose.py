"""`dkenv doctor`'s checks of the Engine side: reachable, the docker CLI on the same
Engine, the socket's permissions, container PIDs visible (the shims' fast path) and
same-path bind mounts. Each check is a Check: a status, what was found, and the fix.
The host side (CA certificates, proxies, disk, ports) is in hostchecks.py."""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from dkenv import hostuser
from dkenv.containers import engine as engine_mod
from dkenv.containers import pidfile
from dkenv.containers.spec import Mount
from dkenv.errors import FatalError

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"
DEFAULT_SOCKET = "unix:///var/run/docker.sock"


@dataclass
class Check:
    name: str
    status: str  # OK, WARN, FAIL or SKIP
    detail: str
    fix: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def sdk_endpoint() -> str:
    """Where dkenv (the SDK) connects: DOCKER_HOST, else the current docker context."""
    return engine_mod.endpoint()[0]


def cli_endpoint(docker: str) -> str:
    """Where the docker CLI says it connects: DOCKER_HOST, else its current context's endpoint."""
    if os.environ.get("DOCKER_HOST"):
        return os.environ["DOCKER_HOST"]
    out = _run([docker, "context", "inspect", "--format", "{{.Endpoints.docker.Host}}"])
    return out.strip() if out is not None and out.strip() else DEFAULT_SOCKET


def socket_access() -> Check:
    endpoint = sdk_endpoint()
    if not endpoint.startswith("unix://"):
        return Check("socket", SKIP, f"{endpoint} is not a local socket")
    path = endpoint[len("unix://"):]
    if not os.path.exists(path):
        return Check("socket", FAIL, f"no socket at {path}",
                     "start the Engine (sudo systemctl start docker), or point DOCKER_HOST "
                     "(or `docker context use`) at where it listens")
    if not os.access(path, os.R_OK | os.W_OK):
        return Check("socket", FAIL, f"{hostuser.current().name} may not use {path}",
                     "add yourself to its group: sudo usermod -aG docker $USER, then log in again")
    return Check("socket", OK, f"{path} is usable by {hostuser.current().name}")


def connect_engine() -> tuple[Check, object | None]:
    """The engine check and the Engine (None when it cannot be reached)."""
    try:
        engine = engine_mod.connect()
        version = engine.version()
    except FatalError as e:
        return Check("engine", FAIL, str(e).removeprefix("dkenv: ").split(". Check")[0],
                     "start dockerd (sudo systemctl start docker), or point DOCKER_HOST "
                     "(or `docker context use`) at a running Engine"), None
    url, source = engine_mod.endpoint()
    detail = (f"Docker Engine {version.get('Version', '?')} (API {version.get('ApiVersion', '?')}) at "
              f"{url} ({source}); Docker SDK for Python {engine_mod.sdk_version()}")
    return Check("engine", OK, detail), engine


def docker_cli(engine) -> tuple[Check, str | None]:
    """The docker CLI is present and talks to the Engine dkenv uses (same engine ID)."""
    docker = shutil.which("docker")
    if docker is None:
        return Check("docker CLI", FAIL, "no `docker` command on PATH",
                     "install the docker CLI (Debian: docker.io or docker-ce-cli): exec and the shims run it"), None
    if engine is None:
        return Check("docker CLI", SKIP, f"{docker}; the Engine is not reachable, nothing to compare"), docker
    out = _run([docker, "info", "--format", "{{.ID}}|{{.Name}}"])
    if out is None or "|" not in out:
        return Check("docker CLI", FAIL, f"`{docker} info` fails (on {cli_endpoint(docker)})",
                     f"point it at dkenv's Engine: export DOCKER_HOST={sdk_endpoint()}"), docker
    cli_id, _, cli_name = out.strip().partition("|")
    info = engine.info()
    if cli_id != info.get("ID"):
        return Check("docker CLI", FAIL,
                     f"the CLI talks to {cli_name} at {cli_endpoint(docker)}, dkenv to {info.get('Name')} "
                     f"at {sdk_endpoint()}: commands would run on another Engine",
                     "make both use one Engine: set DOCKER_HOST (both read it), and check which "
                     "`docker` comes first on PATH"), docker
    return Check("docker CLI", OK, f"{docker} talks to the same Engine ({info.get('Name')})"), docker


def probe_image(engine, candidates: list[str]) -> str | None:
    """The first of `candidates` present locally, else any local image (nothing is pulled)."""
    present = engine.local_images()
    for image in candidates:
        if image in present or f"{image}:latest" in present:
            return image
    return present[0] if present else None


def container_checks(engine, folder: Path, candidates: list[str]) -> list[Check]:
    """PIDs visible and a same-path bind mount, in one throwaway container."""
    if engine is None:
        return [Check(n, SKIP, "the Engine is not reachable") for n in ("container PIDs", "bind mount")]
    image = probe_image(engine, candidates)
    if image is None:
        why = "no image is present locally to start a test container"
        return [Check(n, SKIP, why, "run `dkenv build` first") for n in ("container PIDs", "bind mount")]
    try:
        cid = engine.start_probe(image, [Mount(str(folder), str(folder))], hostuser.ids())
    except Exception as e:
        message = engine_mod.api_error(e)
        if message is None:
            raise
        if "executable file not found" in message:
            why = f"{image} has no `sleep` to run a test container with"
            return [Check(n, SKIP, why, "run `dkenv build` first") for n in ("container PIDs", "bind mount")]
        return [Check("bind mount", FAIL, f"a container of {image} with {folder} mounted does not start: {message}",
                      "share this folder with the Engine (Docker Desktop: Settings > Resources > File sharing)")]
    try:
        return [_pid_check(engine, cid), _mount_check(engine, cid, folder)]
    finally:
        engine.remove(cid)


def _pid_check(engine, cid: str) -> Check:
    state = engine.state(cid)
    if state and state.pid and pidfile.is_container_init(state.pid, cid):
        return Check("container PIDs", OK, "visible from this host: the shims run `docker exec` directly")
    return Check("container PIDs", WARN, "not visible from this host (the Engine runs in a VM or elsewhere)",
                 "nothing to fix: each shimmed command asks the Engine first (slower)")


def _mount_check(engine, cid: str, folder: Path) -> Check:
    entries = sorted(p.name for p in folder.iterdir())[:1] if os.access(folder, os.R_OK) else []
    target = str(folder / entries[0]) if entries else str(folder)
    code, output = engine.exec_capture(cid, ["ls", "-d", target], user=hostuser.ids())
    if code == 0:
        return Check("bind mount", OK, f"{folder} is mounted at the same path and readable")
    return Check("bind mount", FAIL, f"{target} is not visible in a container that mounts {folder}: "
                                     f"{output.decode(errors='replace').strip()[:200]}",
                 "the Engine must see this folder: run it on this machine, or share the folder with it")


def _run(argv: list[str]) -> str | None:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None
