"""The Docker Engine, through the Docker SDK: the only module that imports `docker`.

Everything here is a thin, named call; what to do is decided elsewhere (convergence.py).
The SDK is imported lazily so that `dkenv --help` and the shims' fallbacks start fast.
"""
from __future__ import annotations

from typing import Callable, Iterator

from dkenv import imageref
from dkenv.containers.spec import (
    LABEL_HASH,
    LABEL_PROJECT,
    LABEL_ROLE,
    LABEL_ROOT,
    ContainerSpec,
    ContainerState,
)
from dkenv.errors import FatalError


class BuildFailed(FatalError):
    """A failed image build; `error` is the Engine's reason (image/build.py says the rest)."""

    def __init__(self, error: str):
        super().__init__(f"dkenv: the image build failed: {error}")
        self.error = error


def client_for(ep, timeout: int = 300):
    """An SDK client for an endpoint (containers/endpoint.py), as the CLI would reach it:
    ssh:// through the docker CLI's own ssh (containers/sshrelay.py), TLS from the
    context's files or DOCKER_CERT_PATH."""
    import docker

    kwargs = {"base_url": ep.host, "timeout": timeout}
    if ep.ssh:
        from dkenv.containers import endpoint, sshrelay
        from dkenv.containers.execution import docker_cli

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
    containers/endpoint.py); one clear line when it cannot be reached. `out` (an Output)
    receives the Engine calls when it is verbose."""
    from dkenv.containers import endpoint

    ep = endpoint.resolve(env)
    try:
        client = client_for(ep, timeout)
        client.ping()
    except FatalError:
        raise
    except Exception as e:  # the SDK raises many kinds for the same cause
        reason = str(e).split("(")[-1].rstrip(")") if "(" in str(e) else str(e)
        if ep.ssh:  # what ssh or the remote docker said beats "connection aborted"
            from dkenv.containers import endpoint as _ep
            from dkenv.containers import sshrelay
            from dkenv.containers.execution import docker_cli

            reason = sshrelay.relay(docker_cli(), _ep.cli_env(ep)).last_error or reason
        raise FatalError(
            f"dkenv: cannot reach the Docker Engine at {ep.describe()}: {reason.strip()[:200]}. "
            "Check that the engine is running and that your user may use it (the docker group), "
            "or choose another with DOCKER_HOST or DOCKER_CONTEXT.") from None
    engine = Engine(client, log=out.debug if out is not None else None, verbose=bool(out is not None and out.verbose))
    engine.endpoint = ep
    return engine


def connect_recorded(record, out=None) -> "Engine":
    """The engine a pid-file record (containers/pidfile.py) names, as the shims reach it;
    without a record, or one that pins nothing, the environment's."""
    from dkenv.containers import endpoint

    return connect(out, env=endpoint.cli_environ(record.cli_env) if record is not None and record.cli_env else None)


