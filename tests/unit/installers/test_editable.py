"""dkenv/installers/editable.py: editable wheels of the project's packages, made without the source."""
from __future__ import annotations

import base64
import hashlib
import io
import zipfile

import pytest

from dkenv import tomltext
from dkenv.installers import editable
from tests.unit.conftest import tree


@pytest.mark.parametrize("files, pyproject, roots", [
    ({"pkg/__init__.py": ""}, "", ["."]),  # flat layout
    ({"src/pkg/__init__.py": ""}, "", ["src"]),  # src layout
    ({"lib/pkg/__init__.py": ""}, '[tool.hatch.build.targets.wheel]\npackages = ["lib/pkg"]\n', ["lib"]),
    ({"app/__init__.py": "", "src/x.py": ""}, '[tool.hatch.build.targets.wheel]\npackages = ["app"]\n', ["."]),
    ({"code/pkg/__init__.py": ""}, '[tool.setuptools.package-dir]\n"" = "code"\n', ["code"]),
    ({"a/p/__init__.py": ""}, '[tool.setuptools.packages.find]\nwhere = ["a"]\n', ["a"]),
    ({"s/p/__init__.py": ""}, '[tool.poetry]\npackages = [{ include = "p", from = "s" }]\n', ["s"]),
    ({"s/p/__init__.py": ""}, '[tool.pdm.build]\npackage-dir = "s"\n', ["s"]),
    ({"src/p/__init__.py": ""}, '[build-system]\nbuild-backend = "uv_build"\n', ["src"]),
    ({"m/p/__init__.py": ""}, '[build-system]\nbuild-backend = "uv_build"\n[tool.uv.build-backend]\nmodule-root = "m"\n',
     ["m"]),
    ({"p/__init__.py": ""}, '[tool.setuptools.package-dir]\n"" = "../outside"\n', ["."]),  # never outside
])
def test_import_roots(tmp_path, files, pyproject, roots):
    folder = tree(tmp_path / "member", files)
    assert editable.import_roots(folder, tomltext.loads(pyproject)) == [folder / r if r != "." else folder
                                                                       for r in roots]


PYPROJECT = """\
[project]
name = "My.Package"
version = "1.2.3"
dependencies = ["six>=1", "greeting"]
[project.scripts]
my-tool = "my_package.cli:main"
[project.entry-points."pytest11"]
myplugin = "my_package.plugin"
"""


def read_wheel(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name).decode() for name in z.namelist()}


def test_editable_wheel(tmp_path):
    folder = tree(tmp_path / "pkg", {"src/my_package/__init__.py": ""})
    name, data = editable.editable_wheel("My.Package", None, folder, tomltext.loads(PYPROJECT))
    assert name == "my_package-1.2.3-py3-none-any.whl"
    files = read_wheel(data)
    info = "my_package-1.2.3.dist-info"
    assert files["__editable__.my_package.pth"] == f"{folder / 'src'}\n"
    assert "Name: My.Package\nVersion: 1.2.3\nRequires-Dist: six>=1\nRequires-Dist: greeting\n" in files[f"{info}/METADATA"]
    assert "Root-Is-Purelib: true" in files[f"{info}/WHEEL"]
    assert files[f"{info}/entry_points.txt"] == ("[console_scripts]\nmy-tool = my_package.cli:main\n\n"
                                                 "[pytest11]\nmyplugin = my_package.plugin\n\n")
    for line in files[f"{info}/RECORD"].splitlines()[:-1]:  # every file's hash is right
        path, digest, size = line.split(",")
        content = files[path].encode()
        assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
        assert int(size) == len(content)
    assert files[f"{info}/RECORD"].endswith(f"{info}/RECORD,,\n")
    # the same input gives the same bytes: the image tag does not change between runs
    assert editable.editable_wheel("My.Package", None, folder, tomltext.loads(PYPROJECT))[1] == data


def test_version_from_the_lock_first_and_a_placeholder_for_dynamic_ones(tmp_path):
    data = tomltext.loads('[project]\nname = "p"\ndynamic = ["version"]\n')
    assert editable.editable_wheel("p", "2.0", tmp_path, data)[0] == "p-2.0-py3-none-any.whl"
    name, wheel = editable.editable_wheel("p", None, tmp_path, data)
    assert name == "p-0-py3-none-any.whl"
    assert "p-0.dist-info/entry_points.txt" not in read_wheel(wheel)  # no entry points, no file


def test_relocated_wheel_names_the_source_in_the_image(tmp_path):
    import io
    import zipfile

    from dkenv.installers.editable import editable_wheel, relocated

    (tmp_path / "src" / "pkg").mkdir(parents=True)
    data = {"project": {"name": "pkg", "version": "2.0", "scripts": {"pkg": "pkg:main"}}}
    _, wheel = editable_wheel("pkg", None, tmp_path, data)
    moved = relocated(wheel, tmp_path, "/app")
    with zipfile.ZipFile(io.BytesIO(moved)) as zf:
        assert zf.read("__editable__.pkg.pth").decode() == "/app/src\n"
        record = zf.read("pkg-2.0.dist-info/RECORD").decode()
        assert "__editable__.pkg.pth,sha256=" in record and ",9\n" in record  # the new size
        assert "pkg = pkg:main" in zf.read("pkg-2.0.dist-info/entry_points.txt").decode()
    assert relocated(wheel, tmp_path, "/app") == moved  # reproducible bytes: a stable Dockerfile


@pytest.mark.parametrize("version, spelled", [
    ("1.0-dev", "1.0.dev0"), ("2.0.0-RC1", "2.0.0rc1"), ("1!2.0+local.1", "1!2.0+local.1"), ("v1.2", "1.2"),
    ("not a version", "0"), (None, "0"), (3, "0"),
])
def test_wheel_versions_are_pep440_normalized(version, spelled):
    assert editable.wheel_version(version) == spelled


def test_an_unnormalized_version_makes_a_wheel_name_pip_can_read(tmp_path):
    name, wheel = editable.editable_wheel("My.Pkg", "1.0-dev", tmp_path, {"project": {"name": "My.Pkg"}})
    assert name == "my_pkg-1.0.dev0-py3-none-any.whl"
    assert "Version: 1.0.dev0\n" in read_wheel(wheel)["my_pkg-1.0.dev0.dist-info/METADATA"]


@pytest.mark.parametrize("name, packaged", [("ok.name", "ok.name"), ("bad name", None), ("-x", None)])
def test_only_a_valid_distribution_name_is_packaged(name, packaged):
    assert editable.packaged({"build-system": {}, "project": {"name": name}}) == packaged
