"""The core of dkenv on every engine a developer has, as the unprivileged user dkdev
(../shared/dockerhost/engines up starts them): the rootful engine on the default
socket, rootless Docker (DOCKER_HOST), rootless Podman (a docker context) and a remote
engine over SSH (DOCKER_HOST=ssh://). One project per engine, with a redis service.

They run where the engines are: as UID 1500 with the engines' sockets present. Elsewhere
they skip, unless DKENV_REQUIRE_ENGINES=1 (CI), where they fail.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, make_project
from tests.docker.conftest import PIP_HEAD, SLIM_PYTHON

pytestmark = pytest.mark.docker

RUN = "/run/user/1500"
ROOTLESS = f"unix://{RUN}/docker.sock"
PODMAN = f"unix://{RUN}/podman/podman.sock"
SSH = "ssh://dkdev@127.0.0.1:2222"
SELECTING = ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH")
# engine -> (kind, endpoint the status names)
EXPECTED = {
    "rootful": ("docker", "unix:///var/run/docker.sock"),
    "rootless": ("docker-rootless", ROOTLESS),
    "podman": ("podman", PODMAN),
    "ssh": ("docker", SSH),
}
CONFIG = SLIM_PYTHON + """\
[services.cache]
template = "redis"
"""
REDIS = """
import os, socket, sys
from urllib.parse import urlparse
url = urlparse(os.environ["REDIS_URL"])
s = socket.create_connection((url.hostname, url.port or 6379))
s.sendall((" ".join(sys.argv[1:]) + "\\r\\n").encode())
print(s.recv(1000).decode().split("\\r\\n")[-2])
"""


def _engines_here() -> str | None:
    """Why the engines cannot be used here, or None."""
    if os.getuid() != 1500:
        return "the engines are dkdev's (UID 1500): run as dkdev"
    for sock in (f"{RUN}/docker.sock", f"{RUN}/podman/podman.sock"):
        if not Path(sock).is_socket():
            return f"{sock} is missing: run ../shared/dockerhost/engines up (as root)"
    return None


@pytest.fixture(scope="session")
def engines(docker_engine, tmp_path_factory):
    """The selecting variables of each engine; the Podman one through a context made in a
    docker config folder of its own (as `docker context create` writes it)."""
    why = _engines_here()
    if why:
        if os.environ.get("DKENV_REQUIRE_ENGINES") == "1":
            pytest.fail(f"DKENV_REQUIRE_ENGINES=1 but {why}")
        pytest.skip(why)
    config = tmp_path_factory.mktemp("docker-config")
    for name, host in (("dkenv-podman", PODMAN), ("dkenv-rootless", ROOTLESS)):
        subprocess.run(["docker", "context", "create", name, "--docker", f"host={host}"], check=True,
                       capture_output=True, env={**clean_env(), "DOCKER_CONFIG": str(config)})
    return {
        "rootful": {},
        "rootless": {"DOCKER_HOST": ROOTLESS},
        "podman": {"DOCKER_CONTEXT": "dkenv-podman", "DOCKER_CONFIG": str(config)},
        "ssh": {"DOCKER_HOST": SSH},
        "config": config,
    }


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any engine selection, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in SELECTING}
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


class EngineProject:
    def __init__(self, engine: str, selecting: dict[str, str]):
        self.engine = engine
        self.selecting = selecting
        self.project = make_project(f"eng-{engine}", {".dkenv.toml": CONFIG})
        self.root = self.project.root

    def run(self, *args: str, input: bytes | None = None, check: bool = True, env: dict | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
        full = clean_env(**self.selecting, **(env or {}))
        result = subprocess.run(list(args), cwd=cwd or self.root, input=input, env=full, capture_output=True,
                                timeout=900)
        if check and result.returncode != 0:
            raise AssertionError(f"{args} on {self.engine} exited {result.returncode}\n"
                                 f"stderr: {result.stderr.decode(errors='replace')[-3000:]}")
        return result

    def dkenv(self, *args: str, **kw) -> subprocess.CompletedProcess:
        return self.run(sys.executable, "-m", "dkenv", *args, **kw)


@pytest.fixture(scope="module", params=["rootful", "rootless", "podman", "ssh"])
def on_engine(request, engines):
    """A project up on one engine, down afterwards."""
    project = EngineProject(request.param, engines[request.param])
    project.dkenv("up")
    yield project
    project.dkenv("down", check=False)


def test_status_names_the_engine_kind_and_endpoint(on_engine):
    info = json.loads(on_engine.dkenv("status", "--json").stdout)
    kind, endpoint = EXPECTED[on_engine.engine]
    assert (info["engine"]["kind"], info["engine"]["endpoint"]) == (kind, endpoint)
    assert info["fresh"] and [c["state"] for c in info["containers"]] == ["running", "running"]
    text = on_engine.dkenv("status").stdout.decode()
    assert f"at {endpoint}" in text


def test_exit_codes_and_stdin(on_engine):
    assert on_engine.dkenv("exec", "true").returncode == 0
    assert on_engine.dkenv("exec", "sh", "-c", "exit 3", check=False).returncode == 3
    missing = on_engine.dkenv("exec", "no-such-command-dkenv", check=False)
    assert missing.returncode == 127 and b"no-such-command-dkenv" in missing.stderr
    data = os.urandom(1024 * 1024)
    copy = "import shutil, sys; shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)"
    out = on_engine.dkenv("exec", "python", "-c", copy, input=data).stdout
    assert hashlib.sha256(out).digest() == hashlib.sha256(data).digest()


def _tiny_wheel(folder: Path) -> Path:
    """A pure-Python wheel pip installs offline: installing it proves the venv is writable."""
    path = folder / "dkenvtiny-1.0-py3-none-any.whl"
    files = {"dkenvtiny.py": "VALUE = 42\n",
             "dkenvtiny-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: dkenvtiny\nVersion: 1.0\n",
             "dkenvtiny-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                                              "Tag: py3-none-any\n"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
        record = "".join(f"{n},,\n" for n in files) + "dkenvtiny-1.0.dist-info/RECORD,,\n"
        wheel.writestr("dkenvtiny-1.0.dist-info/RECORD", record)
    path.write_bytes(buffer.getvalue())
    return path


def test_files_made_inside_belong_to_the_host_user_and_pip_installs(on_engine):
    made = f"made-by-{on_engine.engine}"
    on_engine.dkenv("exec", "sh", "-c", f'touch "{made}" && mkdir -p "{made}-dir/sub" && touch "{made}-dir/sub/f"')
    for path in (on_engine.root / made, on_engine.root / f"{made}-dir" / "sub" / "f"):
        st = path.stat()
        assert (st.st_uid, st.st_gid) == (os.getuid(), os.getgid()), f"{path} on {on_engine.engine}"
    (on_engine.root / f"{made}-dir").joinpath("sub", "f").unlink()  # the host user can delete it too
    wheel = _tiny_wheel(on_engine.root)
    on_engine.dkenv("exec", "pip", "install", "-q", "--no-index", str(wheel))
    out = on_engine.dkenv("exec", "python", "-c", "import dkenvtiny, sys; print(dkenvtiny.VALUE, sys.prefix)")
    assert out.stdout.split() == [b"42", b"/opt/venv"]


def test_service_data_is_kept_across_down_and_up(on_engine):
    assert on_engine.dkenv("exec", "python", "-c", REDIS, "SET", "kept", on_engine.engine).stdout.strip() == b"+OK"
    assert on_engine.dkenv("exec", "python", "-c", REDIS, "SAVE").stdout.strip() == b"+OK"
    on_engine.dkenv("down")
    assert list((on_engine.root / "data" / "cache").iterdir()), "redis wrote nothing in data/cache"
    on_engine.dkenv("up")
    got = on_engine.dkenv("exec", "python", "-c", REDIS, "GET", "kept").stdout.strip()
    assert got == on_engine.engine.encode()


def test_shims_reach_the_engine_of_the_record(on_engine):
    """The shims use the pid file's engine and user: from an environment that selects no
    engine (an editor started from the desktop), `python` still runs in this project's
    container; where this machine cannot see the container's PID, straight through docker."""
    on_engine.dkenv("rehash")
    pid_file = on_engine.root / ".dkenv" / "run" / "container.pid"
    assert pid_file.read_text().split()[0].isdigit()  # visible here: the fast path
    shim = str(on_engine.root / ".dkenv" / "shims" / "python")
    code = "import os; open('by-shim', 'w'); print(os.getuid())"
    bare = {k: v for k, v in clean_env().items()}
    for env in (clean_env(**on_engine.selecting), bare):
        (on_engine.root / "by-shim").unlink(missing_ok=True)
        result = subprocess.run([shim, "-c", code], cwd=on_engine.root, env={**env, "PWD": str(on_engine.root)},
                                capture_output=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert (on_engine.root / "by-shim").stat().st_uid == os.getuid()
    # as on an engine in a VM or on another machine: no visible PID
    lines = pid_file.read_text().split("\n")
    pid_file.write_text("\n".join([f"- {lines[0].split()[1]}", *lines[1:]]))
    result = subprocess.run([shim, "-c", "print('direct')"], cwd=on_engine.root,
                            env={**bare, "PWD": str(on_engine.root)}, capture_output=True, timeout=300)
    assert result.returncode == 0 and result.stdout == b"direct\n", result.stderr
    assert pid_file.read_text().startswith("- ")  # dkenv was not started (it rewrites the record)
    on_engine.dkenv("up")  # the record as `up` writes it, for the tests after this one


def test_sdk_and_cli_reach_the_same_engine_under_a_context(engines):
    """DOCKER_CONTEXT and the current context of config.json: dkenv's SDK client and the
    docker CLI it runs answer from the same engine, and that engine is not the default."""
    probe = ("import json; from dkenv.engine import engine, info as engineinfo; e = engine.connect(); "
             "print(json.dumps([*engineinfo.describe(e), engineinfo.cli_mismatch(e), "
             "engineinfo.fingerprint(engineinfo.facts(e)['info'], engineinfo.kind(e))]))")
    config = engines["config"]

    def ask(**env):
        out = subprocess.run([sys.executable, "-c", probe], env=clean_env(**env), capture_output=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    default = ask()
    podman = ask(DOCKER_CONTEXT="dkenv-podman", DOCKER_CONFIG=str(config))
    assert podman[:4] == ["podman", PODMAN, "context dkenv-podman (DOCKER_CONTEXT)", None]
    current = config.parent / "current-context"
    shutil.copytree(config, current)
    (current / "config.json").write_text(json.dumps({"currentContext": "dkenv-rootless"}))
    rootless = ask(DOCKER_CONFIG=str(current))
    assert rootless[0] == "docker-rootless" and rootless[3] is None
    assert "config.json" in rootless[2]
    assert len({default[4], podman[4], rootless[4]}) == 3  # three engines, told apart


def test_a_folder_the_engine_does_not_see_stops_up_with_the_two_ways(engines, tmp_path):
    """Rootless Docker in its own mount namespace as a stand-in for a remote engine: the
    project lives on a tmpfs only dkenv's namespace has; the engine sees an empty folder."""
    if subprocess.run(["unshare", "-Urm", "true"], capture_output=True).returncode != 0:
        pytest.skip("unprivileged user namespaces are off here")
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    script = (f'mount -t tmpfs tmpfs "{hidden}" && cd "{hidden}" && '
              f"printf '[project]\\nname = \"hidden\"\\n[image]\\nbase = \"python:3.11-slim-bookworm\"\\n"
              f"install = \"none\"\\n' > .dkenv.toml && exec \"{sys.executable}\" -m dkenv up")
    result = subprocess.run(["unshare", "-Urm", "sh", "-c", script], env=clean_env(DOCKER_HOST=ROOTLESS),
                            capture_output=True, timeout=300)
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "does not see this folder" in err and "run dkenv on the engine's machine" in err
    assert "share or sync this folder" in err and "Traceback" not in err
    assert not re.search(r"^dkenv: (building|built) ", err, re.M)  # stopped before any build


@pytest.mark.parametrize("engine, route", [("podman", "Podman's builder, cache mounts"),
                                           ("ssh", "the classic builder, cache volumes")])
def test_a_second_project_installs_from_its_engines_package_cache(engines, engine, route):
    """No BuildKit CLI for these engines: Podman's builder takes the cache mounts itself; Docker
    over ssh gets the cache volumes (image/buildroute.py). The second project, with the same pins
    in another order, fetches nothing (uv's own words)."""
    for n, pins in enumerate(("six==1.16.0\nidna==3.7\n", "idna==3.7\nsix==1.16.0\n")):
        project = make_project(f"pkgcache-{engine}-{n}", {".dkenv.toml": PIP_HEAD, "requirements.txt": "# @NAME@\n" + pins})
        result = subprocess.run([sys.executable, "-m", "dkenv", "build"], cwd=project.root, capture_output=True,
                                env=clean_env(**engines[engine]), timeout=900)
        said = result.stderr.decode()
        assert result.returncode == 0, said[-3000:]
        assert re.search(rf"^dkenv: building \S+ with {re.escape(route)}", said, re.M), said
    log = (project.root / ".dkenv" / "build.log").read_text()
    step = re.search(r"^(?:Step|STEP) \d+/\d+ ?: RUN .*?PIP_CACHE_DIR=.*?(?=^(?:Step|STEP) \d+/\d+ ?: )", log, re.M | re.S)
    assert step, log[-3000:]
    assert "Installed 2 packages" in step.group(0) and "Prepared" not in step.group(0), step.group(0)
