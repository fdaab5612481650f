"""The one fake Docker Engine of the unit tests: dkenv's real `Engine` (engine/engine.py and
its thin calls) over `FakeDocker`, a stand-in for the daemon as the SDK's low-level client
(`docker.APIClient`) answers it. It keeps containers, images and networks as the Engine
would, and writes down every call that changes something, so a test can say what `up`
built, created, started, stopped and removed, and in which order.

    docker = FakeDocker()
    eng = engine(docker)             # the real Engine, its calls answered by `docker`
    ... up(project, eng, ...) ...
    assert docker.acts() == [("build", TAG), ("create", "dkenv-demo"), ("start", "dkenv-demo")]

What a test needs to script it sets on the FakeDocker: the build's output (`build_output`,
`build_error`, `build_raises`), a pull's messages (`pull_messages`, `pull_error`, `tick`),
what an exec or a throwaway container does (`on_exec`, `on_run`), a container's health,
log, changes or successive states (`health`, `logs_text`, `diffs`, `timeline`). Nothing here
reaches a real engine; `docker` (the SDK) is imported only for its error classes, as
engine.py does.
"""
from __future__ import annotations

import itertools
import socket
from typing import Callable, Iterable

from docker import errors as sdk_errors

from dkenv.engine.engine import Engine
from dkenv.engine.spec import Mount

CHANGES = ("build", "pull", "create", "start", "stop", "remove", "unpause", "network", "remove_image", "run")
CONTAINER_ACTS = ("build", "create", "start", "stop", "remove", "unpause")


def engine(docker: "FakeDocker | None" = None, *, verbose: bool = False, progress: str = "auto",
           log: Callable[[str], None] | None = None) -> Engine:
    """dkenv's Engine over a FakeDocker (a new one when not given: `engine().api` is it)."""
    docker = docker if docker is not None else FakeDocker()
    return Engine(FakeClient(docker), log=log, verbose=verbose, progress=progress)


class FakeClient:
    """What `docker.DockerClient` gives the Engine: `api`, and `ping` for `connect`."""

    def __init__(self, api: "FakeDocker"):
        self.api = api

    def ping(self) -> bool:
        return True


def not_found(what: str, image: bool = False) -> Exception:
    return (sdk_errors.ImageNotFound if image else sdk_errors.NotFound)(f"No such {what}")


