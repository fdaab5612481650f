"""Which engine dkenv talks to, resolved exactly as the docker CLI resolves it, so the
SDK (engine/engine.py), every `docker` CLI call and the shims reach the same one.

Order: DOCKER_HOST; else DOCKER_CONTEXT; else the current context in
$DOCKER_CONFIG/config.json (DOCKER_CONFIG defaults to ~/.docker); else the default
socket. A context is read from `contexts/meta/<sha256 of its name>/meta.json`
(Endpoints.docker.Host, SkipTLSVerify) and its TLS files from `contexts/tls/<same>/docker/`.

Pure: reads the environment and those files, never the engine. `cli_env` is what pins
a `docker` CLI process to the same engine (recorded for the shims by exec/pidfile.py).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from dkenv import hashing
from dkenv.engine import cli
from dkenv.errors import FatalError

DEFAULT_HOST = "unix:///var/run/docker.sock"
DEFAULT_CONTEXT = "default"
SELECTING = cli.SELECTING  # the variables that choose the CLI's engine


@dataclass(frozen=True)
class TLS:
    verify: bool
    ca: str | None = None  # file paths; None where absent
    cert: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class Endpoint:
    host: str  # unix:///..., tcp://..., ssh://user@host:port, npipe://...
    source: str  # what chose it, in words: "DOCKER_HOST", "context dkenv-podman (DOCKER_CONTEXT)"...
    context: str | None = None  # the context name, when a (non-default) context chose it
    config_dir: str = ""  # the docker config folder the context came from
    tls: TLS | None = None

    @property
    def scheme(self) -> str:
        return self.host.partition("://")[0]

    @property
    def remote(self) -> bool:
        """A network endpoint: the engine may be on another machine."""
        return self.scheme in ("ssh", "tcp", "http", "https")

    @property
    def ssh(self) -> bool:
        return self.scheme == "ssh"

    def describe(self) -> str:
        return f"{self.host} ({self.source})"


def config_dir(env: Mapping[str, str]) -> Path:
    explicit = env.get("DOCKER_CONFIG")
    if explicit:
        return Path(explicit)
    home = env.get("HOME") or os.path.expanduser("~")
    return Path(home) / ".docker"


def context_id(name: str) -> str:
    """The folder name the docker CLI stores a context under."""
    return hashing.sha256(name.encode())


def resolve(env: Mapping[str, str] | None = None) -> Endpoint:
    """The engine the docker CLI would use with this environment."""
    env = os.environ if env is None else env
    folder = config_dir(env)
    host = env.get("DOCKER_HOST", "")
    if host:
        return Endpoint(host, "DOCKER_HOST", config_dir=str(folder), tls=_env_tls(env, folder))
    name, why = env.get("DOCKER_CONTEXT", ""), "DOCKER_CONTEXT"
    if not name:
        name, why = _current_context(folder), f"the current context in {folder / 'config.json'}"
    if not name or name == DEFAULT_CONTEXT:
        return Endpoint(DEFAULT_HOST, "the default socket" if not name else f"context default ({why})",
                        config_dir=str(folder))
    return _context(name, why, folder)


def _env_tls(env: Mapping[str, str], folder: Path) -> TLS | None:
    """DOCKER_TLS_VERIFY / DOCKER_CERT_PATH, as the CLI reads them beside DOCKER_HOST."""
    verify = bool(env.get("DOCKER_TLS_VERIFY"))
    cert_path = env.get("DOCKER_CERT_PATH", "")
    if not verify and not cert_path:
        return None
    base = Path(cert_path) if cert_path else folder
    return TLS(verify, *(_present(base / f) for f in ("ca.pem", "cert.pem", "key.pem")))


def _current_context(folder: Path) -> str:
    path = folder / "config.json"
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return ""
    except (OSError, ValueError) as e:
        raise FatalError(f"dkenv: cannot read {path} (the docker CLI's configuration): {e}") from None
    return str(data.get("currentContext") or "") if isinstance(data, dict) else ""


def _context(name: str, why: str, folder: Path) -> Endpoint:
    meta = folder / "contexts" / "meta" / context_id(name) / "meta.json"
    try:
        data = json.loads(meta.read_text())
        docker = data["Endpoints"]["docker"]
        host = docker["Host"]
    except FileNotFoundError:
        raise FatalError(f"dkenv: the docker context {name!r} ({why}) does not exist in {folder / 'contexts'}; "
                         "`docker context ls` lists the contexts") from None
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise FatalError(f"dkenv: cannot read the docker context {name!r} from {meta}: {e}") from None
    tls_dir = folder / "contexts" / "tls" / context_id(name) / "docker"
    files = [_present(tls_dir / f) for f in ("ca.pem", "cert.pem", "key.pem")]
    skip = bool(docker.get("SkipTLSVerify"))
    tls = TLS(not skip, *files) if any(files) or skip else None
    return Endpoint(host, f"context {name} ({why})", context=name, config_dir=str(folder), tls=tls)


def _present(path: Path) -> str | None:
    return str(path) if path.is_file() else None


def cli_env(endpoint: Endpoint, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The selecting variables that make a `docker` CLI process reach `endpoint`, whatever
    the caller's environment says: a context by name (and its config folder), else the host
    with its TLS variables as they were."""
    env = os.environ if env is None else env
    if endpoint.context:
        return {"DOCKER_CONTEXT": endpoint.context, "DOCKER_CONFIG": endpoint.config_dir}
    pinned = {"DOCKER_HOST": endpoint.host}
    for key in ("DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
        if env.get(key):
            pinned[key] = env[key]
    return pinned


def cli_environ(pinned: Mapping[str, str], env: Mapping[str, str] | None = None) -> dict[str, str]:
    """A whole environment for a `docker` CLI subprocess: the caller's, with the selecting
    variables replaced by `pinned` (cli.pinned_environ, which the lean `dkenv exec` uses
    without this module's imports)."""
    return cli.pinned_environ(pinned, env)


def selection(env: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(DOCKER_HOST, DOCKER_CONTEXT) as set: what the pid file's fast path compares (the shims,
    in sh, can compare these two variables, not resolve a context)."""
    env = os.environ if env is None else env
    return env.get("DOCKER_HOST", ""), env.get("DOCKER_CONTEXT", "")
