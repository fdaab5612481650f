"""dkenv/image/plan.py: the resolved ImagePlan, the build context and its digest."""
from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from dkenv.errors import ConfigError
from dkenv.image import dockerfile, plan
from dkenv.project import config
from dkenv.project.project import Project
from tests.conftest import REPO


@pytest.fixture(autouse=True)
def no_host_cas(tmp_path, monkeypatch):
    """This machine's CA folder must not leak into the tests."""
    folder = tmp_path / "host-ca-empty"
    folder.mkdir()
    monkeypatch.setattr(plan, "HOST_CA_DIR", folder)
    return folder


def files(root: Path, tree: dict[str, str]) -> None:
    for rel, text in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def project(root: Path, toml: str, tree: dict[str, str] | None = None) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    files(root, tree or {})
    text = textwrap.dedent(toml)
    (root / ".dkenv.toml").write_text(text)
    cfg = config.validate(root / ".dkenv.toml", text)
    return Project(config=cfg, name="demo")


PIP = """\
    [image]
    base = "debian:bookworm-slim"
    python = "3.11"
    install = "pip"
    requirements = ["requirements.txt"]
    """


# --- digest ---

def test_digest_is_stable_and_sensitive():
    base = plan.digest("FROM x\n", {"manifests/a.txt": b"a", "ca/x.crt": b"c"})
    assert base == plan.digest("FROM x\n", {"ca/x.crt": b"c", "manifests/a.txt": b"a"})
    assert len(base) == 12 and all(c in "0123456789abcdef" for c in base)
    assert plan.digest("FROM y\n", {"manifests/a.txt": b"a", "ca/x.crt": b"c"}) != base
    assert plan.digest("FROM x\n", {"manifests/a.txt": b"b", "ca/x.crt": b"c"}) != base
    assert plan.digest("FROM x\n", {"manifests/b.txt": b"a", "ca/x.crt": b"c"}) != base
    assert plan.digest("FROM x\n", {"manifests/a.txt": b"a"}) != base


def test_digest_file_boundaries_matter():
    # the same bytes split differently between two files are a different context
    assert plan.digest("", {"a": b"xy", "b": b""}) != plan.digest("", {"a": b"x", "b": b"y"})


def test_digest_depends_on_dkenv_version(monkeypatch):
    before = plan.digest("FROM x\n", {})
    monkeypatch.setattr(plan, "__version__", "999.0")
    assert plan.digest("FROM x\n", {}) != before


# --- host CA files ---

def test_host_ca_files(tmp_path, monkeypatch):
    folder = tmp_path / "cas"
    folder.mkdir()
    (folder / "corp.crt").write_bytes(b"CORP")
    (folder / "a.crt").write_bytes(b"A")
    (folder / "notes.txt").write_text("not a cert")
    (folder / "dir.crt").mkdir()
    monkeypatch.setattr(plan, "HOST_CA_DIR", folder)
    assert plan.host_ca_files("auto") == {"ca/a.crt": b"A", "ca/corp.crt": b"CORP"}
    assert plan.host_ca_files("none") == {}


def test_host_ca_files_missing_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(plan, "HOST_CA_DIR", tmp_path / "absent")
    assert plan.host_ca_files("auto") == {}


# --- make(): a real project ---

def test_make_pip_with_constraints(tmp_path):
    proj = project(tmp_path, PIP, {
        "requirements.txt": "django\n-c constraints.txt\n",
        "constraints.txt": "django<5\n",
        "app.py": "print('source')\n",
    })
    build = plan.make(proj)
    assert build.files == {
        "manifests/requirements.txt": b"django\n-c constraints.txt\n",
        "manifests/constraints.txt": b"django<5\n",
    }
    assert build.image.install == "pip"
    assert build.image.python == "3.11"
    assert build.image.python_from == "system"  # bookworm ships 3.11
    assert build.image.requirements == ["requirements.txt"]
    assert build.image.extra_ca is False
    assert build.image.locked is False
    assert build.image.project == "demo"
    assert "-r requirements.txt" in build.dockerfile
    assert build.dockerfile == dockerfile.render(build.image)
    assert build.digest == plan.digest(build.dockerfile, build.files)
    assert build.tag(proj) == f"dkenv/demo:{build.digest}"


