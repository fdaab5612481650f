"""dkenv/detect/basepython.py: which Python the base ships, and where the image's Python comes from."""
from __future__ import annotations

import pytest

from dkenv.manifests import pythonversion
from dkenv.detect import basepython as image_python

# --- distro_python ---

@pytest.mark.parametrize("base, expected", [
    ("debian:bookworm-slim", "3.11"),
    ("debian:bookworm", "3.11"),
    ("debian:12", "3.11"),
    ("debian:12-slim", "3.11"),
    ("debian:bullseye-slim", "3.9"),
    ("debian:trixie", "3.13"),
    ("ubuntu:24.04", "3.12"),
    ("ubuntu:noble", "3.12"),
    ("ubuntu:jammy", "3.10"),
    ("ubuntu:22.04", "3.10"),
    ("ubuntu:focal", "3.8"),
    ("python:3.11-slim-bookworm", "3.11"),
    ("registry:5000/debian:bookworm", "3.11"),
    ("registry.example.com:5000/library/ubuntu:24.04", "3.12"),
    ("docker.io/library/debian:bookworm-20240110-slim", "3.11"),
])
def test_distro_python(base, expected):
    assert image_python.distro_python(base) == expected


@pytest.mark.parametrize("base", ["debian", "ubuntu:latest", "alpine:3.19", "fedora:40",
                                  "registry:5000/debian", "myimage:dev"])
def test_distro_python_unknown(base):
    assert image_python.distro_python(base) is None


# --- resolve_python_from ---

@pytest.mark.parametrize("base, python, expected", [
    ("python:3.11-slim-bookworm", "3.11", "image"),
    ("python:3.12", "3.12", "image"),
    ("python", "3.12", "image"),
    ("docker.io/library/python:3.11", "3.11", "image"),
    ("library/python:3.11-slim", "3.11", "image"),
    ("python:3.11@sha256:" + "a" * 64, "3.11", "image"),
    ("debian:bookworm-slim", "3.11", "system"),
    ("debian:bookworm-slim", "3.12", "uv"),
    ("ubuntu:24.04", "3.12", "system"),
    ("ubuntu:24.04", "3.11", "uv"),
    ("ubuntu:jammy", "3.10", "system"),
    ("alpine:3.19", "3.11", "uv"),
    ("registry:5000/debian:bookworm", "3.11", "system"),
    ("registry:5000/python:3.11", "3.11", "uv"),  # not the official image
    ("mypython:3.11", "3.11", "uv"),
])
def test_resolve_python_from_auto(base, python, expected):
    assert image_python.resolve_python_from(base, python, "auto") == expected


@pytest.mark.parametrize("mode", ["system", "uv", "image"])
def test_resolve_python_from_explicit_passes_through(mode):
    assert image_python.resolve_python_from("python:3.11", "3.12", mode) == mode
    assert image_python.resolve_python_from("debian:bookworm", "3.11", mode) == mode


# --- image_python, official_image ---

@pytest.mark.parametrize("base, expected", [
    ("python:3.11-slim-bookworm", "3.11"),
    ("python:3.11", "3.11"),
    ("python:3.11.7-slim", "3.11"),
    ("python:3.13.0rc2-slim", "3.13"),
    ("python:3.12-alpine", "3.12"),
    ("docker.io/library/python:3.10", "3.10"),
    ("python:3.11@sha256:" + "a" * 64, "3.11"),
    ("python", None),
    ("python:latest", None),
    ("python:slim", None),
    ("python:3", None),
    ("python:3-slim", None),
    ("registry:5000/python:3.11", None),  # not the official image: nobody knows
    ("debian:bookworm-slim", None),
])
def test_image_python(base, expected):
    assert image_python.image_python(base) == expected


