"""detect/lockcheck.py and manifests/locks.py: pins with no wheel for the chosen Python."""
from __future__ import annotations

import json
import os

from dkenv.detect import lockcheck, pinwheels
from dkenv.manifests import locks

POETRY_1 = """\
[[package]]
name = "greenlet"
version = "1.1.2"
category = "main"
optional = false
python-versions = ">=2.7"

[[package]]
name = "pure"
version = "1.0"
category = "main"
optional = false
python-versions = ">=3.7"

[[package]]
name = "winonly"
version = "2.0"
category = "main"
optional = false
python-versions = "*"
markers = "sys_platform == \\"win32\\""

[[package]]
name = "stable"
version = "3.0"
category = "main"
optional = false
python-versions = ">=3.7"

[metadata]
lock-version = "1.1"
python-versions = "^3.9"
content-hash = "x"

[metadata.files]
greenlet = [
    {file = "greenlet-1.1.2-cp39-cp39-manylinux2010_x86_64.whl", hash = "sha256:0"},
    {file = "greenlet-1.1.2-cp310-cp310-manylinux_2_17_aarch64.manylinux2014_aarch64.whl", hash = "sha256:1"},
    {file = "greenlet-1.1.2-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:2"},
    {file = "greenlet-1.1.2.tar.gz", hash = "sha256:3"},
]
pure = [{file = "pure-1.0-py3-none-any.whl", hash = "sha256:4"}]
winonly = [{file = "winonly-2.0-cp39-cp39-win_amd64.whl", hash = "sha256:5"}]
stable = [{file = "stable-3.0-cp37-abi3-manylinux2014_x86_64.whl", hash = "sha256:6"}]
"""

UV = """\
version = 1
[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "psycopg2-binary"
version = "2.9.3"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.example/psycopg2-binary-2.9.3.tar.gz", hash = "sha256:0" }
wheels = [{ url = "https://files.example/psycopg2_binary-2.9.3-cp310-cp310-manylinux_2_17_x86_64.whl", hash = "sha256:1" }]
"""


def test_poetry_1_pins_and_files(tmp_path):
    (tmp_path / "poetry.lock").write_text(POETRY_1)
    pins = {p.name: p for p in locks.pins(tmp_path / "poetry.lock")}
    assert pins["greenlet"].version == "1.1.2" and "greenlet-1.1.2.tar.gz" in pins["greenlet"].files
    assert pins["winonly"].markers == 'sys_platform == "win32"'


def test_a_pin_without_a_wheel_for_this_python_and_what_the_lock_was_made_for(tmp_path):
    (tmp_path / "poetry.lock").write_text(POETRY_1)
    report = lockcheck.check(tmp_path / "poetry.lock", "3.11", arch="x86_64")
    assert report.from_source == [("greenlet", "1.1.2", "3.10")]  # pure, abi3 and the Windows-only one fit
    assert report.made_for == "3.10"
    assert 'image.python = "3.10"' in report.message() and "greenlet 1.1.2" in report.message()
    assert lockcheck.check(tmp_path / "poetry.lock", "3.10", arch="x86_64").from_source == []
    assert lockcheck.check(tmp_path / "poetry.lock", "3.10", arch="aarch64").from_source == [("stable", "3.0", None)]


def test_poetry_2_files_per_package(tmp_path):
    text = ('[[package]]\nname = "x"\nversion = "1"\nfiles = [{file = "x-1-cp38-cp38-manylinux1_x86_64.whl", '
            'hash = "sha256:0"}]\n\n[metadata]\nlock-version = "2.0"\n')
    (tmp_path / "poetry.lock").write_text(text)
    assert lockcheck.check(tmp_path / "poetry.lock", "3.11", arch="x86_64").from_source == [("x", "1", "3.8")]


def test_uv_locks_skip_the_project_itself(tmp_path):
    (tmp_path / "uv.lock").write_text(UV)
    assert [p.name for p in locks.pins(tmp_path / "uv.lock")] == ["psycopg2-binary"]
    report = lockcheck.check(tmp_path / "uv.lock", "3.11", arch="x86_64")
    assert report.from_source == [("psycopg2-binary", "2.9.3", "3.10")]


