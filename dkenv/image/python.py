"""Where the image's Python comes from: the base image's own, the distribution's
python3, or uv; and which python3 each Debian/Ubuntu release ships (distros.toml)."""
from __future__ import annotations

import re
from pathlib import Path

from dkenv import imageref, tomltext

DISTROS = Path(__file__).with_name("distros.toml")
PYTHON_IMAGES = {"python", "library/python", "docker.io/library/python"}


def distro_python(base: str) -> str | None:
    """The python3 X.Y the base's Debian/Ubuntu release ships, when the tag says which."""
    tag = imageref.split(base)[1] or "latest"
    table = tomltext.loads(DISTROS.read_text())["python3"]
    for part in re.split(r"[-_]", tag):
        if part in table:
            return table[part]
    return None


def resolve_python_from(base: str, python: str, python_from: str) -> str:
    """auto -> image for python images, system when the release's python3 matches, else uv."""
    if python_from != "auto":
        return python_from
    if imageref.split(base)[0] in PYTHON_IMAGES:
        return "image"
    return "system" if distro_python(base) == python else "uv"