@pytest.mark.parametrize("version, like, expected", [
    ("3.10", "python:3.11-slim-bookworm", "python:3.10-slim-bookworm"),
    ("3.10", "python:3.11", "python:3.10"),
    ("3.10", "python:3.11.7-slim", "python:3.10-slim"),
    ("3.12", "docker.io/library/python:3.11-bookworm", "docker.io/library/python:3.12-bookworm"),
    ("3.12", "python:latest", "python:3.12-slim-trixie"),
    ("3.8", None, "python:3.8-slim-bookworm"),  # trixie's images start at 3.9
    ("3.12", "python:3.12-alpine", "python:3.12-slim-trixie"),  # dkenv builds on Debian/Ubuntu
    ("3.12", "debian:bookworm-slim", "python:3.12-slim-bookworm"),
    ("3.12", None, "python:3.12-slim-trixie"),
    ("3.12", "debian:trixie-slim", "python:3.12-slim-trixie"),
])
def test_official_image(version, like, expected):
    assert image_python.official_image(version, like) == expected


# --- choose: the version and source for a project that does not set image.python ---

def constraint(text: str | None, kind: str = "spec", source: str = "pyproject.toml requires-python"):
    if text is None:
        return None
    parse = {"spec": pythonversion.from_specifier, "poetry": pythonversion.from_poetry,
             "version": pythonversion.from_version_file}[kind]
    alternatives, pinned = parse(text)
    return pythonversion.PythonConstraint(source, text, pinned, alternatives)


@pytest.mark.parametrize("spec, kind, base, python_from, version, source", [
    # a python image provides its tag's version, when the constraint allows it
    ("^3.10", "poetry", "python:3.11-slim-bookworm", "auto", "3.11", "image"),
    (">=3.10", "spec", "python:3.11-slim-bookworm", "auto", "3.11", "image"),
    ("3", "version", "python:3.11", "auto", "3.11", "image"),  # Pipfile python_version = "3"
    ("3.11", "version", "python:3.11.7-slim", "image", "3.11", "image"),
    (None, None, "python:3.12-slim-bookworm", "auto", "3.12", "image"),
    (">=3.10", "spec", "python:latest", "auto", None, "image"),  # the image's own, whatever it is
    (None, None, "python", "auto", None, "image"),
    # a Debian/Ubuntu release: its python3 when allowed, else uv's newest allowed
    (">=3.10", "spec", "debian:bookworm-slim", "auto", "3.11", "system"),
    (None, None, "debian:bookworm-slim", "auto", "3.11", "system"),
    (">=3.12", "spec", "debian:bookworm-slim", "auto", "3.15", "uv"),
    (">=3.10,<3.13", "spec", "debian:bookworm-slim", "uv", "3.12", "uv"),  # uv forced: newest allowed
    ("==3.9.*", "spec", "ubuntu:24.04", "auto", "3.9", "uv"),
    ("3.12", "version", "debian:bookworm-slim", "auto", "3.12", "uv"),  # .python-version
    ("3.12", "version", "ubuntu:24.04", "auto", "3.12", "system"),
    ("^3.10", "poetry", "ubuntu:jammy", "system", "3.10", "system"),
    (None, None, "ubuntu:24.04", "uv", "3.12", "uv"),  # uv without a constraint: the release's version
    # a base whose Python is not known: uv, or the build's own check
    (">=3.10", "spec", "alpine:3.19", "auto", "3.15", "uv"),
    (None, None, "debian:latest", "system", None, "system"),
])
def test_choose(spec, kind, base, python_from, version, source):
    choice = image_python.choose(constraint(spec, kind), base, python_from, host="3.11")
    assert (choice.version, choice.python_from) == (version, source)
    assert choice.reason


@pytest.mark.parametrize("host, expected", [("3.11", "3.11"), ("3.13", "3.13"), ("3.99", "3.15")])
def test_choose_without_constraint_on_an_unknown_base_takes_the_hosts(host, expected):
    choice = image_python.choose(None, "alpine:3.19", "auto", host=host)
    assert (choice.version, choice.python_from) == (expected, "uv")
    assert "host's" in choice.reason