def test_a_pipfile_lock_names_no_files_so_nothing_is_claimed(tmp_path):
    (tmp_path / "Pipfile.lock").write_text(json.dumps({"default": {"django": {"version": "==2.2"}}, "develop": {}}))
    assert locks.pins(tmp_path / "Pipfile.lock")[0].version == "2.2"
    assert lockcheck.check(tmp_path / "Pipfile.lock", "3.11").from_source == []


def test_a_broken_lock_is_no_pins(tmp_path):
    (tmp_path / "poetry.lock").write_text("[[package\n")
    assert locks.pins(tmp_path / "poetry.lock") == []


def test_before_build_refuses_only_without_a_compiler(tmp_path):
    (tmp_path / "poetry.lock").write_text(POETRY_1)
    message = lockcheck.before_build(tmp_path / "poetry.lock", "3.11", [])
    first, *rest = message.split("\n")
    assert first.startswith("dkenv: poetry.lock was made for Python 3.10: 1 of its pins has no wheel for Python 3.11")
    assert "nothing was built" in first and rest and "greenlet 1.1.2" in rest[0]
    assert "build-essential" in rest[0] and 'image.python = "3.10"' in rest[-1]
    assert lockcheck.before_build(tmp_path / "poetry.lock", "3.11", ["build-essential", "libpq-dev"]) is None
    assert lockcheck.before_build(tmp_path / "poetry.lock", "3.10", []) is None or os.uname().machine != "x86_64"
    assert lockcheck.before_build(tmp_path / "missing.lock", "3.11", []) is None


def test_init_says_what_the_lock_was_made_for(tmp_path, monkeypatch):
    (tmp_path / "poetry.lock").write_text(POETRY_1)
    note = pinwheels.fit(tmp_path, [], lockcheck.lock_of(tmp_path, "poetry")).note("3.11")
    assert note and "greenlet 1.1.2" in note and 'image.python = "3.10"' in note
    assert lockcheck.lock_of(tmp_path, "pip") is None


def test_poetry_1_metadata_files_are_found_whatever_the_spelling_of_the_name(tmp_path):
    text = ('[[package]]\nname = "Zope.Interface"\nversion = "5.4.0"\ncategory = "main"\n\n'
            '[[package]]\nname = "PySocks"\nversion = "1.7.1"\ncategory = "main"\n\n'
            '[metadata]\nlock-version = "1.1"\n\n[metadata.files]\n'
            'zope-interface = [{file = "zope.interface-5.4.0.tar.gz", hash = "sha256:0"}]\n'
            'pysocks = [{file = "PySocks-1.7.1-py3-none-any.whl", hash = "sha256:1"}]\n')
    (tmp_path / "poetry.lock").write_text(text)
    pins = {p.name: p.files for p in locks.pins(tmp_path / "poetry.lock")}
    assert pins == {"Zope.Interface": ("zope.interface-5.4.0.tar.gz",), "PySocks": ("PySocks-1.7.1-py3-none-any.whl",)}


def test_the_build_packages_their_sources_need(tmp_path):
    text = POETRY_1.replace('name = "pure"', 'name = "psycopg2-binary"').replace("pure = [", "psycopg2-binary = [")
    text = text.replace('"pure-1.0-py3-none-any.whl"', '"psycopg2_binary-1.0-cp39-cp39-manylinux1_x86_64.whl"')
    (tmp_path / "poetry.lock").write_text(text)
    report = lockcheck.check(tmp_path / "poetry.lock", "3.11", arch="x86_64")
    assert [name for name, _, _ in report.from_source] == ["greenlet", "psycopg2-binary"]
    assert report.made_for == "3.9"  # the oldest of the newest Pythons their wheels cover
    assert report.build_packages == ["build-essential", "libpq-dev"]
    assert report.headline() == "poetry.lock was made for Python 3.9: 2 of its pins have no wheel for Python 3.11"
    assert "build-essential, libpq-dev in image.apt" in report.details()[0]


