"""image/buildroute.py: which route a build takes on which engine, and how the first line says it."""
from __future__ import annotations

import pytest

from dkenv.engine import clibuild
from dkenv.errors import ConfigError
from dkenv.image import buildroute

BUILDKIT = ("FROM x\n# dependencies\nRUN --mount=type=cache,id=dkenv-pip-1500,target=/var/cache/dkenv/pip "
            "--mount=type=cache,id=dkenv-uv-1500,target=/var/cache/dkenv/uv true\n")


class Facts:
    """An Engine as far as the choice reads it: its kind, no endpoint to pin a CLI to."""

    def __init__(self, kind: str):
        self.facts, self.endpoint = {"kind": kind}, None


@pytest.mark.parametrize("kind, setting, route", [
    ("docker", "", "volumes"), ("docker", "volumes", "volumes"), ("docker", "classic", "classic"),
    ("podman-rootless", "", "podman"), ("podman", "auto", "podman"), ("podman", "volumes", "volumes"),
    ("podman", "classic", "classic")])
def test_the_route_of_each_engine_without_a_buildkit_cli(monkeypatch, kind, setting, route):
    monkeypatch.setenv(clibuild.ENV, setting)
    assert buildroute.choose(Facts(kind), BUILDKIT).kind == route


def test_a_build_without_a_buildkit_rendering_is_classic(monkeypatch):
    monkeypatch.delenv(clibuild.ENV, raising=False)
    route = buildroute.choose(Facts("docker"), "")
    assert route.kind == "classic" and not route.cached and route.translator([]) is None


def test_the_first_line_names_the_route_and_its_caches(monkeypatch):
    monkeypatch.delenv(clibuild.ENV, raising=False)
    assert buildroute.choose(Facts("docker"), BUILDKIT).describe() == (
        "the classic builder, cache volumes dkenv-pip-1500 and dkenv-uv-1500")
    assert buildroute.choose(Facts("podman"), BUILDKIT).describe() == "Podman's builder, cache mounts"
    cli = clibuild.Cli("/usr/bin/docker", "20.10.24", False)
    assert buildroute.Route("buildkit", cli).describe() == "BuildKit through /usr/bin/docker 20.10.24"


def test_an_unknown_setting_is_a_config_error(monkeypatch):
    monkeypatch.setenv(clibuild.ENV, "kaniko")
    with pytest.raises(ConfigError, match="expected auto, classic, volumes, buildkit"):
        buildroute.choose(Facts("docker"), BUILDKIT)


def test_only_the_hosts_proxy_variables_are_passed_on(monkeypatch):
    monkeypatch.setenv("https_proxy", "http://proxy:3128")
    monkeypatch.setenv("HOME", "/home/dev")
    assert buildroute.proxies().get("https_proxy") == "http://proxy:3128" and "HOME" not in buildroute.proxies()