def test_make_uses_detected_values_when_config_leaves_them(tmp_path):
    proj = project(tmp_path, '[image]\nbase = "ubuntu:jammy"\n', {
        "requirements.txt": "django\n", "constraints.txt": "django<5\n", ".python-version": "3.10\n"})
    build = plan.make(proj)
    assert build.image.python == "3.10"
    assert build.image.install == "pip"
    assert build.image.python_from == "system"  # jammy ships 3.10
    assert build.image.requirements == ["requirements.txt"]
    assert build.image.constraints == ["constraints.txt"]
    assert set(build.files) == {"manifests/requirements.txt", "manifests/constraints.txt"}
    assert "-r requirements.txt -c constraints.txt" in build.dockerfile


def test_make_config_requirements_win_over_detection(tmp_path):
    proj = project(tmp_path, PIP.replace('"requirements.txt"', '"other.txt"'),
                   {"requirements.txt": "x\n", "other.txt": "", "constraints.txt": ""})
    build = plan.make(proj)
    assert build.image.requirements == ["other.txt"]
    assert build.image.constraints == []
    assert set(build.files) == {"manifests/other.txt"}


def test_make_pip_without_requirements_is_an_error(tmp_path):
    proj = project(tmp_path, '[image]\npython = "3.11"\ninstall = "pip"\n', {})
    with pytest.raises(ConfigError) as info:
        plan.make(proj)
    assert info.value.exit_code == 2
    assert "image.install is pip but no requirements file was found" in str(info.value)
    assert "set image.requirements" in str(info.value)


def test_make_without_python_uses_the_hosts(tmp_path):
    proj = project(tmp_path, '[image]\ninstall = "none"\n')
    assert plan.make(proj).image.python == "%d.%d" % sys.version_info[:2]


def test_a_dev_file_including_its_main_file_without_a_space_brings_both(tmp_path):
    # `-rrequirements.txt` (no space) is an include pip follows: the build context needs both files
    proj = project(tmp_path, PIP.replace('"requirements.txt"', '"requirements-dev.txt"'),
                   {"requirements.txt": "django\n", "requirements-dev.txt": "-rrequirements.txt\npytest\n"})
    assert set(plan.make(proj).files) == {"manifests/requirements-dev.txt", "manifests/requirements.txt"}


def test_make_poetry(tmp_path):
    proj = project(tmp_path, """\
        [image]
        base = "python:3.12-slim"
        python = "3.12"
        install = "poetry"
        """, {
        "pyproject.toml": "[tool.poetry]\nname = 'x'\n",
        "poetry.lock": "# lock\n",
        "README.md": "not in the context\n",
    })
    build = plan.make(proj)
    assert set(build.files) == {"manifests/pyproject.toml", "manifests/poetry.lock"}
    assert build.image.locked is True
    assert build.image.python_from == "image"
    assert "poetry --no-interaction --no-ansi export" in build.dockerfile
    assert "poetry install" not in build.dockerfile  # it needs PyPI's JSON API; the export needs no index


def test_without_lock_the_image_resolves_anew_as_if_the_project_had_none(tmp_path):
    """`dkenv lock --force`: the lock left out of the context, so the installer locks in the image."""
    proj = project(tmp_path, '[image]\nbase = "python:3.12-slim"\npython = "3.12"\ninstall = "poetry"\n', {
        "pyproject.toml": "[tool.poetry]\nname = 'x'\n",
        "poetry.lock": "[metadata]\nlock-version = '2.1'\n",
    })
    locked, fresh = plan.make(proj), plan.make(proj, without_lock=True)
    assert set(fresh.files) == {"manifests/pyproject.toml"}
    assert (fresh.image.locked, fresh.image.hashes) == (False, False)
    assert "poetry --no-interaction --no-ansi lock" in fresh.dockerfile
    assert "--without-hashes" in fresh.dockerfile and "--without-hashes" not in locked.dockerfile
    assert fresh.digest != locked.digest
    (tmp_path / "poetry.lock").unlink()
    assert plan.make(proj).digest == fresh.digest  # the very image a project without the lock gets


def test_make_poetry_without_pyproject(tmp_path):
    proj = project(tmp_path, '[image]\npython = "3.12"\ninstall = "poetry"\n', {"poetry.lock": ""})
    with pytest.raises(ConfigError) as info:
        plan.make(proj)
    assert "image.install is poetry but pyproject.toml is missing" in str(info.value)


def test_make_uv_lock(tmp_path):
    proj = project(tmp_path, '[image]\npython = "3.12"\ninstall = "uv"\n', {
        "pyproject.toml": "[project]\nname='x'\n", "uv.lock": "", ".python-version": "3.12\n"})
    build = plan.make(proj)
    assert set(build.files) == {"manifests/pyproject.toml", "manifests/uv.lock", "manifests/.python-version"}
    assert build.image.locked is True
    assert build.image.python_from == "uv"  # bookworm's python3 is 3.11
    assert "--frozen" in build.dockerfile


