"""dkenv/manifests/poetrylock.py: legacy poetry.lock files mended so `poetry export` follows every extra."""
from __future__ import annotations

import textwrap

import pytest

from dkenv import tomltext
from dkenv.manifests import poetrylock

# Poetry 1.1's shape: category, [metadata.files], the extra's dependency written as a union
LOCK_11 = textwrap.dedent('''\
    [[package]]
    name = "worker"
    version = "5.2.7"
    description = "a task queue"
    category = "main"
    optional = false
    python-versions = ">=3.7"

    [package.dependencies]
    kombu = ">=5.2.3,<6.0"
    redis = {version = ">=3.4.1,<4.0.0 || >4.0.0,<4.0.1 || >4.0.1", optional = true, markers = "extra == \\"redis\\""}
    Brotli = {version = ">=1.0.0", optional = true, markers = "platform_python_implementation == \\"CPython\\" and extra == \\"brotli\\""}

    [package.extras]
    redis = ["redis (>=3.4.1,!=4.0.0,!=4.0.1)"]
    brotli = ["brotli (>=1.0.0) ; platform_python_implementation == \\"CPython\\""]
    auth = ["cryptography"]

    [[package]]
    name = "redis"
    version = "4.3.4"
    description = "a client"
    category = "main"
    optional = false
    python-versions = ">=3.6"

    [metadata]
    lock-version = "1.1"
    python-versions = "^3.9"
    content-hash = "0123"

    [metadata.files]
    redis = [
        {file = "redis-4.3.4-py3-none-any.whl", hash = "sha256:00"},
    ]
    ''')


def _deps(text: str, package: str) -> dict:
    doc = tomltext.loads(text)
    return next(p for p in doc["package"] if p["name"] == package).get("dependencies", {})


def test_a_1_1_lock_gets_the_extras_constraints_and_keeps_everything_else():
    mended = poetrylock.for_export(LOCK_11)
    deps = _deps(mended, "worker")
    assert deps["redis"] == {"version": ">=3.4.1,!=4.0.0,!=4.0.1", "optional": True, "markers": 'extra == "redis"'}
    assert deps["Brotli"]["version"] == ">=1.0.0"  # already the same words: untouched
    assert deps["kombu"] == ">=5.2.3,<6.0"
    before, after = LOCK_11.splitlines(), mended.splitlines()
    assert len(before) == len(after)
    assert [a for a, b in zip(after, before) if a != b] == [
        'redis = {version = ">=3.4.1,!=4.0.0,!=4.0.1", optional = true, markers = "extra == \\"redis\\""}']
    assert tomltext.loads(mended)["metadata"] == tomltext.loads(LOCK_11)["metadata"]


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2", "2.0"])
def test_every_lock_version_before_2_1_is_mended(version):
    text = LOCK_11.replace('lock-version = "1.1"', f'lock-version = "{version}"')
    assert _deps(poetrylock.for_export(text), "worker")["redis"]["version"] == ">=3.4.1,!=4.0.0,!=4.0.1"


def test_a_2_0_lock_with_files_per_package_and_pep_508_entries():
    text = textwrap.dedent('''\
        [[package]]
        name = "requests"
        version = "2.31.0"
        description = "HTTP"
        optional = false
        python-versions = ">=3.7"
        files = [
            {file = "requests-2.31.0-py3-none-any.whl", hash = "sha256:00"},
        ]

        [package.dependencies]
        PySocks = {version = ">=1.5.6,<1.5.7 || >1.5.7", optional = true, markers = "extra == \\"socks\\""}
        kombu = {version = ">=5", extras = ["redis"], optional = true, markers = "extra == \\"queue\\""}

        [package.extras]
        socks = ["PySocks>=1.5.6,!=1.5.7"]
        queue = ["kombu[redis]"]

        [metadata]
        lock-version = "2.0"
        python-versions = "^3.11"
        content-hash = "0123"
        ''')
    deps = _deps(poetrylock.for_export(text), "requests")
    assert deps["PySocks"]["version"] == ">=1.5.6,!=1.5.7"
    assert deps["kombu"] == {"version": "*", "extras": ["redis"], "optional": True, "markers": 'extra == "queue"'}


def test_a_2_1_lock_is_left_as_it_is():
    text = LOCK_11.replace('lock-version = "1.1"', 'lock-version = "2.1"')
    assert poetrylock.for_export(text) is text


def test_one_name_twice_pairs_each_entry_with_its_item_in_order():
    text = LOCK_11.replace(
        'redis = {version = ">=3.4.1,<4.0.0 || >4.0.0,<4.0.1 || >4.0.1", optional = true, markers = "extra == \\"redis\\""}',
        'redis = [\n    {version = "<4.0.0 || >4.0.0,<5", optional = true, markers = "python_version < \\"3.8\\""},\n'
        '    {version = ">=5.0.0,<6.0.0 || >6.0.0", optional = true, markers = "python_version >= \\"3.8\\""},\n]')
    text = text.replace('redis = ["redis (>=3.4.1,!=4.0.0,!=4.0.1)"]',
                        'redis = ["redis (!=4.0.0,<5) ; python_version < \\"3.8\\"", '
                        '"redis (>=5.0.0,!=6.0.0) ; python_version >= \\"3.8\\""]')
    items = _deps(poetrylock.for_export(text), "worker")["redis"]
    assert [i["version"] for i in items] == ["!=4.0.0,<5", ">=5.0.0,!=6.0.0"]


def test_required_and_direct_dependencies_are_not_touched():
    text = LOCK_11.replace('optional = true, markers = "extra == \\"redis\\""',
                           'markers = "extra == \\"redis\\""')
    assert poetrylock.for_export(text) is text
    text = LOCK_11.replace('{version = ">=3.4.1,<4.0.0 || >4.0.0,<4.0.1 || >4.0.1", optional = true',
                           '{git = "https://example.com/redis.git", optional = true')
    assert poetrylock.for_export(text) is text


@pytest.mark.parametrize("text", ["not [ toml", "[metadata]\nlock-version = 'x'\n", "", "package = 3\n"])
def test_unreadable_or_odd_locks_come_back_unchanged(text):
    assert poetrylock.for_export(text) is text


@pytest.mark.parametrize(("entry", "parsed"), [
    ("PySocks (>=1.5.6,!=1.5.7)", ("pysocks", ">=1.5.6,!=1.5.7")),
    ("PySocks>=1.5.6,!=1.5.7", ("pysocks", ">=1.5.6,!=1.5.7")),
    ('brotli (>=1.0.0) ; platform_python_implementation == "CPython"', ("brotli", ">=1.0.0")),
    ("kombu[redis]", ("kombu", "*")),
    ("zope.interface", ("zope-interface", "*")),
    ("x @ https://example.com/x.whl", None),
])
def test_entry_constraint(entry, parsed):
    assert poetrylock.entry_constraint(entry) == parsed
