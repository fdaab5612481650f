"""dkenv/manifests/dependencies.py: PEP 508 requirement strings -> normalized names and extras."""
from __future__ import annotations

import subprocess
import sys

import pytest

from dkenv.manifests import dependencies
from tests.conftest import REPO


@pytest.mark.parametrize("line, expected", [
    ("celery[redis]>=5", ("celery", {"redis"})),
    ("Django>=4.2,<5.3", ("django", set())),
    ("psycopg[binary, pool]; python_version > '3.8'", ("psycopg", {"binary", "pool"})),
    ("ruamel.yaml", ("ruamel-yaml", set())),
    ("foo @ https://example.com/foo.zip", ("foo", set())),
    ("git+https://github.com/a/b.git#egg=My_Pkg[extra]", ("my-pkg", {"extra"})),
    ("./local", None),
    ("https://example.com/x.tar.gz", None),
])
def test_parse_requirement(line, expected):
    assert dependencies.parse_requirement(line) == expected


@pytest.mark.parametrize("line, expected", [
    ("foo[ A_b ,c]>=1", ("foo", {"a-b", "c"})),  # extras normalized (PEP 685)
    ("foo (>=1.0)", ("foo", set())),
    ("foo@https://example.com/foo.whl", ("foo", set())),
    ("./vendor/Thing-1.0-py3-none-any.whl", ("thing", set())),
    ("foo.tar.gz", None),  # a local archive, not a project named foo.tar.gz
    ("", None),
])
def test_parse_requirement_forms(line, expected):
    assert dependencies.parse_requirement(line) == expected


@pytest.mark.parametrize("line, pythons, counted", [
    ('pywin32; sys_platform == "win32"', None, False),
    ('colorama; platform_system == "Windows" or os_name == "nt"', None, False),
    ('uvloop; sys_platform != "win32" and implementation_name == "cpython"', None, True),
    ('pypy-only; platform_python_implementation == "PyPy"', None, False),
    ('zoneinfo-backport; python_version < "3.9"', None, True),  # 3.8 is a Python dkenv provides
    ('zoneinfo-backport; python_version < "3.9"', ["3.10", "3.11"], False),
    ('zoneinfo-backport; python_version < "3.9"', ["3.8"], True),
    ('new; python_version >= "3.12"', ["3.11"], False),
    ('late-patch; python_full_version >= "3.11.4"', ["3.11"], True),  # some 3.11.Z
    ('early-patch; python_full_version < "3.11.1"', ["3.11"], True),
    ('never; python_version < "3"', None, False),
    ('only-in-an-extra; extra == "docs"', None, False),  # as pip reads a requirements file
    ('odd; python_version ~= "x"', None, True),  # what packaging cannot decide does not rule it out
])
def test_a_requirement_counts_only_where_its_marker_can_hold(line, pythons, counted):
    assert (dependencies.parse_requirement(line, pythons) is not None) is counted


def test_an_invalid_requirement_is_a_value_error_saying_why():
    with pytest.raises(ValueError) as info:
        dependencies.parse_requirement("requests >>= 2")
    note = dependencies.invalid("requirements.txt", "requests >>= 2 ", info.value)
    assert note.startswith("requirements.txt: 'requests >>= 2' is not a valid requirement (Expected ")
    assert note.endswith("; ignored") and "\n" not in note


@pytest.mark.parametrize("name, normalized, valid", [
    ("Foo__Bar.baz", "foo-bar-baz", True),
    ("ruamel.yaml", "ruamel-yaml", True),
    ("a", "a", True),
    ("-foo", "-foo", False),
    ("foo bar", "foo bar", False),
    ("foo-", "foo-", False),
])
def test_names(name, normalized, valid):
    assert dependencies.normalize(name) == normalized
    assert dependencies.valid_name(name) is valid


def test_pyproject_invalid_requirements_are_notes_and_markers_decide():
    data = {"project": {"dependencies": ["django>=4", "requests >>= 2", 'pywin32; sys_platform == "win32"'],
                        "optional-dependencies": {"old": ['importlib-metadata; python_version < "3.10"']}}}
    notes: list[str] = []
    assert dependencies.pyproject_requirements(data, ["3.11", "3.12"], notes) == {"django": set()}
    assert len(notes) == 1 and notes[0].startswith("pyproject.toml: 'requests >>= 2' is not a valid requirement")
    assert set(dependencies.pyproject_requirements(data, ["3.9"])) == {"django", "importlib-metadata"}


