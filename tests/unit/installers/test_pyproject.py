"""dkenv/installers/pyproject.py and standard.py: PEP 621 dependencies, extras and
PEP 735 groups as a requirements file for pip."""
from __future__ import annotations

import io
import zipfile
from types import SimpleNamespace

import pytest

from dkenv.errors import ConfigError
from dkenv.installers import pyproject, standard
from tests.unit.installers.helpers import DATA, files, folder, no_detection

INSTALLER = pyproject.Pyproject()
PROJECT = {"pyproject.toml": """\
    [project]
    name = "My_App"
    dependencies = ["django>=4", "requests"]
    [project.optional-dependencies]
    test = ["pytest>=8", "my-app[fixtures]"]
    fixtures = ["factory-boy"]
    docs = ["sphinx"]
    Dev = ["my_app[test,docs]; python_version >= '3.10'", "ruff"]
    [dependency-groups]
    dev = ["ipython", {include-group = "lint"}]
    lint = ["mypy"]
    """}


def requirements(tmp_path, extras=None, groups=None) -> list[str]:
    files(tmp_path, PROJECT)
    found = INSTALLER.inputs(tmp_path, [], no_detection, extras=extras, groups=groups)
    return found.files["manifests/dkenv-requirements.txt"].decode().splitlines()


def test_default_is_the_development_extras_and_the_dev_group(tmp_path):
    # test and Dev (not docs or fixtures by their names); self references expanded with
    # their markers; the dev group with its include; a line already there unconditionally once
    assert requirements(tmp_path) == [
        "django>=4", "requests", "pytest>=8", "factory-boy", 'sphinx; python_version >= "3.10"', "ruff",
        "ipython", "mypy",
    ]


def test_markers_of_self_references_combine():
    data = {"project": {"name": "p", "optional-dependencies": {
        "a": ["p[b]; sys_platform == 'linux'"], "b": ["x; python_version < '4'", "y"]}}}
    # written by packaging, as pip reads them
    assert standard.requirement_lines(data, ["a"], []) == [
        'x; python_version < "4" and sys_platform == "linux"', 'y; sys_platform == "linux"']
    data["project"]["optional-dependencies"]["b"] = ["x @ https://example.com/x.whl ; python_version < '4' or os_name == 'nt'"]
    [line] = standard.requirement_lines(data, ["a"], [])
    assert line.endswith(' https://example.com/x.whl ; (python_version < "4" or os_name == "nt") '
                         'and sys_platform == "linux"')  # `x @` or `x@` as packaging's version writes it


def test_a_self_reference_is_recognised_as_packaging_reads_it():
    data = {"project": {"name": "My.App", "dependencies": ["my_app [ Test ] >= 0 ; os_name == 'posix'"],
                        "optional-dependencies": {"test": ["pytest >= 8", "pytest>=8"]}}}
    assert standard.requirement_lines(data, [], []) == ['pytest>=8; os_name == "posix"']


def test_an_unconditional_requirement_is_not_repeated_with_a_marker():
    data = {"project": {"name": "p", "dependencies": ["Requests >= 2", "p[t]; os_name == 'posix'"],
                        "optional-dependencies": {"t": ["requests>=2", "x"]}}}
    assert standard.requirement_lines(data, [], []) == ["Requests >= 2", 'x; os_name == "posix"']


def test_an_invalid_requirement_is_a_config_error():
    data = {"project": {"name": "p", "dependencies": ["requests >>= 2"]}}
    with pytest.raises(ConfigError, match=r"^dkenv: pyproject.toml: 'requests >>= 2' is not a valid requirement "
                                          r"\(Expected [^\n]*\)$"):
        standard.requirement_lines(data, [], [])


def test_explicit_extras_and_no_groups(tmp_path):
    assert requirements(tmp_path, extras=["test"], groups=[]) == ["django>=4", "requests", "pytest>=8", "factory-boy"]
    assert requirements(tmp_path, extras=[], groups=["lint"]) == ["django>=4", "requests", "mypy"]


def test_the_chosen_names_are_reported_as_the_project_spells_them(tmp_path):
    files(tmp_path, PROJECT)
    found = INSTALLER.inputs(tmp_path, [], no_detection, extras=["dev", "TEST"], groups=None)
    assert (found.extras, found.groups) == (["Dev", "test"], ["dev"])


def test_an_unknown_extra_or_group_is_a_config_error(tmp_path):
    files(tmp_path, PROJECT)
    with pytest.raises(ConfigError, match=r"image.extras: 'tset' is not an extra of pyproject.toml "
                                          r"\[project.optional-dependencies\] \(it declares test, fixtures, docs, "
                                          r'Dev\) \(did you mean "test"\?\)'):
        INSTALLER.inputs(tmp_path, [], no_detection, extras=["tset"])
    with pytest.raises(ConfigError, match=r"image.groups: 'docs' is not a dependency group of pyproject.toml "
                                          r"\[dependency-groups\] \(it declares dev, lint\)"):
        INSTALLER.inputs(tmp_path, [], no_detection, groups=["docs"])


