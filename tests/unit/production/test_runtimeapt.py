"""dkenv/production/runtimeapt.py: image.apt for the production image's runtime stage."""
from __future__ import annotations

from dkenv.production import runtimeapt


def test_compilers_go_and_dev_packages_become_their_libraries():
    runtime, notes = runtimeapt.runtime_packages(["build-essential", "gcc-12", "libpq-dev", "libjpeg-dev",
                                                  "pkg-config", "python3-dev", "ffmpeg", "libpq-dev"])
    assert runtime == ["libpq5", "libjpeg62-turbo", "ffmpeg"]
    assert notes == []


def test_an_unknown_dev_package_is_kept_and_said():
    runtime, notes = runtimeapt.runtime_packages(["libfoo-dev=1.2-3", "curl"])
    assert runtime == ["libfoo-dev=1.2-3", "curl"]
    assert len(notes) == 1 and notes[0].startswith("libfoo-dev: kept") and "[production] apt" in notes[0]


def test_build_tools():
    assert runtimeapt.has_build_tools(["clang-16"]) and runtimeapt.has_build_tools(["libpq-dev"])
    assert not runtimeapt.has_build_tools(["curl", "libpq5"])
