"""dkenv/doctor/diagnose.py and hostchecks.py: the verdicts of `dkenv doctor`'s checks,
on given facts (the Docker runs are in tests/docker/test_doctor.py)."""
from __future__ import annotations

import socket
from collections import namedtuple

from dkenv.doctor import diagnose, hostchecks
from dkenv.engine.spec import ContainerSpec, ContainerState, Port
from tests.unit.fakeengine import FakeDocker, engine


def an_engine(engine_id="AAAA:BBBB", name="host-a"):
    """An Engine whose `info` answers with this ID and name."""
    return engine(FakeDocker(info={"ID": engine_id, "Name": name}))


def test_a_cli_on_another_engine_fails_with_how_it_differs(monkeypatch):
    monkeypatch.setattr(diagnose.shutil, "which", lambda _: "/usr/bin/docker")
    line = "the docker CLI reaches another engine than the SDK at unix:///a.sock (DOCKER_HOST) (CLI: B; SDK: A)"
    monkeypatch.setattr(diagnose.engineinfo, "cli_mismatch", lambda engine: line)
    check, _ = diagnose.docker_cli(an_engine())
    assert check.status == diagnose.FAIL
    assert check.detail.startswith(line) and "another engine" in check.detail
    assert "DOCKER_HOST" in check.fix and "DOCKER_CONTEXT" in check.fix


def test_the_same_engine_passes(monkeypatch):
    monkeypatch.setattr(diagnose.shutil, "which", lambda _: "/usr/bin/docker")
    monkeypatch.setattr(diagnose.engineinfo, "cli_mismatch", lambda engine: None)
    check, docker = diagnose.docker_cli(an_engine())
    assert check.status == diagnose.OK and docker == "/usr/bin/docker" and "host-a" in check.detail


def test_an_endpoint_that_cannot_be_resolved_leaves_the_socket_to_the_engine_check(tmp_path, monkeypatch):
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    monkeypatch.setenv("DOCKER_CONTEXT", "nowhere")
    check = diagnose.socket_access()
    assert check.status == diagnose.SKIP and "nowhere" in check.detail


def test_no_docker_cli_fails(monkeypatch):
    monkeypatch.setattr(diagnose.shutil, "which", lambda _: None)
    check, _ = diagnose.docker_cli(an_engine())
    assert check.status == diagnose.FAIL and "install" in check.fix


def test_socket_permissions(tmp_path, monkeypatch):
    path = tmp_path / "docker.sock"
    monkeypatch.setattr(diagnose, "sdk_endpoint", lambda: f"unix://{path}")
    assert diagnose.socket_access().status == diagnose.FAIL  # missing
    path.write_text("")
    monkeypatch.setattr(diagnose.os, "access", lambda p, mode: False)
    check = diagnose.socket_access()
    assert check.status == diagnose.FAIL and "usermod -aG docker" in check.fix
    monkeypatch.setattr(diagnose, "sdk_endpoint", lambda: "tcp://10.0.0.1:2376")
    assert diagnose.socket_access().status == diagnose.SKIP


def test_ca_certificates(tmp_path):
    assert hostchecks.ca_certificates(tmp_path / "none", "auto").status == diagnose.OK
    (tmp_path / "corp.crt").write_text("x")
    assert "1 in" in hostchecks.ca_certificates(tmp_path, "auto").detail
    assert hostchecks.ca_certificates(tmp_path, "none").status == diagnose.WARN


def test_proxy_passwords_are_masked(monkeypatch):
    for var in hostchecks.PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    assert hostchecks.proxies({}).detail == "no proxy variables set"
    monkeypatch.setenv("https_proxy", "http://me:s3cret@proxy:3128")
    check = hostchecks.proxies({})
    assert "s3cret" not in check.detail and "me:***@proxy" in check.detail
    assert check.status == diagnose.WARN  # the Engine has none: service image pulls bypass it
    assert hostchecks.proxies({"HttpsProxy": "http://proxy:3128"}).status == diagnose.OK


def test_disk_thresholds(tmp_path, monkeypatch):
    Usage = namedtuple("Usage", "total used free")
    for free, status in ((100 * hostchecks.GB, diagnose.OK), (3 * hostchecks.GB, diagnose.WARN),
                         (hostchecks.GB // 2, diagnose.FAIL)):
        monkeypatch.setattr(hostchecks.shutil, "disk_usage", lambda p, free=free: Usage(0, 0, free))
        checks = hostchecks.disk({"the project": tmp_path, "same disk": tmp_path})
        assert [c.status for c in checks] == [status]  # one line per file system


def spec(role, port):
    return ContainerSpec(name=f"dkenv-x-{role}", role=role, image="i", ports=[Port("127.0.0.1", port, port)])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ports_taken_free_or_the_projects_own():
    free = free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        taken = s.getsockname()[1]
        check = hostchecks.project_ports([spec("app", free), spec("db", taken)], {})
        assert check.status == diagnose.FAIL and f"127.0.0.1:{taken} (db)" in check.detail
        running = {"dkenv-x-db": ContainerState("dkenv-x-db", "id", "running", "db", "", "i",
                                                ports=[("127.0.0.1", taken, taken)])}
        check = hostchecks.project_ports([spec("app", free), spec("db", taken)], running)
        assert check.status == diagnose.OK and "held by the project" in check.detail
    assert hostchecks.project_ports([ContainerSpec("n", "app", "i")], {}).status == diagnose.SKIP


