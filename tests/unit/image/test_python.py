"""dkenv/image/python.py: which Python the base ships, and where the image's Python comes from."""
from __future__ import annotations

import pytest

from dkenv.image import python as image_python

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


