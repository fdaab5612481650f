"""What engine dkenv talks to: its kind (asked once per Engine), the identity that follows
(engine/identity.py), and whether the `docker` CLI reaches the same engine as the SDK.

The small API `dkenv status` and `dkenv doctor` use:
- `describe(engine)` -> (kind, endpoint, source)
- `engine_identity(engine)` -> identity.Identity
- `cli_mismatch(engine)` -> None, or one line saying how the CLI's engine differs
"""
from __future__ import annotations

import subprocess

from dkenv.engine import endpoint, identity

# the same engine answers the same: its ID (Podman makes a new one per call, so not Podman's),
# its name (the machine's host name) and its storage folder
_FINGERPRINT = "{{.ID}}|{{.Name}}|{{.DockerRootDir}}"


def facts(engine) -> dict:
    """{"version", "info", "kind"}, asked once per Engine."""
    if "kind" not in engine.facts:
        version, info = engine.version(), engine.info()
        podman_rootless = None
        if any(str(c.get("Name", "")).startswith("Podman") for c in version.get("Components") or []):
            own = engine.podman_info()
            if own is not None:
                podman_rootless = bool(((own.get("host") or {}).get("security") or {}).get("rootless"))
        engine.facts.update(version=version, info=info, kind=identity.kind_of(version, info, podman_rootless))
    return engine.facts


def kind(engine) -> str:
    return facts(engine)["kind"]


def engine_identity(engine) -> identity.Identity:
    """As whom dkenv runs on this engine (for a project: containers/mountcheck.identity, which
    adjusts it on a remote engine whose folder check recorded another owner)."""
    return identity.for_kind(kind(engine))


def describe(engine=None) -> tuple[str, str, str]:
    """(kind, endpoint, source): e.g. ("podman", "unix:///run/user/1500/podman/podman.sock",
    "context dkenv-podman (DOCKER_CONTEXT)"); without an Engine, one is connected (FatalError
    when it cannot be reached)."""
    if engine is None:
        from dkenv.engine.engine import connect

        engine = connect()
    ep = engine.endpoint or endpoint.resolve()
    return kind(engine), ep.host, ep.source


def fingerprint(info: dict, kind_name: str) -> str:
    engine_id = "" if kind_name.startswith("podman") else str(info.get("ID", ""))
    return f"{engine_id}|{info.get('Name', '')}|{info.get('DockerRootDir', '')}"


def cli_fingerprint(ep: endpoint.Endpoint, kind_name: str) -> tuple[str | None, str]:
    """The CLI's answer for the same endpoint as the fingerprint, or (None, its error)."""
    from dkenv.engine.cli import docker_cli

    try:
        result = subprocess.run([docker_cli(), "info", "--format", _FINGERPRINT], capture_output=True, text=True,
                                env=endpoint.cli_environ(endpoint.cli_env(ep)), timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)
    if result.returncode != 0:
        return None, (result.stderr.strip().splitlines() or ["no output"])[-1]
    engine_id, _, rest = result.stdout.strip().partition("|")
    return ("" if kind_name.startswith("podman") else engine_id) + "|" + rest, ""


def cli_mismatch(engine) -> str | None:
    """None when the docker CLI, given the variables dkenv gives it, reaches the SDK's engine;
    else one line saying how it differs (or why the CLI cannot reach it)."""
    ep = engine.endpoint or endpoint.resolve()
    name = kind(engine)
    want = fingerprint(facts(engine)["info"], name)
    got, error = cli_fingerprint(ep, name)
    if got is None:
        return f"the docker CLI cannot reach {ep.describe()}: {error}"
    if got != want:
        return (f"the docker CLI reaches another engine than the SDK at {ep.describe()} "
                f"(CLI: {got}; SDK: {want})")
    return None