def test_choose_reasons_say_why():
    choice = image_python.choose(constraint(">=3.10"), "python:3.11-slim-bookworm", "auto", host="3.11")
    assert choice.reason == ("python:3.11-slim-bookworm provides it and pyproject.toml requires-python '>=3.10' "
                             "allows it")
    choice = image_python.choose(constraint(">=3.12"), "debian:bookworm-slim", "auto", host="3.11")
    assert choice.reason == ("uv installs it on debian:bookworm-slim (its python3 is 3.11): the newest that "
                             "pyproject.toml requires-python '>=3.12' allows")
    pinned = constraint("3.9", "version", ".python-version")
    assert image_python.choose(pinned, "ubuntu:24.04", "auto").reason.endswith(".python-version '3.9' asks for it")
    nothing = image_python.choose(None, "debian:bookworm-slim", "auto")
    assert "nothing in the project names a version" in nothing.reason


def test_a_python_image_the_constraint_refuses_is_an_error_with_the_fix():
    with pytest.raises(image_python.Unavailable) as info:
        image_python.choose(constraint(">=3.8,<3.11"), "python:3.11-slim-bookworm", "auto", host="3.11")
    message = str(info.value)
    assert message.startswith("python:3.11-slim-bookworm provides Python 3.11, which pyproject.toml "
                              "requires-python '>=3.8,<3.11' does not allow; ")
    assert 'use base = "python:3.10-slim-bookworm"' in message
    assert '"debian:trixie-slim" (uv then installs 3.10)' in message
    assert "--base python:3.10-slim-bookworm" in info.value.for_init()
    assert info.value.key == "base"


def test_python_from_image_forced_suggests_uv_explicitly():
    with pytest.raises(image_python.Unavailable, match='with python_from = "uv"'):
        image_python.choose(constraint("3.12", "version"), "python:3.11", "image")


def test_system_forced_on_a_release_the_constraint_refuses():
    with pytest.raises(image_python.Unavailable) as info:
        image_python.choose(constraint(">=3.12"), "debian:bookworm-slim", "system")
    assert "debian:bookworm-slim ships Python 3.11, which pyproject.toml requires-python '>=3.12' does not allow" \
        in str(info.value)
    assert 'set python_from = "uv"' in str(info.value)
    assert info.value.key == "python_from"


@pytest.mark.parametrize("base", ["python:3.11", "debian:bookworm-slim", "alpine:3.19", "python:latest"])
def test_a_constraint_no_known_python_meets_is_an_error(base):
    with pytest.raises(image_python.Unavailable) as info:
        image_python.choose(constraint(">=3.16"), base, "auto", host="3.11")
    assert "allows none of the Pythons dkenv can provide (3.8 to 3.15)" in str(info.value)
    assert "set image.python" in str(info.value)
    assert "--python X.Y" in info.value.for_init()


# --- choose_image: `dkenv init` without --base ---

@pytest.mark.parametrize("spec, kind, host, expected", [
    (None, None, "3.11", "3.11"),
    (None, None, "3.99", "3.15"),
    (">=3.10", "spec", "3.11", "3.11"),  # the host's, allowed
    (">=3.12", "spec", "3.11", "3.15"),  # the newest allowed
    ("<3.11", "spec", "3.12", "3.10"),
    ("3.12", "version", "3.11", "3.12"),
    ("3.11", "version", "3.11", "3.11"),
])
def test_choose_image(spec, kind, host, expected):
    choice = image_python.choose_image(constraint(spec, kind), host)
    assert (choice.version, choice.python_from) == (expected, "image")
    assert choice.reason


# --- conflict: an explicit image.python the base cannot provide (checked at config load) ---