def test_make_pyproject(tmp_path):
    proj = project(tmp_path, '[image]\npython = "3.11"\ninstall = "pyproject"\n', {
        "pyproject.toml": "[project]\nname='x'\ndependencies=['attrs']\n"})
    build = plan.make(proj)
    assert build.files == {"manifests/dkenv-requirements.txt": b"attrs\n"}


def test_make_passes_extras_and_groups_to_the_installer(tmp_path):
    proj = project(tmp_path, '[image]\npython = "3.11"\nextras = ["toml"]\ngroups = []\n', {
        "pyproject.toml": "[project]\nname='x'\n[project.optional-dependencies]\ntoml = ['tomli']\n", "uv.lock": ""})
    build = plan.make(proj)
    assert (build.image.install, build.image.extras, build.image.groups) == ("uv", ["toml"], [])
    assert "--frozen --extra toml --no-default-groups --python" in build.dockerfile
    unset = plan.make(project(tmp_path / "q", '[image]\npython = "3.11"\n', {
        "pyproject.toml": "[project]\nname='x'\n", "uv.lock": ""}))
    assert (unset.image.extras, unset.image.groups) == (None, None)
    assert unset.digest != build.digest


def test_make_extras_with_nothing_to_install(tmp_path):
    proj = project(tmp_path, '[image]\npython = "3.11"\nextras = ["test"]\n')
    with pytest.raises(ConfigError, match=r'image.extras and image.groups do not apply: install is "none" '
                                          r"\(nothing to install was detected\)"):
        plan.make(proj)
    pip = project(tmp_path / "q", '[image]\npython = "3.11"\ngroups = ["dev"]\n', {"requirements.txt": "six\n"})
    with pytest.raises(ConfigError, match='image.groups does not apply to install = "pip"'):
        plan.make(pip)  # detected, so not refused at load


def test_make_none_and_setup(tmp_path):
    proj = project(tmp_path, '[image]\npython = "3.11"\ninstall = "none"\nsetup = "s.sh"\n',
                   {"s.sh": "echo hi\n"})
    build = plan.make(proj)
    assert build.files == {"setup/setup.sh": b"echo hi\n"}
    assert build.image.setup is True


def test_make_with_host_cas(tmp_path, monkeypatch):
    cas = tmp_path / "cas"
    cas.mkdir()
    (cas / "corp.crt").write_bytes(b"CERT")
    monkeypatch.setattr(plan, "HOST_CA_DIR", cas)
    proj = project(tmp_path / "p", PIP, {"requirements.txt": "x\n"})
    build = plan.make(proj)
    assert build.files["ca/corp.crt"] == b"CERT"
    assert build.image.extra_ca is True
    assert "COPY ca/" in build.dockerfile
    without = project(tmp_path / "q", PIP.replace("[image]", '[image]\nextra_ca = "none"'),
                      {"requirements.txt": "x\n"})
    plain = plan.make(without)
    assert plain.image.extra_ca is False
    assert not any(k.startswith("ca/") for k in plain.files)


def test_make_without_host_cas(tmp_path):
    proj = project(tmp_path, PIP, {"requirements.txt": "x\n"})
    build = plan.make(proj)
    assert build.image.extra_ca is False
    assert "COPY ca/" not in build.dockerfile


def test_make_ca_change_changes_digest(tmp_path, monkeypatch):
    cas = tmp_path / "cas"
    cas.mkdir()
    monkeypatch.setattr(plan, "HOST_CA_DIR", cas)
    proj = project(tmp_path / "p", PIP, {"requirements.txt": "x\n"})
    before = plan.make(proj).digest
    (cas / "new.crt").write_bytes(b"NEW")
    assert plan.make(proj).digest != before


def _digest(root: Path, toml: str, tree: dict[str, str]) -> str:
    return plan.make(project(root, toml, tree)).digest


def test_digest_changes_with_requirements(tmp_path):
    tree = {"requirements.txt": "django\n"}
    before = _digest(tmp_path, PIP, tree)
    assert _digest(tmp_path, PIP, tree) == before  # stable
    assert _digest(tmp_path, PIP, {"requirements.txt": "django==5.0\n"}) != before


