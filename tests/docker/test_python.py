"""The image's Python, built for real: the version chosen for the project's constraint on a
python image, and the distribution's headers when a C extension is compiled against it."""
from __future__ import annotations

import pytest

from tests.conftest import make_project

pytestmark = pytest.mark.docker

RANGE_CONFIG = """\
[project]
name = "@NAME@"
[image]
base = "python:3.11-slim-bookworm"
install = "none"
"""

POETRY_RANGE = """\
[tool.poetry]
name = "ranged"
version = "0.1.0"
[tool.poetry.dependencies]
python = "^3.10"
"""


def test_a_range_on_a_python_image_builds_with_the_images_python(docker_engine):
    """Poetry's ^3.10 on python:3.11: 3.11, the image's own (it used to pick 3.10 and stop the build)."""
    project = make_project("py-range", {".dkenv.toml": RANGE_CONFIG, "pyproject.toml": POETRY_RANGE})
    project.dkenv("build")
    dockerfile = (project.root / ".dkenv" / "Dockerfile").read_text()
    assert "# Python 3.11 from the base image" in dockerfile
    assert "apt-get" not in dockerfile  # the image's Python needs nothing from apt


HEADERS_CONFIG = """\
[project]
name = "@NAME@"
[image]
base = "debian:bookworm-slim"
python_from = "system"
apt = ["build-essential"]
install = "pip"
requirements = ["requirements.txt"]
"""

# MarkupSafe's C speedups are optional: without Python.h the build "succeeds" without them,
# so importing markupsafe._speedups is what proves the headers were there.
REQUIREMENTS = "--no-binary markupsafe\nmarkupsafe==3.0.2\n"


def test_a_compiler_with_the_distributions_python_brings_its_headers(docker_engine):
    project = make_project("py-headers", {".dkenv.toml": HEADERS_CONFIG, "requirements.txt": REQUIREMENTS})
    project.dkenv("up")
    try:
        dockerfile = (project.root / ".dkenv" / "Dockerfile").read_text()
        assert "build-essential python3 python3-dev python3-venv" in dockerfile
        check = "import sys, markupsafe._speedups as s; print('%d.%d' % sys.version_info[:2], s.__file__)"
        out = project.dkenv("exec", "python", "-c", check).stdout.decode().split()
        assert out[0] == "3.11"  # Debian bookworm's python3
        assert out[1].startswith("/opt/venv/lib/python3.11/site-packages/markupsafe/_speedups.")
        assert out[1].endswith(".so")  # compiled here, from the sdist
    finally:
        project.dkenv("down", check=False)
