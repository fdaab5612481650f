"""`dkenv doctor`'s checks of the Engine side: reachable (which engine, where, what chose
it: engine/info.describe), the docker CLI on the same engine when given the
variables dkenv gives it (engineinfo.cli_mismatch), the socket's permissions, container
PIDs visible (the shims' fast path) and same-path bind mounts. Each check is a Check: a
status, what was found, and the fix. The host side (CA certificates, proxies, disk, ports)
is in hostchecks.py."""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from dkenv import hostuser
from dkenv.engine import endpoint, info as engineinfo, identity
from dkenv.exec import pidfile
from dkenv.engine import engine as engine_mod
from dkenv.engine.spec import Mount
from dkenv.errors import FatalError

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"
CHOOSE = "DOCKER_HOST, DOCKER_CONTEXT (or `docker context use`)"


@dataclass
class Check:
    name: str
    status: str  # OK, WARN, FAIL or SKIP
    detail: str
    fix: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def sdk_endpoint() -> str:
    """Where dkenv connects (engine/endpoint.py: as the docker CLI resolves it)."""
    return endpoint.resolve().host


def socket_access() -> Check:
    try:
        where = sdk_endpoint()
    except FatalError as e:  # a context that does not exist: the engine check says it
        return Check("socket", SKIP, str(e).removeprefix("dkenv: ").split(";")[0])
    if not where.startswith("unix://"):
        return Check("socket", SKIP, f"{where} is not a local socket")
    path = where[len("unix://"):]
    if not os.path.exists(path):
        return Check("socket", FAIL, f"no socket at {path}",
                     f"start the engine (sudo systemctl start docker), or choose the one that runs with {CHOOSE}")
    if not os.access(path, os.R_OK | os.W_OK):
        return Check("socket", FAIL, f"{hostuser.current().name} may not use {path}",
                     "add yourself to its group: sudo usermod -aG docker $USER, then log in again")
    return Check("socket", OK, f"{path} is usable by {hostuser.current().name}")


def connect_engine() -> tuple[Check, object | None]:
    """The engine check and the Engine (None when it cannot be reached)."""
    try:
        engine = engine_mod.connect()
        kind, host, source = engineinfo.describe(engine)
        version = engineinfo.facts(engine)["version"]
    except FatalError as e:
        return Check("engine", FAIL, str(e).removeprefix("dkenv: ").split(". Check")[0],
                     f"start dockerd (sudo systemctl start docker), or choose a running engine with {CHOOSE}"), None
    detail = (f"{identity.DESCRIPTIONS.get(kind, kind)} {version.get('Version', '?')} "
              f"(API {version.get('ApiVersion', '?')}) at {host} ({source}); "
              f"Docker SDK for Python {engine_mod.sdk_version()}")
    return Check("engine", OK, detail), engine


def docker_cli(engine) -> tuple[Check, str | None]:
    """The docker CLI is present and, given the variables dkenv gives it (the pinned
    endpoint), talks to the engine dkenv uses."""
    docker = shutil.which("docker")
    if docker is None:
        return Check("docker CLI", FAIL, "no `docker` command on PATH",
                     "install the docker CLI (Debian: docker.io or docker-ce-cli): exec and the shims run it"), None
    if engine is None:
        return Check("docker CLI", SKIP, f"{docker}; the Engine is not reachable, nothing to compare"), docker
    mismatch = engineinfo.cli_mismatch(engine)
    if mismatch is not None:
        return Check("docker CLI", FAIL, f"{mismatch}: commands would run on another engine",
                     f"make both use one engine: choose it with {CHOOSE} (dkenv passes the same "
                     "choice to `docker`), and check which `docker` comes first on PATH"), docker
    return Check("docker CLI", OK, f"{docker} talks to the same engine ({engine.info().get('Name')})"), docker


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
    ident = engineinfo.engine_identity(engine)
    if image is None:
        why = "no image is present locally to start a test container"
        return [Check(n, SKIP, why, "run `dkenv build` first") for n in ("container PIDs", "bind mount")]
    try:
        cid = engine.start_probe(image, [Mount(str(folder), str(folder))], ident.user, ident.userns)
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
        return [_pid_check(engine, cid), _mount_check(engine, cid, folder, ident.user)]
    finally:
        engine.remove(cid)


def _pid_check(engine, cid: str) -> Check:
    state = engine.state(cid)
    if state and pidfile.settled(state.pid, state.id):
        return Check("container PIDs", OK, "visible from this host: the shims run `docker exec` directly")
    return Check("container PIDs", WARN, "not visible from this host (the Engine runs in a VM or elsewhere)",
                 "nothing to fix: each shimmed command asks the Engine first (slower)")


def _mount_check(engine, cid: str, folder: Path, user: str) -> Check:
    entries = sorted(p.name for p in folder.iterdir())[:1] if os.access(folder, os.R_OK) else []
    target = str(folder / entries[0]) if entries else str(folder)
    code, output = engine.exec_capture(cid, ["ls", "-d", target], user=user)
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