def test_poetry_and_pipfile_tables_with_markers_and_python():
    data = {"tool": {"poetry": {"dependencies": {
        "python": "^3.10",
        "pywin32": {"version": "*", "markers": "sys_platform == 'win32'"},
        "backports-zoneinfo": {"version": "*", "python": "<3.9"},
        "tomli": {"version": "^2", "python": ">=3.8,<3.11"},
        "numpy": [{"version": "1.24", "python": "<3.9"}, {"version": "^2", "python": ">=3.9", "extras": ["x"]}],
        "weird": {"version": "*", "markers": "not a marker"},  # packaging cannot read it: not ruled out
    }}}}
    assert dependencies.pyproject_requirements(data, ["3.12"]) == {"numpy": {"x"}, "weird": set()}
    assert set(dependencies.pyproject_requirements(data, ["3.10"])) == {"tomli", "numpy", "weird"}
    pipfile = {"packages": {"pywin32": {"version": "*", "markers": "os_name == 'nt'"}, "Requests": "*"}}
    assert dependencies.pipfile_requirements(pipfile) == {"requests": set()}


def test_pipfile_per_package_marker_keys_are_evaluated_as_pipenv_reads_them():
    pipfile = {"packages": {
        "pywin32": {"version": "*", "sys_platform": "== 'win32'"},
        "appnope": {"version": "*", "platform_system": "== 'Darwin'", "markers": "python_version >= '3'"},
        "uvloop": {"version": "*", "os_name": "!= 'nt'"},
        "tomli": {"version": "*", "python_version": "< '3.11'"},
        "odd": {"version": "*", "sys_platform": "is linux"},  # packaging cannot read it: not ruled out
    }, "dev-packages": {"colorama": {"version": "*", "os_name": "== 'nt'", "extras": ["x"]}}}
    assert dependencies.pipfile_requirements(pipfile, ["3.11"]) == {"uvloop": set(), "odd": set()}
    assert set(dependencies.pipfile_requirements(pipfile, ["3.10"])) == {"uvloop", "odd", "tomli"}


def test_loading_dkenv_imports_no_packaging_only_parsing_does(tmp_path):
    """packaging is imported by the functions that parse (init, build), never at module
    level: the CLI, the config's validation and the installers load without it, and so
    does the pip build context (a no-op `dkenv up` computes it)."""
    (tmp_path / ".dkenv.toml").write_text('[project]\nname = "demo"\n[image]\ninstall = "pip"\n')
    (tmp_path / "requirements.txt").write_text('-r more.txt\nsix; python_version >= "3"\n')
    (tmp_path / "more.txt").write_text("attrs\n")
    code = (
        "import sys\n"
        "import dkenv.cli, dkenv.commands._ready, dkenv.detect.detection, dkenv.image.plan, dkenv.production.plan\n"
        "from dkenv import installers\n"
        "from dkenv.project import config\n"
        f"config.load(config.locate_root({str(tmp_path)!r}))\n"
        "[installers.get(name) for name in installers.names()]\n"
        "from dkenv.manifests.requirements import closure\n"
        f"assert closure(config.locate_root({str(tmp_path)!r}), ['requirements.txt']) == "
        "['requirements.txt', 'more.txt']\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'packaging'], 'loaded'\n"
        "from dkenv.manifests import dependencies\n"
        "dependencies.parse_requirement('x>=1')\n"
        "assert 'packaging.requirements' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr


def test_a_marker_packaging_cannot_compare_is_no_error():
    """packaging 23 raises InvalidVersion comparing a kernel's release string as a version."""
    from packaging.version import InvalidVersion

    class Marker:
        def evaluate(self, environment):
            raise InvalidVersion("Invalid version: '6.1.0-rpi7-rpi-v8'")

    assert dependencies.marker_holds(Marker(), ["3.12"]) is True