class FakeDocker:
    """The daemon's state and the low-level calls engine/engine.py, containers.py and
    images.py make, answered as the Docker Engine API answers them."""

    base_url = "http+docker://fake"

    def __init__(self, *, images: Iterable[str] = ("postgres:15", "postgres:16", "redis:7", "debian:bookworm-slim",
                                                   "python:3.11-slim-bookworm"),
                 info: dict | None = None, version: dict | None = None):
        self.calls: list[tuple[str, str]] = []  # (verb, name) of every call that changes something
        self.listings: list[str] = []  # the label filter of every list of images (each walks the engine's all)
        self.containers_by_name: dict[str, dict] = {}
        self._images: dict[str, dict] = {tag: {"Id": f"sha256:{tag}", "RepoTags": [tag], "Labels": {}, "Size": 1}
                                        for tag in images}
        self.networks_by_name: dict[str, dict] = {}
        self.info_data = info if info is not None else {
            "ID": "FAKE:ENGINE", "Name": socket.gethostname(), "OperatingSystem": "Debian GNU/Linux 12 (bookworm)",
            "DockerRootDir": "/var/lib/docker", "SecurityOptions": ["name=seccomp,profile=builtin"]}
        self.version_data = version if version is not None else {
            "Version": "24.0.7", "ApiVersion": "1.43", "Components": [{"Name": "Engine", "Version": "24.0.7"}]}
        # scripts
        self.health = "healthy"  # a started container's health, when it has a healthcheck
        self.timeline: dict[str, list[dict]] = {}  # name -> successive State overrides, one per inspect
        self.logs_text: dict[str, bytes] = {}
        self.diffs: dict[str, list[dict]] = {}
        self.build_output: str | list[dict] = ""  # text (sent in 37-character pieces) or the raw chunks
        self.build_error = ""
        self.build_raises: BaseException | None = None  # raised after the output (Ctrl-C in the middle)
        self.image_size = 123_456_789
        self.pull_messages: list[dict] = []
        self.pull_error = ""
        self.tick: Callable[[], None] | None = None  # before each pull message (a test's clock)
        self.on_exec: Callable[[str, list[str], str], tuple[int, bytes]] = lambda container, argv, user: (0, b"")
        self.on_run: Callable[[str, list, list[Mount], str], tuple[int, bytes]] = \
            lambda image, argv, mounts, user: (0, b"")
        self.on_archive: Callable[[str, str], Iterable[bytes]] | None = None
        self.refuse: dict[str, str] = {}  # verb (create, start, unpause) -> the Engine's explanation
        self.runs: list[tuple[str, list, list[Mount], str, str | None]] = []  # throwaway containers
        self.builds: list[dict] = []  # the keyword arguments of each build
        self.volumes: dict[str, dict] = {}
        self.commits: list = []  # the changes of each commit
        self.commit_error = ""  # the Engine's explanation when it refuses a commit
        self._ids = itertools.count(1)
        self._execs: dict[str, tuple[str, list[str], str]] = {}
        self._exit: dict[str, int] = {}

    # --- what a test reads ---

    def acts(self, verbs: Iterable[str] = CONTAINER_ACTS) -> list[tuple[str, str]]:
        """The calls that changed something, of these verbs, in order."""
        return [c for c in self.calls if c[0] in verbs]

    def state_of(self, name: str) -> str | None:
        c = self.containers_by_name.get(name)
        return c["State"]["Status"] if c else None

    def seed(self, name: str, *, image: str = "i", labels: dict | None = None, status: str = "running",
             health: str | None = None, exit_code: int = 0) -> dict:
        """A container that exists before the test (no call written down)."""
        state = {"Status": status, "Pid": 30000 + next(self._ids) if status == "running" else 0, "ExitCode": exit_code}
        if health is not None:
            state["Health"] = {"Status": health}
        self.containers_by_name[name] = {
            "Id": f"{next(self._ids):064x}", "Name": "/" + name,
            "Config": {"Image": image, "Cmd": None, "Labels": dict(labels or {}), "User": "", "Env": {}},
            "HostConfig": {"Mounts": [], "PortBindings": {}}, "State": state}
        return self.containers_by_name[name]

    def pause(self, name: str) -> None:
        self.containers_by_name[name]["State"]["Status"] = "paused"

    def stopped(self, name: str, code: int = 0) -> None:
        self.containers_by_name[name]["State"].update(Status="exited", Pid=0, ExitCode=code)

    def image_tags(self) -> list[str]:
        return sorted(self._images)

    def add_image(self, tag: str, labels: dict | None = None) -> None:
        self._images[tag] = {"Id": f"sha256:{tag}", "RepoTags": [tag], "Labels": dict(labels or {}),
                            "Size": self.image_size}

    def _record(self, verb: str, name: str) -> None:
        if verb in self.refuse:
            raise sdk_errors.APIError(f"500 Server Error: {verb} {name}", explanation=self.refuse[verb])
        self.calls.append((verb, name))

    def _container(self, name_or_id: str) -> dict:
        found = self.containers_by_name.get(name_or_id) or next(
            (c for c in self.containers_by_name.values() if c["Id"] == name_or_id), None)
        if found is None:
            raise not_found(f"container: {name_or_id}")
        return found

    # --- the engine ---

    def version(self) -> dict:
        return self.version_data

    def info(self) -> dict:
        return self.info_data

    # --- networks ---

    def networks(self, names=None) -> list[dict]:
        return [n for n in self.networks_by_name.values() if not names or n["Name"] in names]

    def create_network(self, name, driver="bridge", labels=None) -> dict:
        self._record("network", name)
        self.networks_by_name[name] = {"Name": name, "Id": f"net{next(self._ids)}", "Labels": labels or {}}
        return self.networks_by_name[name]

    def remove_network(self, net_id) -> None:
        name = next(n for n, v in self.networks_by_name.items() if v["Id"] == net_id)
        self._record("remove_network", name)
        del self.networks_by_name[name]

    # --- containers ---

    def containers(self, all=False, filters=None) -> list[dict]:
        label = (filters or {}).get("label", "")
        key, _, value = label.partition("=")
        found = []
        for c in self.containers_by_name.values():
            labels = c["Config"]["Labels"]
            if label and (key not in labels or ("=" in label and labels[key] != value)):
                continue
            if all or c["State"]["Status"] == "running":
                found.append({"Id": c["Id"], "Names": ["/" + c["Name"].lstrip("/")], "Labels": labels})
        return found

    def inspect_container(self, name_or_id) -> dict:
        c = self._container(name_or_id)
        steps = self.timeline.get(c["Name"].lstrip("/"))
        if steps:
            c["State"].update(steps.pop(0) if len(steps) > 1 else steps[0])
        return c

    @staticmethod
    def create_host_config(mounts=None, port_bindings=None, network_mode=None, init=None, group_add=None,
                           **kwargs) -> dict:
        bindings = {port: [{"HostIp": bind, "HostPort": str(host)}]
                    for port, (bind, host) in (port_bindings or {}).items()}
        return {"Mounts": list(mounts or []), "PortBindings": bindings, "NetworkMode": network_mode,
                "Init": init, "GroupAdd": group_add, **kwargs}

    @staticmethod
    def create_networking_config(endpoints) -> dict:
        return {"EndpointsConfig": endpoints}

    @staticmethod
    def create_endpoint_config(aliases=None) -> dict:
        return {"Aliases": aliases}

    def create_container(self, image, command=None, name=None, entrypoint=None, environment=None, labels=None,
                         user="", working_dir=None, ports=None, host_config=None, healthcheck=None,
                         stop_signal=None, stop_timeout=None, networking_config=None, **kwargs) -> dict:
        host_config = host_config or {}
        if image not in self._images:
            raise not_found(f"image: {image}", image=True)
        cid = f"{next(self._ids):064x}"
        if name is None:  # a throwaway container (run_once, a probe): no name
            self._exit[cid] = 0
            record = {"Id": cid, "Name": "/" + cid[:12], "Config": {"Image": image, "Cmd": command, "User": user,
                                                                      "Labels": labels or {}},
                      "HostConfig": host_config, "State": {"Status": "created", "Pid": 0}, "Throwaway": True}
            self.containers_by_name[cid[:12]] = record
            return {"Id": cid}
        if name in self.containers_by_name:
            raise sdk_errors.APIError(f"Conflict: the container name /{name} is already in use")
        self._record("create", name)
        self.containers_by_name[name] = {
            "Id": cid, "Name": "/" + name,
            "Config": {"Image": image, "Cmd": command, "Entrypoint": entrypoint, "Env": dict(environment or {}),
                       "Labels": dict(labels or {}), "User": user, "WorkingDir": working_dir,
                       "Healthcheck": healthcheck, "StopSignal": stop_signal, "StopTimeout": stop_timeout},
            "HostConfig": host_config, "NetworkingConfig": networking_config,
            "State": {"Status": "created", "Pid": 0, "ExitCode": 0}}
        return {"Id": cid}

    def start(self, name_or_id) -> None:
        c = self._container(name_or_id)
        if c.get("Throwaway"):
            self._run(c)
            return
        self._record("start", c["Name"].lstrip("/"))
        c["State"].update(Status="running", Pid=40000 + next(self._ids), ExitCode=0)
        if c["Config"].get("Healthcheck"):
            c["State"]["Health"] = {"Status": self.health}

    def _run(self, c: dict) -> None:
        """A throwaway container runs to its end at once: `on_run` says what it did."""
        mounts = [Mount(m["Source"], m["Target"], bool(m.get("ReadOnly"))) for m in c["HostConfig"]["Mounts"]]
        argv, user = c["Config"]["Cmd"], c["Config"]["User"]
        userns = c["HostConfig"].get("UsernsMode")
        self._record("run", c["Config"]["Image"])
        self.runs.append((c["Config"]["Image"], argv, mounts, user, userns))
        code, output = self.on_run(c["Config"]["Image"], argv, mounts, user)
        self._exit[c["Id"]] = code
        self.logs_text[c["Id"]] = output
        c["State"].update(Status="exited", ExitCode=code)

    def wait(self, name_or_id) -> dict:
        return {"StatusCode": self._exit.get(self._container(name_or_id)["Id"], 0)}

    def unpause(self, name) -> None:
        c = self._container(name)
        self._record("unpause", name)
        c["State"]["Status"] = "running"

    def stop(self, name) -> None:
        c = self._container(name)
        self._record("stop", name)
        c["State"].update(Status="exited", Pid=0)

    def remove_container(self, name_or_id, force=False) -> None:
        c = self._container(name_or_id)
        key = c["Name"].lstrip("/")
        if not c.get("Throwaway"):
            self._record("remove", key)
        del self.containers_by_name[key]

    def logs(self, name, stream=False, follow=False, tail="all"):
        key = name if name in self.logs_text else self._container(name)["Id"]
        text = self.logs_text.get(key, b"")
        if tail != "all":
            text = b"".join(text.splitlines(keepends=True)[-int(tail):])
        return iter([text]) if stream else text

    def diff(self, name) -> list[dict]:
        self._container(name)
        return self.diffs.get(name, [])

    def exec_create(self, container, cmd, user="") -> dict:
        self._container(container)
        exec_id = f"exec{next(self._ids)}"
        self._execs[exec_id] = (container, list(cmd), user)
        return {"Id": exec_id}

    def exec_start(self, exec_id) -> bytes:
        container, argv, user = self._execs[exec_id]
        code, output = self.on_exec(container, argv, user)
        self._exit[exec_id] = code
        return output

    def exec_inspect(self, exec_id) -> dict:
        return {"ExitCode": self._exit.get(exec_id, 0)}

    def get_archive(self, container, path):
        self._container(container)
        if self.on_archive is None:
            raise sdk_errors.NotFound(f"Could not find the file {path} in container {container}")
        return self.on_archive(container, path), {"name": path.rsplit("/", 1)[-1]}

    # --- images ---

    def inspect_volume(self, name) -> dict:
        if name not in self.volumes:
            raise sdk_errors.NotFound(f"no volume {name}")
        return self.volumes[name]

    def create_volume(self, name, labels=None) -> dict:
        self.volumes[name] = {"Name": name, "Labels": labels or {}}
        return self.volumes[name]

    def commit(self, container, message=None, changes=None) -> dict:
        self._record("commit", container)
        if self.commit_error:
            raise sdk_errors.APIError("500 Server Error", explanation=self.commit_error)
        self.commits.append(changes)
        return {"Id": f"sha256:{len(self.commits):064d}"}

    def inspect_image(self, tag) -> dict:
        if tag not in self._images:
            raise not_found(f"image: {tag}", image=True)
        image = self._images[tag]  # the labels where an inspect has them too
        return {**image, "Config": {"Labels": image["Labels"], **(image.get("Config") or {})}}

    def build(self, path=None, tag=None, dockerfile=None, labels=None, **kwargs):
        """The build's chunks, as the SDK decodes them; the image exists after a success."""
        self._record("build", tag)
        self.builds.append({"path": path, "tag": tag, "dockerfile": dockerfile, "labels": labels, **kwargs})
        if isinstance(self.build_output, str):
            yield from ({"stream": self.build_output[i:i + 37]} for i in range(0, len(self.build_output), 37))
        else:
            yield from self.build_output
        if self.build_raises is not None:
            raise self.build_raises
        if self.build_error:
            yield {"error": self.build_error, "errorDetail": {"message": self.build_error}}
            return
        self.add_image(tag, labels)

    def pull(self, repository, tag=None, stream=False, decode=False):
        image = f"{repository}:{tag}" if tag else repository
        self._record("pull", image)
        for message in self.pull_messages:
            if self.tick is not None:
                self.tick()
            yield message
        if self.pull_error:
            yield {"error": self.pull_error}
            return
        self.add_image(image)

    def tag(self, image, repository, tag=None, force=False) -> bool:
        self._record("tag", f"{repository}:{tag}")
        self._images[f"{repository}:{tag}"] = dict(self._images[image], RepoTags=[f"{repository}:{tag}"])
        return True

    def images(self, filters=None) -> list[dict]:
        label = (filters or {}).get("label", "")
        self.listings.append(label)
        key, _, value = label.partition("=")
        return [img for img in self._images.values()
                if not label or (key in img["Labels"] and ("=" not in label or img["Labels"][key] == value))]

    def remove_image(self, image_id) -> None:
        tag = next((t for t, img in self._images.items() if img["Id"] == image_id), None)
        if tag is None:
            raise not_found(f"image: {image_id}", image=True)
        if any(c["Config"]["Image"] == tag for c in self.containers_by_name.values()):
            raise sdk_errors.APIError(f"conflict: unable to remove {tag}: image is being used by a container")
        self._record("remove_image", tag)
        del self._images[tag]