class Engine:
    def __init__(self, client, log: Callable[[str], None] | None = None, verbose: bool = False):
        self.client = client
        self.api = client.api
        self.log = log
        self.verbose = verbose  # -v: callers show raw output (the build log) too
        self.endpoint = None  # the containers/endpoint.Endpoint it was made from (connect sets it)
        self.facts: dict = {}  # what the engine said about itself, asked once (containers/engineinfo.py)

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
        """GET from Podman's own API (the SDK knows only the Docker API)."""
        self._log(f"GET /libpod/{path}")
        return self.api._result(self.api._get(f"{self.api.base_url}/v4.0.0/libpod/{path}"), json=True)

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

    # --- images ---

    def image_exists(self, tag: str) -> bool:
        self._log(f"GET /images/{tag}/json")
        try:
            self.api.inspect_image(tag)
            return True
        except self._errors().ImageNotFound:
            return False

    def build(self, context: str, tag: str, *, nocache: bool, pull: bool, labels: dict[str, str],
              buildargs: dict[str, str], on_output: Callable[[str], None], dockerfile: str | None = None) -> None:
        """Build, passing Docker's output to `on_output` as it comes (text, newlines
        included); BuildFailed carries the Engine's error. `dockerfile`: its path in the
        context (default: Dockerfile)."""
        self._log(f"POST /build t={tag} nocache={nocache} pull={pull}")
        try:
            for chunk in self.api.build(path=context, tag=tag, rm=True, forcerm=True, nocache=nocache,
                                        pull=pull, decode=True, labels=labels, buildargs=buildargs,
                                        dockerfile=dockerfile):
                text = _build_text(chunk)
                if text:
                    on_output(text)
                if "error" in chunk:
                    raise BuildFailed(str(chunk.get("error") or "").strip() or "no reason given")
        except self._errors().APIError as e:
            raise BuildFailed(str(e.explanation or e).strip()) from None

    def pull(self, image: str, on_message: Callable[[dict], None]) -> str | None:
        """Pull `image`, passing each of the Engine's progress messages to `on_message`;
        the error, or None."""
        self._log(f"POST /images/create fromImage={image}")
        repo, tag = imageref.split(image) if "@" not in image else (image, None)
        try:
            for chunk in self.api.pull(repo, tag=tag, stream=True, decode=True):
                if "error" in chunk:
                    return str(chunk["error"]).strip()[:300]
                on_message(chunk)
        except Exception as e:  # the SDK raises several kinds for an unreachable registry
            return (getattr(e, "explanation", None) or str(e)).strip()[:300]
        return None

    def image_size(self, tag: str) -> int | None:
        """The image's size in bytes, None when the Engine does not say."""
        self._log(f"GET /images/{tag}/json")
        try:
            size = self.api.inspect_image(tag).get("Size")
        except self._errors().APIError:
            return None
        return size if isinstance(size, int) and size > 0 else None

    def tag_image(self, image: str, repository: str, tag: str) -> None:
        """Give `image` another name (`repository:tag`), moving it from any image that had it."""
        self._log(f"POST /images/{image}/tag repo={repository} tag={tag}")
        self.api.tag(image, repository, tag, force=True)

    def project_images(self, project: str) -> list[tuple[str, list[str]]]:
        self._log(f"GET /images/json label={LABEL_PROJECT}={project}")
        return [(img["Id"], [imageref.familiar(t) for t in img.get("RepoTags") or []])
                for img in self.api.images(filters={"label": f"{LABEL_PROJECT}={project}"})]

    def remove_image(self, image_id: str) -> bool:
        self._log(f"DELETE /images/{image_id}")
        try:
            self.api.remove_image(image_id)
            return True
        except self._errors().APIError:
            return False  # in use, or already gone

    # --- networks ---

    def ensure_network(self, name: str, labels: dict[str, str]) -> None:
        self._log(f"GET /networks name={name}")
        if not any(n["Name"] == name for n in self.api.networks(names=[name])):
            self._log(f"POST /networks/create {name}")
            self.api.create_network(name, driver="bridge", labels=labels)

    def remove_network(self, name: str) -> bool:
        """Remove the network; False when it is kept because containers are still attached."""
        for net in self.api.networks(names=[name]):
            if net["Name"] == name:
                self._log(f"DELETE /networks/{name}")
                try:
                    self.api.remove_network(net["Id"])
                except self._errors().APIError:  # active endpoints (403)
                    return False
        return True

    # --- containers ---

    def containers(self, project: str = "", *, root: str = "") -> dict[str, ContainerState]:
        """Every container (any state) of the project, or labelled with the root, by name."""
        label = f"{LABEL_ROOT}={root}" if root else f"{LABEL_PROJECT}={project}"
        self._log(f"GET /containers/json all=1 label={label}")
        found = self.api.containers(all=True, filters={"label": label})
        return {s.name: s for s in (self.state(c["Id"]) for c in found) if s}

    def labelled_projects(self) -> list[tuple[str, str, bool]]:
        """(root, project, True) of every dkenv container (any state), then (root, project, False)
        of every dkenv image: what the name registry is rebuilt from."""
        self._log(f"GET /containers/json all=1 label={LABEL_ROOT}; GET /images/json label={LABEL_ROOT}")
        found = [(c.get("Labels") or {}, True) for c in self.api.containers(all=True, filters={"label": LABEL_ROOT})]
        found += [(i.get("Labels") or {}, False) for i in self.api.images(filters={"label": LABEL_ROOT})]
        return [(labels.get(LABEL_ROOT, ""), labels.get(LABEL_PROJECT, ""), is_container)
                for labels, is_container in found]

    def all_dkenv_containers(self) -> list[ContainerState]:
        found = self.api.containers(filters={"label": LABEL_PROJECT})
        return [s for s in (self.state(c["Id"]) for c in found) if s]

    def state(self, name_or_id: str) -> ContainerState | None:
        self._log(f"GET /containers/{name_or_id}/json")
        try:
            info = self.api.inspect_container(name_or_id)
        except self._errors().NotFound:
            return None
        labels = info["Config"].get("Labels") or {}
        ports = []
        for port, bindings in (info["HostConfig"].get("PortBindings") or {}).items():
            for b in bindings or []:
                if b.get("HostPort"):
                    ports.append((b.get("HostIp") or "0.0.0.0", int(b["HostPort"]), int(port.split("/")[0])))
        return ContainerState(
            name=info["Name"].lstrip("/"), id=info["Id"], status=info["State"]["Status"],
            role=labels.get(LABEL_ROLE, ""), config_hash=labels.get(LABEL_HASH, ""),
            image=imageref.familiar(info["Config"]["Image"]), pid=info["State"].get("Pid") or 0,
            health=(info["State"].get("Health") or {}).get("Status"), ports=ports, labels=labels,
            exit_code=info["State"].get("ExitCode") or 0)

    def create(self, spec: ContainerSpec, labels: dict[str, str], network: str) -> None:
        api = self.api
        self._log(f"POST /containers/create name={spec.name} image={spec.image}")
        host_config = api.create_host_config(
            mounts=[self._mount(m) for m in spec.mounts],
            port_bindings={f"{p.container}/tcp": (p.bind, p.host) for p in spec.ports},
            network_mode=network, init=spec.init, group_add=spec.group_add or None)
        if spec.userns:  # the SDK accepts only "host"; the API takes Podman's keep-id as it is
            host_config["UsernsMode"] = spec.userns
        health = None
        if spec.healthcheck:
            h = spec.healthcheck
            health = {"test": ["CMD-SHELL", h.test], "interval": int(h.interval * 1e9),
                      "timeout": int(h.timeout * 1e9), "retries": h.retries,
                      "start_period": int(h.start_period * 1e9)}
        api.create_container(
            image=spec.image, name=spec.name, command=spec.command, entrypoint=spec.entrypoint,
            environment=dict(spec.env), labels=labels, user=spec.user or "", working_dir=spec.working_dir,
            ports=[p.container for p in spec.ports], host_config=host_config, healthcheck=health,
            stop_signal=spec.stop_signal, stop_timeout=spec.stop_timeout,
            networking_config=api.create_networking_config(
                {network: api.create_endpoint_config(aliases=[spec.role])}),
        )

    @staticmethod
    def _mount(m):
        from docker.types import Mount

        return Mount(target=m.target, source=m.source, type="bind", read_only=m.read_only)

    def start(self, name: str) -> None:
        self._log(f"POST /containers/{name}/start")
        try:
            self.api.start(name)
        except self._errors().APIError as e:
            raise FatalError(f"dkenv: cannot start {name}: {e.explanation or e}") from None

    def unpause(self, name: str) -> None:
        self._log(f"POST /containers/{name}/unpause")
        try:
            self.api.unpause(name)
        except self._errors().APIError as e:
            raise FatalError(f"dkenv: cannot unpause {name}: {e.explanation or e}") from None

    def stop(self, name: str) -> None:
        """Stop with the container's stop signal, SIGKILL after its stop timeout (like `docker stop`)."""
        self._log(f"POST /containers/{name}/stop")
        try:
            self.api.stop(name)  # no `t`: the Engine uses the container's own StopTimeout
        except self._errors().NotFound:
            pass

    def stop_and_remove(self, name: str) -> None:
        """A clean shutdown first (a database flushes, nothing needs recovery), then removal."""
        self.stop(name)
        self.remove(name)

    def remove(self, name: str) -> None:
        self._log(f"DELETE /containers/{name}?force=1")
        try:
            self.api.remove_container(name, force=True)
        except self._errors().NotFound:
            pass

    def logs(self, name: str, *, tail: str | int = "all", follow: bool = False) -> Iterator[bytes]:
        self._log(f"GET /containers/{name}/logs tail={tail} follow={follow}")
        tail = tail if tail == "all" else int(tail)
        if follow:
            return self.api.logs(name, stream=True, follow=True, tail=tail)
        return iter([self.api.logs(name, tail=tail)])

    def log_tail(self, name: str, lines: int) -> str:
        """The last lines of a container's log as text ("" when there is none to read)."""
        try:
            return b"".join(self.logs(name, tail=lines)).decode(errors="replace").rstrip()
        except self._errors().APIError:
            return ""

    def changes(self, name: str) -> list[tuple[str, int]]:
        """What the container changed in its image's files: (path, kind 0 changed, 1 added, 2 deleted)."""
        self._log(f"GET /containers/{name}/changes")
        try:
            return [(c["Path"], c["Kind"]) for c in self.api.diff(name) or []]
        except self._errors().APIError:
            return []

    def exec_capture(self, container: str, argv: list[str], user: str = "") -> tuple[int, bytes]:
        """Run argv to completion and return (exit code, stdout+stderr)."""
        self._log(f"POST /containers/{container}/exec {argv!r}")
        created = self.api.exec_create(container, argv, user=user)
        output = self.api.exec_start(created["Id"])
        return self.api.exec_inspect(created["Id"])["ExitCode"], output

    def run_once(self, image: str, argv: list[str], mounts: list, user: str = "0:0",
                 userns: str | None = None) -> tuple[int, bytes]:
        """A throwaway container (removed afterwards): (exit code, output)."""
        self._log(f"POST /containers/create (throwaway) image={image} {argv!r}")
        host_config = self.api.create_host_config(mounts=[self._mount(m) for m in mounts])
        if userns:  # as the containers it acts for (keep-id on rootless Podman)
            host_config["UsernsMode"] = userns
        container = self.api.create_container(image=image, command=argv, entrypoint=[], user=user,
                                              host_config=host_config)
        try:
            self.api.start(container["Id"])
            code = self.api.wait(container["Id"])["StatusCode"]
            return code, self.api.logs(container["Id"])
        finally:
            self.api.remove_container(container["Id"], force=True)

    # --- diagnosis (`dkenv doctor`) ---

    def local_images(self) -> list[str]:
        """Every tagged image present, as repo:tag."""
        self._log("GET /images/json")
        return [tag for img in self.api.images() for tag in img.get("RepoTags") or [] if tag != "<none>:<none>"]

    def start_probe(self, image: str, mounts: list, user: str, userns: str | None = None) -> str:
        """A throwaway container (`sleep` under docker-init, `mounts` bound) started; its id.
        The caller removes it with `remove`."""
        self._log(f"POST /containers/create (probe) image={image}")
        host_config = self.api.create_host_config(mounts=[self._mount(m) for m in mounts], init=True)
        if userns:
            host_config["UsernsMode"] = userns
        container = self.api.create_container(
            image=image, command=["sleep", "120"], entrypoint=[], user=user, labels={"dkenv.probe": "1"},
            host_config=host_config)
        try:
            self.api.start(container["Id"])
        except self._errors().APIError:
            self.api.remove_container(container["Id"], force=True)
            raise
        return container["Id"]

    # --- files out of a container (the IDE's copy of the venv's site-packages) ---

    def archive(self, container: str, path: str) -> Iterator[bytes]:
        """`path` in the container as a tar stream, its last component the top folder."""
        self._log(f"GET /containers/{container}/archive?path={path}")
        try:
            stream, _ = self.api.get_archive(container, path)
        except self._errors().APIError as e:
            raise FatalError(f"dkenv: cannot read {path} in {container}: {e.explanation or e}") from None
        return stream


def _build_text(chunk: dict) -> str:
    """A build chunk's text: a step's output as is, a pull's status as one line each
    (its download progress left out)."""
    if chunk.get("stream"):
        return chunk["stream"]
    status = chunk.get("status")
    if not status or chunk.get("progressDetail"):
        return ""
    return f"{chunk['id']}: {status}\n" if chunk.get("id") else f"{status}\n"


def sdk_version() -> str:
    import docker

    return docker.__version__


def api_error(e: Exception) -> str | None:
    """The Engine's own message when `e` is an SDK error, else None."""
    import docker.errors

    if isinstance(e, docker.errors.DockerException):
        return (getattr(e, "explanation", None) or str(e)).strip()[:300]
    return None

