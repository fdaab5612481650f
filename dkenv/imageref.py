"""Image references (`[registry[:port]/]name[:tag][@digest]`), checked with the
grammar of the distribution/reference package, so a bad one is a config error and
never reaches the Engine or a shell."""
from __future__ import annotations

import re

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
REFERENCE = re.compile(rf"^(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*(?::{_TAG})?(?:@{_DIGEST})?$")
TAG = re.compile(rf"^{_TAG}$")


def problem(ref: str) -> str | None:
    """Why `ref` is not an image reference, or None when it is one."""
    if not ref.strip():
        return "must name an image"
    if len(ref) > 255 or not REFERENCE.match(ref):
        return (f"{ref!r} is not an image reference (like python:3.12-slim-bookworm or "
                "registry.example.com:5000/team/image:tag)")
    return None


def split(image: str) -> tuple[str, str | None]:
    """(repository, tag or None), a digest left out: "reg:5000/pg:16@sha256:..." -> ("reg:5000/pg", "16")."""
    name = image.split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        repo, tag = name.rsplit(":", 1)
        return repo, tag
    return name, None


def has_tag(image: str) -> bool:
    """True for "postgres:16" or "x@sha256:...", false for "registry:5000/postgres"."""
    return "@" in image or ":" in image.rsplit("/", 1)[-1]


_IMPLIED = ("docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/", "localhost/")


def familiar(ref: str) -> str:
    """The short form Docker shows: Podman names "dkenv/x:1" "docker.io/dkenv/x:1" and a local
    image "localhost/python:3.11"; dkenv compares names in this form."""
    for prefix in _IMPLIED:
        if ref.startswith(prefix):
            return ref[len(prefix):]
    return ref
