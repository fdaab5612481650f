"""dkenv/engine/engine.py, containers.py and images.py: the thin calls, as they ask the Docker
API and read its answers, against the fake daemon (tests/unit/fakeengine.py); connecting
to an engine that is not there. The calls against a real engine: tests/docker."""
from __future__ import annotations

import pytest
from docker import errors as sdk_errors

from dkenv.engine import engine as engine_module
from dkenv.engine.engine import BuildFailed, api_error
from dkenv.engine.images import _build_text
from dkenv.engine.spec import (
    LABEL_HASH,
    LABEL_PROJECT,
    LABEL_ROLE,
    LABEL_ROOT,
    ContainerSpec,
    Healthcheck,
    Mount,
    Port,
)
from dkenv.errors import FatalError
from tests.unit.fakeengine import FakeClient, FakeDocker, engine


def spec(**kwargs) -> ContainerSpec:
    fields = dict(name="dkenv-demo-db", role="db", image="postgres:15", command=["postgres"], env={"A": "1"},
                  mounts=[Mount("/p/data/db", "/var/lib/postgresql/data"), Mount("/ide", "/ide", read_only=True)],
                  ports=[Port("127.0.0.1", 15432, 5432)], user="1000:1000", stop_signal="SIGINT", stop_timeout=20)
    fields.update(kwargs)
    return ContainerSpec(**fields)


@pytest.fixture
def docker() -> FakeDocker:
    return FakeDocker()


def test_create_asks_for_the_spec_with_its_labels_on_the_network(docker):
    s = spec(healthcheck=Healthcheck("pg_isready", interval=1.5, timeout=5, retries=3, start_period=0.5),
             userns="keep-id", group_add=["postgres"])
    engine(docker).create(s, s.all_labels("demo", "/p"), "dkenv-demo")
    made = docker.containers_by_name["dkenv-demo-db"]
    config, host = made["Config"], made["HostConfig"]
    assert config["Image"] == "postgres:15" and config["Cmd"] == ["postgres"] and config["Env"] == {"A": "1"}
    assert config["Labels"] == {LABEL_PROJECT: "demo", LABEL_ROOT: "/p", LABEL_ROLE: "db", LABEL_HASH: s.config_hash()}
    assert config["Healthcheck"] == {"test": ["CMD-SHELL", "pg_isready"], "interval": 1_500_000_000,
                                     "timeout": 5_000_000_000, "retries": 3, "start_period": 500_000_000}
    assert config["StopSignal"] == "SIGINT" and config["StopTimeout"] == 20 and config["User"] == "1000:1000"
    assert [(m["Source"], m["Target"], m["Type"], m["ReadOnly"]) for m in host["Mounts"]] == [
        ("/p/data/db", "/var/lib/postgresql/data", "bind", False), ("/ide", "/ide", "bind", True)]
    assert host["PortBindings"] == {"5432/tcp": [{"HostIp": "127.0.0.1", "HostPort": "15432"}]}
    assert host["NetworkMode"] == "dkenv-demo" and host["Init"] is True and host["GroupAdd"] == ["postgres"]
    assert host["UsernsMode"] == "keep-id"  # passed as it is: the SDK knows only "host"
    assert made["NetworkingConfig"] == {"EndpointsConfig": {"dkenv-demo": {"Aliases": ["db"]}}}  # the role: its host name


def test_a_container_is_read_back_as_its_state(docker):
    eng = engine(docker)
    s = spec(healthcheck=Healthcheck("true"))
    eng.create(s, s.all_labels("demo", "/p"), "dkenv-demo")
    assert eng.state("dkenv-demo-db").status == "created"
    eng.start("dkenv-demo-db")
    state = eng.state("dkenv-demo-db")
    assert (state.name, state.role, state.config_hash, state.image) == ("dkenv-demo-db", "db", s.config_hash(),
                                                                       "postgres:15")
    assert state.running and state.pid > 0 and state.health == "healthy"
    assert state.ports == [("127.0.0.1", 15432, 5432)] and state.labels[LABEL_ROOT] == "/p"
    assert eng.state("dkenv-demo-nothing") is None


def test_containers_are_found_by_project_or_by_root_in_any_state(docker):
    docker.seed("dkenv-a", labels={LABEL_PROJECT: "a", LABEL_ROOT: "/a"})
    docker.seed("dkenv-a-db", labels={LABEL_PROJECT: "a", LABEL_ROOT: "/a"}, status="exited", exit_code=3)
    docker.seed("dkenv-b", labels={LABEL_PROJECT: "b", LABEL_ROOT: "/b"})
    docker.seed("other")
    eng = engine(docker)
    assert sorted(eng.containers("a")) == ["dkenv-a", "dkenv-a-db"]
    assert eng.containers("a")["dkenv-a-db"].exit_code == 3 and not eng.containers("a")["dkenv-a-db"].running
    assert sorted(eng.containers(root="/b")) == ["dkenv-b"]
    assert sorted(s.name for s in eng.all_dkenv_containers()) == ["dkenv-a", "dkenv-b"]  # running ones only
    docker.add_image("dkenv/a:1", {LABEL_PROJECT: "a", LABEL_ROOT: "/a"})
    assert sorted(eng.labelled_projects()) == [("/a", "a", False), ("/a", "a", True), ("/a", "a", True),
                                               ("/b", "b", True)]