def test_digest_changes_with_included_file(tmp_path):
    tree = {"requirements.txt": "-r base.txt\n", "base.txt": "a\n"}
    before = _digest(tmp_path, PIP, tree)
    assert _digest(tmp_path, PIP, {"base.txt": "b\n"}) != before


def test_digest_ignores_source_files(tmp_path):
    before = _digest(tmp_path, PIP, {"requirements.txt": "x\n", "app.py": "1\n"})
    assert _digest(tmp_path, PIP, {"app.py": "2\n", "new.py": ""}) == before


def test_digest_changes_with_apt(tmp_path):
    tree = {"requirements.txt": "x\n"}
    before = _digest(tmp_path, PIP, tree)
    assert _digest(tmp_path, PIP + 'apt = ["git"]\n', tree) != before


def test_digest_changes_with_python(tmp_path):
    tree = {"requirements.txt": "x\n"}
    before = _digest(tmp_path, PIP, tree)
    assert _digest(tmp_path, PIP.replace('"3.11"', '"3.12"'), tree) != before


def test_digest_ignores_run_settings(tmp_path):
    tree = {"requirements.txt": "x\n", ".env": "A=1\n"}
    before = _digest(tmp_path, PIP, tree)
    changed = PIP + """\
        [run]
        env = { DEBUG = "1" }
        ports = ["8000", "9001:9000"]
        command = "python -m http.server"
        bind = "0.0.0.0"
        env_file = ".env"
        [shims]
        commands = ["python"]
        [services.db]
        image = "postgres:15"
        """
    assert _digest(tmp_path, changed, tree) == before


# --- write_context ---

def test_write_context(tmp_path):
    proj = project(tmp_path / "p", PIP, {"requirements.txt": "-r sub/b.txt\n", "sub/b.txt": "b\n"})
    build = plan.make(proj)
    out = tmp_path / "ctx"
    out.mkdir()
    (out / "stale").write_text("old")
    plan.write_context(build, out)
    assert (out / "Dockerfile").read_text() == build.dockerfile
    assert (out / "manifests" / "requirements.txt").read_text() == "-r sub/b.txt\n"
    assert (out / "manifests" / "sub" / "b.txt").read_text() == "b\n"
    assert not (out / "stale").exists()


def test_write_context_always_has_manifests_folder(tmp_path):
    proj = project(tmp_path / "p", '[image]\npython = "3.11"\ninstall = "none"\n')
    out = tmp_path / "ctx"
    plan.write_context(plan.make(proj), out)
    assert (out / "manifests").is_dir()


def test_make_rejects_requirements_outside_project(tmp_path):
    (tmp_path / "shared.txt").write_text("django\n")
    root = tmp_path / "proj"
    root.mkdir()
    toml = '[image]\npython = "3.11"\ninstall = "pip"\nrequirements = ["../shared.txt"]\n'
    with pytest.raises(ConfigError):
        plan.make(project(root, toml))


def test_system_python_mismatch_is_a_config_error_at_load(tmp_path):
    from dkenv.project import config

    (tmp_path / ".dkenv.toml").write_text(
        '[image]\nbase = "debian:bookworm-slim"\npython = "3.12"\npython_from = "system"\ninstall = "none"\n')
    with pytest.raises(ConfigError) as caught:
        config.load(tmp_path)
    assert f"{tmp_path / '.dkenv.toml'}:4: image.python_from:" in str(caught.value)
    assert "ships Python 3.11, not 3.12" in str(caught.value)
    assert caught.value.exit_code == 2


# --- the Python chosen when image.python is not set ---

@pytest.mark.parametrize("toml, tree, python, python_from", [
    # the case: a range on a python image is that image's version, not the lowest allowed
    ('[image]\nbase = "python:3.11-slim-bookworm"\ninstall = "poetry"\n',
     {"pyproject.toml": "[tool.poetry]\nname = 'x'\n[tool.poetry.dependencies]\npython = '^3.10'\n"}, "3.11", "image"),
    ('[image]\nbase = "debian:bookworm-slim"\ninstall = "none"\n',
     {"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.10'\n"}, "3.11", "system"),
    ('[image]\nbase = "debian:bookworm-slim"\ninstall = "none"\n',
     {"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.12'\n"}, "3.15", "uv"),
    ('[image]\nbase = "python:3.11"\ninstall = "pipenv"\n',
     {"Pipfile": '[packages]\nsix = "*"\n[requires]\npython_version = "3"\n'}, "3.11", "image"),
    ('[image]\nbase = "python:latest"\ninstall = "none"\n', {".python-version": "3.12\n"}, None, "image"),
    ('[image]\nbase = "python:3.12-slim"\ninstall = "none"\n', {}, "3.12", "image"),
])
def test_make_chooses_the_python_the_base_provides(tmp_path, toml, tree, python, python_from):
    build = plan.make(project(tmp_path, toml, tree))
    assert (build.image.python, build.image.python_from) == (python, python_from)