@pytest.mark.parametrize("base, python, python_from, key, fragments", [
    ("python:3.11-slim-bookworm", "3.10", "auto", "python",
     ["python:3.11-slim-bookworm provides Python 3.11, not 3.10", 'base = "python:3.10-slim-bookworm"',
      "uv then installs 3.10"]),
    ("python:3.11", "3.12", "image", "python", ['base = "python:3.12"', 'with python_from = "uv"']),
    ("debian:bookworm-slim", "3.12", "system", "python_from",
     ['python_from is "system" but debian:bookworm-slim ships Python 3.11, not 3.12', 'python_from = "uv"']),
    ("ubuntu:24.04", "3.12", "image", "python_from", ["has no Python of its own"]),
    ("debian:bookworm-slim", None, "image", "python_from", ["has no Python of its own"]),
])
def test_conflict(base, python, python_from, key, fragments):
    found = image_python.conflict(base, python, python_from)
    assert found is not None and found.key == key
    for fragment in fragments:
        assert fragment in str(found)


@pytest.mark.parametrize("base, python, python_from", [
    ("python:3.11-slim-bookworm", "3.11", "auto"),
    ("python:3.11-slim-bookworm", "3.12", "uv"),  # uv installs any on a python image too
    ("python:latest", "3.12", "auto"),  # unknown until the build, which checks
    ("debian:bookworm-slim", "3.12", "auto"),  # auto -> uv
    ("debian:bookworm-slim", "3.11", "system"),
    ("debian:latest", "3.12", "system"),  # unknown release: the build checks
    ("myorg/app-base:1", "3.12", "image"),
    ("debian:bookworm-slim", None, "auto"),
])
def test_no_conflict(base, python, python_from):
    assert image_python.conflict(base, python, python_from) is None


# --- apt_packages: the one rule for Python's Debian packages, headers included ---

@pytest.mark.parametrize("python_from, apt, expected", [
    ("system", [], ["python3", "python3-venv"]),
    ("system", ["build-essential"], ["python3", "python3-venv", "python3-dev"]),
    ("system", ["gcc"], ["python3", "python3-venv", "python3-dev"]),
    ("system", ["g++", "libpq-dev"], ["python3", "python3-venv", "python3-dev"]),
    ("system", ["clang-16"], ["python3", "python3-venv", "python3-dev"]),
    ("system", ["gcc-12=12.2.0-14"], ["python3", "python3-venv", "python3-dev"]),
    ("system", ["gfortran"], ["python3", "python3-venv", "python3-dev"]),
    ("system", ["libgdal-dev", "gdal-bin"], ["python3", "python3-venv"]),  # no compiler, nothing to compile with
    ("system", ["clang-format", "gcc-doc"], ["python3", "python3-venv"]),
    ("uv", ["build-essential"], ["python3", "python3-venv"]),  # uv's CPython ships its headers
    ("image", ["build-essential"], []),  # so do the official images
    ("image", [], []),
])
def test_apt_packages(python_from, apt, expected):
    assert image_python.apt_packages(python_from, apt) == expected


def test_present_pythons_prefer_the_newest_debian_slim_variant():
    refs = ["python:3.13-slim", "python:3.13-slim-trixie", "python:3.11-slim-bookworm", "python:3.12-alpine",
            "python:latest", "python:3.10"]
    assert image_python.present_pythons(refs) == {"3.13": "python:3.13-slim-trixie", "3.11": "python:3.11-slim-bookworm",
                                                  "3.10": "python:3.10"}


def test_choose_image_takes_the_newest_present_one_the_constraint_allows():
    present = {"3.13": "python:3.13-slim-trixie", "3.11": "python:3.11-slim-bookworm"}
    choice = image_python.choose_image(None, "3.11", present)
    assert (choice.version, choice.base) == ("3.13", "python:3.13-slim-trixie") and "on this machine" in choice.reason
    choice = image_python.choose_image(constraint(">=3.8,<3.12"), "3.11", present)
    assert (choice.version, choice.base) == ("3.11", "python:3.11-slim-bookworm")
    choice = image_python.choose_image(constraint(">=3.12,<3.13"), "3.11", present)
    assert choice.base == "python:3.12-slim-trixie" and choice.version == "3.12"  # none present fits: the official image to pull