def test_start_stop_unpause_and_remove(docker):
    eng = engine(docker)
    docker.seed("c", status="created")
    eng.start("c")
    docker.pause("c")
    eng.unpause("c")
    eng.stop_and_remove("c")
    assert docker.calls == [("start", "c"), ("unpause", "c"), ("stop", "c"), ("remove", "c")]
    eng.stop_and_remove("c")  # gone already: nothing to do, no error
    assert docker.calls[-2:] == [("stop", "c"), ("remove", "c")] and len(docker.calls) == 4


def test_a_refused_start_or_unpause_is_one_line_naming_the_container(docker):
    docker.seed("c", status="created")
    docker.refuse["start"] = "driver failed programming external connectivity: port is already allocated"
    with pytest.raises(FatalError) as info:
        engine(docker).start("c")
    assert str(info.value) == ("dkenv: cannot start c: driver failed programming external connectivity: "
                               "port is already allocated")
    docker.refuse = {"unpause": "not paused"}
    with pytest.raises(FatalError, match="^dkenv: cannot unpause c: not paused$"):
        engine(docker).unpause("c")


def test_the_network_is_made_once_and_removed(docker):
    eng = engine(docker)
    eng.ensure_network("dkenv-demo", {LABEL_PROJECT: "demo"})
    eng.ensure_network("dkenv-demo", {LABEL_PROJECT: "demo"})
    assert docker.calls == [("network", "dkenv-demo")]
    assert eng.remove_network("dkenv-demo") is True and docker.networks() == []
    assert eng.remove_network("dkenv-demo") is True  # none: nothing to keep


def test_images_present_built_pulled_and_removed(docker):
    eng = engine(docker)
    assert eng.image_exists("redis:7") and not eng.image_exists("dkenv/demo:1")
    said = []
    docker.build_output = "Step 1/1 : FROM python\n ---> 123\nSuccessfully built 123\n"
    eng.build("/ctx", "dkenv/demo:1", nocache=False, pull=False, labels={LABEL_PROJECT: "demo"}, buildargs={},
              on_output=said.append)
    assert "".join(said) == docker.build_output and eng.image_exists("dkenv/demo:1")
    assert eng.image_size("dkenv/demo:1") == 123_456_789
    assert eng.project_images("demo") == [("sha256:dkenv/demo:1", ["dkenv/demo:1"])]
    assert "dkenv/demo:1" in eng.local_images()
    eng.tag_image("dkenv/demo:1", "dkenv/demo", "prod")
    assert eng.image_exists("dkenv/demo:prod")
    assert eng.remove_image("sha256:dkenv/demo:1") is True and not eng.image_exists("dkenv/demo:1")
    assert eng.remove_image("sha256:gone") is False


def test_an_image_a_container_uses_is_not_removed(docker):
    docker.seed("c", image="redis:7")
    assert engine(docker).remove_image("sha256:redis:7") is False and engine(docker).image_exists("redis:7")


def test_a_failed_build_carries_the_engines_reason(docker):
    docker.build_output, docker.build_error = "Step 1/1 : RUN false\n", "The command returned a non-zero code: 1"
    said = []
    with pytest.raises(BuildFailed) as info:
        engine(docker).build("/ctx", "t:1", nocache=True, pull=True, labels={}, buildargs={"A": "1"},
                             on_output=said.append)
    assert info.value.error == "The command returned a non-zero code: 1" and info.value.exit_code == 1
    assert str(info.value) == "dkenv: the image build failed: The command returned a non-zero code: 1"
    assert "".join(said) == "Step 1/1 : RUN false\n"
    assert docker.builds[0]["nocache"] is True and docker.builds[0]["pull"] is True
    assert docker.builds[0]["buildargs"] == {"A": "1"} and not engine(docker).image_exists("t:1")


def test_build_chunks_as_text():
    assert _build_text({"stream": "Step 1/2 : FROM x\n"}) == "Step 1/2 : FROM x\n"
    assert _build_text({"status": "Pulling from library/python", "id": "3.11"}) == "3.11: Pulling from library/python\n"
    assert _build_text({"status": "Downloading", "id": "a", "progressDetail": {"current": 1}}) == ""
    assert _build_text({"status": "Digest: sha256:1"}) == "Digest: sha256:1\n"
    assert _build_text({"aux": {"ID": "sha256:1"}}) == ""


def test_a_pull_passes_the_messages_and_returns_the_error(docker):
    docker.pull_messages = [{"status": "Pulling fs layer", "id": "a"}, {"status": "Pull complete", "id": "a"}]
    seen = []
    eng = engine(docker)
    assert eng.pull("postgres:16.2", seen.append) is None
    assert seen == docker.pull_messages and ("pull", "postgres:16.2") in docker.calls
    docker.pull_error = "manifest for postgres:99 not found"
    assert eng.pull("postgres:99", seen.append) == "manifest for postgres:99 not found"
    assert not eng.image_exists("postgres:99")