def test_group_include_cycles_and_unknown_includes_are_config_errors():
    data = {"dependency-groups": {"a": [{"include-group": "b"}], "b": ["x", {"include-group": "a"}],
                                  "c": [{"include-group": "nope"}]}}
    with pytest.raises(ConfigError, match="the groups include each other: a -> b -> a"):
        standard.requirement_lines(data, [], ["a"])
    with pytest.raises(ConfigError, match="'c' includes 'nope', which is not a group"):
        standard.requirement_lines(data, [], ["c"])


def test_an_extra_naming_itself_or_an_unknown_extra_ends():
    data = {"project": {"name": "p", "optional-dependencies": {"a": ["p[a,b]", "x", "p[zzz]"], "b": ["p[a]", "y"]}}}
    assert standard.requirement_lines(data, ["a"], []) == ["y", "x"]


def test_without_a_project_name_nothing_is_a_self_reference():
    data = {"project": {"dependencies": ["a"], "optional-dependencies": {"t": ["b[x]"]}}}
    assert standard.requirement_lines(data, ["t"], []) == ["a", "b[x]"]


def test_nothing_declared_installs_nothing(tmp_path):
    files(tmp_path, {"pyproject.toml": "[tool.x]\na = 1\n"})
    assert INSTALLER.inputs(tmp_path, [], no_detection).files == {"manifests/dkenv-requirements.txt": b""}


def test_a_missing_or_invalid_pyproject_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="image.install is pyproject but pyproject.toml is missing"):
        INSTALLER.inputs(tmp_path, [], no_detection)
    files(tmp_path, {"pyproject.toml": "[project\n"})
    with pytest.raises(ConfigError, match="pyproject.toml: not readable as TOML"):
        INSTALLER.inputs(tmp_path, [], no_detection)


def test_choices_and_what_init_proposes():
    choices = INSTALLER.choices(folder(DATA / "pyproject-app"))
    assert (choices.extras, choices.default_extras, choices.proposed_extras()) == (
        ["test", "dev", "docs"], ["test", "dev"], ["test", "dev"])
    assert (choices.groups, choices.default_groups) == ([], [])
    assert choices.extras_from == "pyproject.toml [project.optional-dependencies]"


def test_claims_and_dynamic_dependencies_are_noted(tmp_path):
    data = {"pyproject.toml": '[project]\nname = "x"\ndynamic = ["dependencies"]\n'
                              '[project.optional-dependencies]\ntest = ["pytest"]\n'}
    found = folder(tmp_path, data)
    assert INSTALLER.claims(found)
    assert any("dependencies are dynamic" in note for note in INSTALLER.read(found).notes)
    assert not INSTALLER.claims(folder(tmp_path, {"pyproject.toml": '[project]\nname = "x"\n'}))


def test_steps_install_the_generated_file():
    assert INSTALLER.steps(SimpleNamespace(editables=[])) == [
        "/opt/venv/bin/pip install --no-cache-dir -r dkenv-requirements.txt"]


def test_a_packaged_project_is_installed_editable_after_its_dependencies(tmp_path):
    (tmp_path / "flaskr").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "flaskr"\nversion = "1.0"\ndependencies = ["flask"]\n'
        '[project.scripts]\nflaskr-admin = "flaskr.cli:main"\n'
        '[build-system]\nrequires = ["flit_core<4"]\nbuild-backend = "flit_core.buildapi"\n')
    inputs = INSTALLER.inputs(tmp_path, [], None)
    INSTALLER.own_package(tmp_path, inputs)
    assert inputs.editables == [".dkenv-editable/flaskr-1.0-py3-none-any.whl"]
    wheel = zipfile.ZipFile(io.BytesIO(inputs.files["manifests/.dkenv-editable/flaskr-1.0-py3-none-any.whl"]))
    assert wheel.read("__editable__.flaskr.pth").decode() == f"{tmp_path}\n"  # the mounted source, flat layout
    assert "flaskr-admin = flaskr.cli:main" in wheel.read("flaskr-1.0.dist-info/entry_points.txt").decode()
    steps = INSTALLER.steps(SimpleNamespace(editables=inputs.editables))
    assert steps[-1] == ("/opt/venv/bin/pip install --no-cache-dir --no-deps --no-index "
                         ".dkenv-editable/flaskr-1.0-py3-none-any.whl")


def test_a_folder_without_a_build_system_is_not_installed(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\ndependencies = ["flask"]\n')
    inputs = INSTALLER.inputs(tmp_path, [], None)
    INSTALLER.own_package(tmp_path, inputs)
    assert inputs.editables == [] and not any(".dkenv-editable" in f for f in inputs.files)
