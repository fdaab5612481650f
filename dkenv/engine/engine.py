"""The Docker Engine, through the Docker SDK: the only module that imports `docker`.

Everything here is a thin, named call; what to do is decided elsewhere (convergence.py).
The SDK is imported lazily so that `dkenv --help` and the shims' fallbacks start fast.
"""
from __future__ import annotations

from typing import Callable

from dkenv.engine.containers import ContainerCalls
from dkenv.engine.images import BuildFailed, ImageCalls, reason
from dkenv.errors import FatalError

__all__ = ["BuildFailed", "Engine", "connect", "connect_recorded", "client_for", "sdk_version", "api_error"]


def client_for(ep, timeout: int = 300):
    """An SDK client for an endpoint (engine/endpoint.py), as the CLI would reach it:
    ssh:// through the docker CLI's own ssh (engine/sshrelay.py), TLS from the
    context's files or DOCKER_CERT_PATH."""
    import docker

    kwargs = {"base_url": ep.host, "timeout": timeout}
    if ep.ssh:
        from dkenv.engine import endpoint, sshrelay
        from dkenv.engine.cli import docker_cli

        kwargs["base_url"] = sshrelay.relay(docker_cli(), endpoint.cli_env(ep)).url
    if ep.tls is not None:
        from docker.tls import TLSConfig

        cert = (ep.tls.cert, ep.tls.key) if ep.tls.cert and ep.tls.key else None
        kwargs["tls"] = TLSConfig(client_cert=cert, ca_cert=ep.tls.ca if ep.tls.verify else None,
                                  verify=ep.tls.verify)
    return docker.DockerClient(**kwargs)


def connect(out=None, env=None, timeout: int = 300) -> "Engine":
    """A client for the engine the environment (`env`, default os.environ) selects
    (DOCKER_HOST, DOCKER_CONTEXT, the current context, the default socket:
    engine/endpoint.py); one clear line when it cannot be reached. `out` (an Output)
    receives the Engine calls when it is verbose."""
    from dkenv.engine import endpoint

    ep = endpoint.resolve(env)
    try:
        client = client_for(ep, timeout)
        client.ping()
    except FatalError:
        raise
    except Exception as e:  # the SDK raises many kinds for the same cause
        reason = str(e).split("(")[-1].rstrip(")") if "(" in str(e) else str(e)
        if ep.ssh:  # what ssh or the remote docker said beats "connection aborted"
            from dkenv.engine import endpoint as _ep
            from dkenv.engine import sshrelay
            from dkenv.engine.cli import docker_cli

            reason = sshrelay.relay(docker_cli(), _ep.cli_env(ep)).last_error or reason
        raise FatalError(
            f"dkenv: cannot reach the Docker Engine at {ep.describe()}: {reason.strip()[:200]}. "
            "Check that the engine is running and that your user may use it (the docker group), "
            "or choose another with DOCKER_HOST or DOCKER_CONTEXT.") from None
    engine = Engine(client, log=out.debug if out is not None else None, verbose=bool(out is not None and out.verbose),
                    progress=out.progress if out is not None else "auto")
    engine.endpoint = ep
    return engine


def connect_recorded(record, out=None) -> "Engine":
    """The engine a pid-file record (exec/pidfile.py) names, as the shims reach it;
    without a record, or one that pins nothing, the environment's."""
    from dkenv.engine import endpoint

    return connect(out, env=endpoint.cli_environ(record.cli_env) if record is not None and record.cli_env else None)


class Engine(ImageCalls, ContainerCalls):
    """The calls dkenv makes, each logged with -v; images in engineimages.py, containers
    and networks in enginecontainers.py."""

    def __init__(self, client, log: Callable[[str], None] | None = None, verbose: bool = False,
                 progress: str = "auto"):
        self.client = client
        self.api = client.api
        self.log = log
        self.verbose = verbose  # -v: callers show raw output (the build log) too
        self.progress = progress  # --progress: how builds and pulls show progress (image/buildscreen.py)
        self.endpoint = None  # the engine/endpoint.Endpoint it was made from (connect sets it)
        self.facts: dict = {}  # what the engine said about itself, asked once (engine/info.py)

    def _log(self, call: str) -> None:
        if self.log is not None:
            self.log(f"dkenv: engine: {call}")

    def _errors(self):
        import docker.errors

        return docker.errors

    # --- the engine itself ---

    def version(self) -> dict:
        self._log("GET /version")
        return self.api.version()

    def info(self) -> dict:
        self._log("GET /info")
        return self.api.info()

    def _libpod(self, path: str):
        """GET from Podman's own API, which the SDK does not know: through its client's public
        HTTP session (the SDK's APIClient is a `requests.Session`), its URL and its timeout."""
        self._log(f"GET /libpod/{path}")
        response = self.api.get(f"{self.api.base_url}/v4.0.0/libpod/{path}", timeout=self.api.timeout)
        response.raise_for_status()
        return response.json()

    def podman_info(self) -> dict | None:
        """Podman's own GET /libpod/info (it tells rootless), or None from any other engine."""
        try:
            return self._libpod("info")
        except Exception:  # not Podman, or an older one: the caller falls back
            return None

    def run_healthcheck(self, name: str) -> None:
        """Podman runs healthchecks from systemd timers: without systemd (WSL, containers, a
        minimal host) they never run, so on Podman dkenv runs the container's check itself
        (the result becomes the container's health). Elsewhere nothing."""
        if str(self.facts.get("kind", "")).startswith("podman"):
            try:
                self._libpod(f"containers/{name}/healthcheck")
            except Exception:  # the state read next says what matters
                pass

    @staticmethod
    def _mount(m):
        from docker.types import Mount

        return Mount(target=m.target, source=m.source, type="bind", read_only=m.read_only)

    @staticmethod
    def _volume(name: str, target: str):
        from docker.types import Mount

        return Mount(target=target, source=name, type="volume")


def sdk_version() -> str:
    import docker

    return docker.__version__


def api_error(e: Exception) -> str | None:
    """The Engine's own message when `e` is an SDK error, else None."""
    import docker.errors

    return reason(e) if isinstance(e, docker.errors.DockerException) else None