def uv_lock(*packages: tuple) -> str:
    """A uv.lock of (name, version, source, sdist file or None, wheel files) packages, files at
    https://files.example/."""
    blocks = ["version = 1"]
    for name, version, source, sdist, wheels in packages:
        block = [f'[[package]]\nname = "{name}"\nversion = "{version}"\nsource = {{ {source} }}']
        if sdist:
            block.append(f'sdist = {{ url = "https://files.example/{sdist}", hash = "sha256:0" }}')
        files = ", ".join(f'{{ url = "https://files.example/{w}", hash = "sha256:0" }}' for w in wheels)
        block.append(f"wheels = [{files}]")
        blocks.append("\n".join(block))
    return "\n\n".join(blocks) + "\n"


PYPI, TORCH_CPU = 'registry = "https://pypi.org/simple"', 'registry = "https://download.pytorch.org/whl/cpu"'
UV_FORKED = uv_lock(
    ("torch", "2.13.0", TORCH_CPU, None, ["torch-2.13.0-cp313-cp313-macosx_14_0_arm64.whl"]),
    ("torch", "2.13.0+cpu", TORCH_CPU, None, ["torch-2.13.0%2Bcpu-cp313-cp313-manylinux_2_28_x86_64.whl"]),
    ("psycopg-c", "3.3.0", PYPI, "psycopg_c-3.3.0.tar.gz", []),
    ("psycopg-c", "3.3.0", 'url = "https://files.example/psycopg_c-3.3.0-cp312-cp312-linux_x86_64.whl"', None,
     ["psycopg_c-3.3.0-cp312-cp312-linux_x86_64.whl"]),
    ("greenlet", "1.1.2", PYPI, None, ["greenlet-1.1.2-cp310-cp310-manylinux_2_17_x86_64.whl"]),
    ("greenlet", "1.1.2", 'url = "https://files.example/greenlet-1.1.2-cp310-cp310-linux_x86_64.whl"', None,
     ["greenlet-1.1.2-cp310-cp310-linux_x86_64.whl"]))


def test_a_package_the_lock_forks_installs_when_one_of_its_entries_does(tmp_path):
    """paperless-ngx: torch's darwin entry has macOS wheels only, its +cpu entry Linux ones;
    psycopg-c's registry entry is an sdist (dkenv's apt builds it), its URL entry a cp312
    wheel. Neither is a pin with no way to install; greenlet, with no entry fitting, is, once."""
    (tmp_path / "uv.lock").write_text(UV_FORKED)
    report = lockcheck.check(tmp_path / "uv.lock", "3.13", arch="x86_64")
    assert report.from_source == [("greenlet", "1.1.2", "3.10")]


UV_ELSEWHERE = uv_lock(
    ("pywatchman", "3.0.0", PYPI, "pywatchman-3.0.0.tar.gz", ["pywatchman-3.0.0-cp312-cp312-macosx_11_0_arm64.whl"]),
    ("pywin32", "311", PYPI, None, ["pywin32-311-cp312-cp312-win_amd64.whl"]),
    ("orjson", "3.10.0", PYPI, "orjson-3.10.0.tar.gz", ["orjson-3.10.0-cp312-cp312-manylinux_2_17_x86_64.whl"]))


def test_wheels_for_other_systems_only_build_from_source_on_linux_whatever_the_python(tmp_path, capsys):
    """saleor's uv.lock: pywatchman has macOS wheels and an sdist (Linux builds it: a compiler in
    image.apt, and no Python fits better than another), pywin32 Windows wheels only (the lock
    installs it on Windows alone: nothing to say)."""
    from dkenv.detect import detection

    (tmp_path / "uv.lock").write_text(UV_ELSEWHERE)
    report = lockcheck.check(tmp_path / "uv.lock", "3.12", arch="x86_64")
    assert report.from_source == [] and report.no_linux_wheel == [("pywatchman", "3.0.0")]
    assert lockcheck.check(tmp_path / "uv.lock", "3.13", arch="x86_64").from_source == [("orjson", "3.10.0", "3.12")]
    found = detection.Detection()
    said = lockcheck.source_builds(found, report)
    assert found.apt == ["build-essential"] and found.apt_for == {"build-essential": ["pywatchman"]}
    assert said == ("apt: build-essential for pywatchman 3.0.0 (uv.lock has its wheels for other systems only: "
                    "on Linux it builds from source)")