def test_make_refuses_a_python_image_the_project_does_not_allow(tmp_path):
    proj = project(tmp_path, '[image]\nbase = "python:3.11-slim-bookworm"\ninstall = "none"\n',
                   {"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.8,<3.11'\n"})
    with pytest.raises(ConfigError) as caught:
        plan.make(proj)
    message = str(caught.value)
    assert caught.value.exit_code == 2 and "\n" not in message
    assert "image.python is not set and python:3.11-slim-bookworm provides Python 3.11, which" in message
    assert "pyproject.toml requires-python '>=3.8,<3.11' does not allow" in message
    assert 'base = "python:3.10-slim-bookworm"' in message


def test_an_explicit_python_wins_over_the_projects_constraint(tmp_path):
    proj = project(tmp_path, '[image]\nbase = "debian:bookworm-slim"\npython = "3.13"\ninstall = "none"\n',
                   {".python-version": "3.11\n"})
    build = plan.make(proj)
    assert (build.image.python, build.image.python_from) == ("3.13", "uv")


def test_headers_come_with_a_compiler_for_the_distributions_python(tmp_path):
    proj = project(tmp_path, '[image]\nbase = "debian:bookworm-slim"\npython = "3.11"\n'
                             'apt = ["build-essential", "libgdal-dev"]\ninstall = "none"\n')
    build = plan.make(proj)
    assert build.image.python_from == "system"
    assert "build-essential libgdal-dev python3 python3-dev python3-venv" in build.dockerfile


# --- image.workdir: the app's folder holds the manifests ---

def test_workdir_pip_reads_the_app_folder(tmp_path):
    proj = project(tmp_path, '[image]\npython = "3.11"\nworkdir = "backend"\n', {
        "requirements.txt": "ignored-at-the-root\n",
        "backend/requirements.txt": "six\n-r requirements/dev.txt\n", "backend/requirements/dev.txt": "attrs\n"})
    build = plan.make(proj)
    assert build.image.install == "pip"
    assert build.image.requirements == ["requirements.txt", "requirements/dev.txt"]  # relative to the app's folder
    assert build.files == {"manifests/requirements.txt": b"six\n-r requirements/dev.txt\n",
                           "manifests/requirements/dev.txt": b"attrs\n"}


def test_workdir_config_requirements_are_relative_to_it(tmp_path):
    proj = project(tmp_path, '[image]\npython = "3.11"\ninstall = "pip"\nworkdir = "api"\nrequirements = ["base.txt"]\n',
                   {"api/base.txt": "six\n"})
    assert plan.make(proj).files == {"manifests/base.txt": b"six\n"}
    with pytest.raises(ConfigError, match="image.requirements: file 'base.txt' not found in"):
        project(tmp_path / "other", '[image]\nworkdir = "api"\nrequirements = ["base.txt"]\n',
                {"base.txt": "six\n", "api/x": ""})


def test_workdir_poetry_reads_the_app_folder(tmp_path):
    proj = project(tmp_path, '[image]\npython = "3.11"\nworkdir = "services/api"\n', {
        "pyproject.toml": "[tool.black]\n", "services/api/pyproject.toml": "[tool.poetry]\nname = 'x'\n",
        "services/api/poetry.lock": "# lock\n"})
    build = plan.make(proj)
    assert build.image.install == "poetry" and build.image.locked
    assert set(build.files) == {"manifests/pyproject.toml", "manifests/poetry.lock"}
    assert build.files["manifests/pyproject.toml"] == b"[tool.poetry]\nname = 'x'\n"


def test_workdir_in_a_uv_workspace(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(REPO / "tests" / "data" / "uv-workspace", root)
    proj = project(root, '[image]\nworkdir = "backend"\n')
    build = plan.make(proj)
    assert (build.image.install, build.image.python, build.image.locked) == ("uv", "3.11", True)
    assert build.image.install_args == ["--no-install-workspace", "--package", "ws-backend"]
    assert "manifests/libs/greeting/pyproject.toml" in build.files
    assert "uv sync --no-install-workspace --package ws-backend --frozen" in build.dockerfile
    assert "manifests/.dkenv-editable/ws_backend-0.1.0-py3-none-any.whl" in build.files