def test_exec_capture_run_once_logs_changes_and_archive(docker):
    docker.seed("c")
    docker.on_exec = lambda container, argv, user: (3, f"{container} {' '.join(argv)} as {user}".encode())
    eng = engine(docker)
    assert eng.exec_capture("c", ["ls", "/x"], user="0:0") == (3, b"c ls /x as 0:0")
    docker.on_run = lambda image, argv, mounts, user: (0, b"done\n")
    assert eng.run_once("redis:7", ["true"], [Mount("/d", "/data")], user="0:0", userns="keep-id") == (0, b"done\n")
    assert docker.runs == [("redis:7", ["true"], [Mount("/d", "/data")], "0:0", "keep-id")]
    assert sorted(docker.containers_by_name) == ["c"]  # the throwaway container is removed
    docker.logs_text["c"] = b"one\ntwo\nthree\n"
    assert eng.log_tail("c", 2) == "two\nthree" and eng.log_tail("none", 2) == ""
    docker.diffs["c"] = [{"Path": "/opt/venv/x", "Kind": 1}]
    assert eng.changes("c") == [("/opt/venv/x", 1)]
    with pytest.raises(FatalError, match=r"^dkenv: cannot read /opt/venv in c: "):
        list(eng.archive("c", "/opt/venv"))


def test_every_call_is_said_with_verbose(docker):
    said = []
    eng = engine(docker, log=said.append)
    eng.image_exists("redis:7")
    eng.state("nothing")
    assert said == ["dkenv: engine: GET /images/redis:7/json", "dkenv: engine: GET /containers/nothing/json"]


def test_the_engine_is_asked_its_version_and_info(docker):
    eng = engine(docker)
    assert eng.version()["Version"] == "24.0.7" and eng.info()["ID"] == "FAKE:ENGINE"
    assert eng.podman_info() is None  # not Podman: the caller falls back
    eng.run_healthcheck("c")  # not Podman: the engine runs healthchecks itself, nothing asked
    assert docker.calls == []


def test_api_error_is_the_engines_own_message():
    assert api_error(sdk_errors.APIError("500 Server Error", explanation="no space left on device ")) == \
        "no space left on device"
    assert api_error(sdk_errors.DockerException("Error while fetching server API version")) == \
        "Error while fetching server API version"
    assert api_error(ValueError("x")) is None


def test_an_engine_that_is_not_there_is_one_line_saying_where_and_what_to_check(monkeypatch, tmp_path):
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/docker.sock")
    with pytest.raises(FatalError) as info:
        engine_module.connect(timeout=5)
    message = str(info.value)
    assert message.startswith(f"dkenv: cannot reach the Docker Engine at unix://{tmp_path}/docker.sock")
    assert "DOCKER_HOST" in message and "docker group" in message and "\n" not in message
    assert info.value.exit_code == 1


def test_connect_gives_the_engine_the_outputs_verbosity_and_progress(monkeypatch):
    from dkenv.output import Output

    made = []
    monkeypatch.setattr(engine_module, "client_for", lambda ep, timeout=300: made.append(ep) or FakeClient(FakeDocker()))
    monkeypatch.setenv("DOCKER_HOST", "tcp://10.0.0.9:2375")
    eng = engine_module.connect(Output(verbose=True, progress="plain"))
    assert eng.verbose is True and eng.progress == "plain" and eng.log is not None
    assert eng.endpoint is made[0] and made[0].host == "tcp://10.0.0.9:2375"


def test_the_dependency_step_is_committed_with_the_images_command_and_removed(docker):
    docker._images["python:3.11-slim-bookworm"]["Config"] = {"Cmd": ["python3"], "Entrypoint": None}
    committed = engine(docker).run_and_commit("python:3.11-slim-bookworm", "uv pip install -r r.txt",
                                              {"dkenv-uv-1500": "/var/cache/dkenv/uv"}, print, "dkenv-build-p-1")
    assert committed.startswith("sha256:") and docker.commits == [['CMD ["python3"]']]
    assert "dkenv-build-p-1" not in docker.containers_by_name  # removed


def test_a_refused_commit_is_a_build_failure_and_the_container_is_removed(docker):
    docker.commit_error = "CommitFailure: runroot must be set"
    with pytest.raises(BuildFailed, match="refused the dependency step's container: CommitFailure: runroot"):
        engine(docker).run_and_commit("python:3.11-slim-bookworm", "true", {}, print, "dkenv-build-p-2")
    assert "dkenv-build-p-2" not in docker.containers_by_name


def test_a_cache_volume_is_made_once_and_one_dkenv_did_not_make_is_refused(docker):
    eng = engine(docker)
    assert eng.ensure_volume("dkenv-uv-1500", "dkenv.cache", "uv") is True
    assert eng.ensure_volume("dkenv-uv-1500", "dkenv.cache", "uv") is False
    docker.volumes["dkenv-pip-1500"] = {"Name": "dkenv-pip-1500", "Labels": {}}
    with pytest.raises(FatalError, match="the volume dkenv-pip-1500 is not dkenv's package cache"):
        eng.ensure_volume("dkenv-pip-1500", "dkenv.cache", "pip")
