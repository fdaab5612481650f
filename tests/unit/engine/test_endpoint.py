"""dkenv/engine/endpoint.py: the engine resolved as the docker CLI resolves it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dkenv.engine import endpoint
from dkenv.errors import FatalError


def make_context(config: Path, name: str, host: str, skip_tls: bool = False, tls_files=()) -> None:
    """A context as `docker context create` stores it."""
    meta = config / "contexts" / "meta" / endpoint.context_id(name)
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(json.dumps({
        "Name": name, "Metadata": {},
        "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": skip_tls}}}))
    if tls_files:
        tls = config / "contexts" / "tls" / endpoint.context_id(name) / "docker"
        tls.mkdir(parents=True)
        for f in tls_files:
            (tls / f).write_text("pem")


def test_the_context_folder_is_the_sha256_of_its_name():
    import hashlib

    assert endpoint.context_id("dkenv-podman") == hashlib.sha256(b"dkenv-podman").hexdigest()


def test_nothing_set_is_the_default_socket(tmp_path):
    ep = endpoint.resolve({"HOME": str(tmp_path)})
    assert (ep.host, ep.context, ep.remote) == ("unix:///var/run/docker.sock", None, False)
    assert ep.source == "the default socket"


def test_docker_host_wins_over_everything(tmp_path):
    config = tmp_path / ".docker"
    make_context(config, "podman", "unix:///run/podman.sock")
    (config / "config.json").write_text('{"currentContext": "podman"}')
    env = {"HOME": str(tmp_path), "DOCKER_HOST": "ssh://me@box:2222", "DOCKER_CONTEXT": "podman"}
    ep = endpoint.resolve(env)
    assert (ep.host, ep.source, ep.ssh, ep.remote) == ("ssh://me@box:2222", "DOCKER_HOST", True, True)


def test_docker_context_then_the_current_context(tmp_path):
    config = tmp_path / "cfg"
    make_context(config, "podman", "unix:///run/podman.sock")
    make_context(config, "rootless", "unix:///run/user/1/docker.sock")
    (config / "config.json").write_text('{"auths": {}, "currentContext": "rootless"}')
    env = {"HOME": str(tmp_path / "elsewhere"), "DOCKER_CONFIG": str(config)}
    ep = endpoint.resolve({**env, "DOCKER_CONTEXT": "podman"})
    assert (ep.host, ep.context) == ("unix:///run/podman.sock", "podman")
    assert ep.source == "context podman (DOCKER_CONTEXT)"
    ep = endpoint.resolve(env)
    assert (ep.host, ep.context) == ("unix:///run/user/1/docker.sock", "rootless")
    assert "config.json" in ep.source
    # "default" names the default socket, whatever config.json says
    assert endpoint.resolve({**env, "DOCKER_CONTEXT": "default"}).host == endpoint.DEFAULT_HOST


def test_a_missing_context_is_one_clear_line(tmp_path):
    with pytest.raises(FatalError) as e:
        endpoint.resolve({"HOME": str(tmp_path), "DOCKER_CONTEXT": "nope"})
    assert "'nope'" in str(e.value) and "docker context ls" in str(e.value)


def test_an_unreadable_config_json_is_one_clear_line(tmp_path):
    (tmp_path / ".docker").mkdir()
    (tmp_path / ".docker" / "config.json").write_text("{not json")
    with pytest.raises(FatalError) as e:
        endpoint.resolve({"HOME": str(tmp_path)})
    assert "config.json" in str(e.value)


def test_a_contexts_tls_material(tmp_path):
    config = tmp_path / ".docker"
    make_context(config, "remote", "tcp://box:2376", tls_files=("ca.pem", "cert.pem", "key.pem"))
    make_context(config, "lax", "tcp://box:2376", skip_tls=True)
    ep = endpoint.resolve({"HOME": str(tmp_path), "DOCKER_CONTEXT": "remote"})
    assert ep.tls.verify and ep.tls.ca.endswith("ca.pem") and ep.tls.key.endswith("key.pem")
    lax = endpoint.resolve({"HOME": str(tmp_path), "DOCKER_CONTEXT": "lax"}).tls
    assert lax is not None and not lax.verify and lax.ca is None


def test_docker_host_tls_from_the_environment(tmp_path):
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs" / "ca.pem").write_text("pem")
    env = {"HOME": str(tmp_path), "DOCKER_HOST": "tcp://box:2376", "DOCKER_TLS_VERIFY": "1",
           "DOCKER_CERT_PATH": str(tmp_path / "certs")}
    tls = endpoint.resolve(env).tls
    assert tls.verify and tls.ca == str(tmp_path / "certs" / "ca.pem") and tls.cert is None
    assert endpoint.resolve({"HOME": str(tmp_path), "DOCKER_HOST": "tcp://box:2375"}).tls is None


def test_the_cli_is_pinned_to_the_same_engine(tmp_path):
    config = tmp_path / ".docker"
    make_context(config, "podman", "unix:///run/podman.sock")
    ep = endpoint.resolve({"HOME": str(tmp_path), "DOCKER_CONTEXT": "podman"})
    pinned = endpoint.cli_env(ep, {})
    assert pinned == {"DOCKER_CONTEXT": "podman", "DOCKER_CONFIG": str(config)}
    # whatever the caller's environment selects, the CLI gets exactly the pinned variables
    environ = endpoint.cli_environ(pinned, {"DOCKER_HOST": "tcp://other", "DOCKER_CERT_PATH": "/x", "PATH": "/bin"})
    assert environ == {"PATH": "/bin", **pinned}
    env = {"HOME": str(tmp_path), "DOCKER_HOST": "tcp://box:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "/c"}
    assert endpoint.cli_env(endpoint.resolve(env), env) == {
        "DOCKER_HOST": "tcp://box:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "/c"}
    assert endpoint.cli_env(endpoint.resolve({"HOME": str(tmp_path)}), {}) == {"DOCKER_HOST": endpoint.DEFAULT_HOST}
