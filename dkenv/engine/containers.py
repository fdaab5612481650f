"""The Engine's container and network calls (a part of `engine/engine.Engine`):
state by label, create, start, stop, remove, logs, exec, throwaway containers, archives.
Thin and named; `docker` itself is imported by engine.py alone (`_errors`, `_mount`)."""
from __future__ import annotations

import io
from typing import Iterable, Iterator

from dkenv import imageref
from dkenv.engine.spec import LABEL_HASH, LABEL_PROJECT, LABEL_ROLE, LABEL_ROOT, ContainerSpec, ContainerState
from dkenv.errors import FatalError


class ContainerCalls:

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
                 userns: str | None = None, volumes: dict[str, str] | None = None) -> tuple[int, bytes]:
        """A throwaway container (removed afterwards), `mounts` bound and the named `volumes`
        (name -> target) mounted: (exit code, output)."""
        self._log(f"POST /containers/create (throwaway) image={image} {argv!r}")
        host_config = self.api.create_host_config(
            mounts=[*map(self._mount, mounts), *(self._volume(n, t) for n, t in (volumes or {}).items())])
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


class ChunkFile(io.RawIOBase):
    """A file reading the SDK's stream of byte chunks (`archive`'s): `io.BufferedReader(ChunkFile(chunks))`
    for tarfile's stream mode."""

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks = iter(chunks)
        self._rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._rest:
            try:
                self._rest = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._rest))
        buffer[:n] = self._rest[:n]
        self._rest = self._rest[n:]
        return n
