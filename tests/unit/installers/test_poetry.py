"""dkenv/installers/poetry.py: poetry.lock exported with Poetry's groups and extras, installed by pip."""
from __future__ import annotations

import pytest

from dkenv.errors import ConfigError
from dkenv.installers import poetry
from tests.unit.installers.helpers import DATA, files, folder, no_detection, plan

INSTALLER = poetry.Poetry()
POETRY = "POETRY_VIRTUALENVS_CREATE=false /opt/dkenv-tools/bin/poetry --no-interaction --no-ansi"
EXPORT = f"{POETRY} export --format requirements.txt --output /tmp/dkenv-poetry.txt"
PIP = "/opt/venv/bin/pip install --no-cache-dir -r /tmp/dkenv-poetry.txt"
PROJECT = {"pyproject.toml": """\
    [tool.poetry]
    name = "x"
    [tool.poetry.dependencies]
    python = "^3.11"
    psycopg = {version = "^3", optional = true}
    [tool.poetry.extras]
    pg = ["psycopg"]
    test = []
    [tool.poetry.dev-dependencies]
    black = "*"
    [tool.poetry.group.lint.dependencies]
    ruff = "*"
    [tool.poetry.group.docs]
    optional = true
    [tool.poetry.group.docs.dependencies]
    sphinx = "*"
    """}


def test_steps_export_the_lock_and_pip_installs_it():
    assert INSTALLER.steps(plan("poetry", locked=True, extras=[], groups=[])) == [EXPORT, PIP]
    chosen = plan("poetry", locked=True, extras=["pg", "test"], groups=["dev", "docs"])
    assert INSTALLER.steps(chosen) == [f"{EXPORT} --with dev,docs --extras pg --extras test", PIP]


def test_without_a_lock_poetry_locks_first_and_hashes_are_not_checked():
    steps = INSTALLER.steps(plan("poetry", locked=False, extras=[], groups=["dev"], hashes=False))
    assert steps == [f"{POETRY} lock", f"{EXPORT} --with dev --without-hashes", PIP]


def test_inputs_default_to_poetry_install_s_groups(tmp_path):
    files(tmp_path, {**PROJECT, "poetry.lock": '[[package]]\nname = "ruff"\n'})
    found = INSTALLER.inputs(tmp_path, [], no_detection)
    assert (found.extras, found.groups, found.hashes) == ([], ["dev", "lint"], True)  # not the optional docs
    assert set(found.files) == {"manifests/pyproject.toml", "manifests/poetry.lock"}
    chosen = INSTALLER.inputs(tmp_path, [], no_detection, extras=["PG"], groups=["main", "docs"])
    assert (chosen.extras, chosen.groups) == (["pg"], ["docs"])  # main is always installed
    with pytest.raises(ConfigError, match=r"'pgs' is not an extra of pyproject.toml \[tool.poetry.extras\] "
                                          r'\(it declares pg, test\) \(did you mean "pg"\?\)'):
        INSTALLER.inputs(tmp_path, [], no_detection, extras=["pgs"])


def test_a_git_package_in_the_lock_turns_hash_checking_off(tmp_path):
    files(tmp_path, {**PROJECT, "poetry.lock": """\
        [[package]]
        name = "lib"
        [package.source]
        type = "git"
        url = "https://example.com/lib.git"
        """})
    assert INSTALLER.inputs(tmp_path, [], no_detection).hashes is False
    (tmp_path / "poetry.lock").unlink()
    assert INSTALLER.inputs(tmp_path, [], no_detection).hashes is False  # a lock made in the image


def test_choices(tmp_path):
    choices = INSTALLER.choices(folder(tmp_path, PROJECT))
    assert (choices.extras, choices.default_extras, choices.proposed_extras()) == (["pg", "test"], [], ["test"])
    assert (choices.groups, choices.default_groups) == (["dev", "lint", "docs"], ["dev", "lint"])
    fixture = INSTALLER.choices(folder(DATA / "poetry-app"))
    assert (fixture.extras, fixture.groups, fixture.default_groups) == ([], ["dev"], ["dev"])


def test_poetry_2_reads_pep_621_extras_and_pep_735_groups(tmp_path):
    choices = INSTALLER.choices(folder(tmp_path, {"pyproject.toml": """\
        [project]
        name = "x"
        dependencies = ["flask"]
        [project.optional-dependencies]
        test = ["pytest"]
        [dependency-groups]
        typing = ["mypy"]
        [tool.poetry.extras]
        ignored = []
        [tool.poetry.group.typing]
        optional = true
        """}))
    assert (choices.extras, choices.extras_from) == (["test"], "pyproject.toml [project.optional-dependencies]")
    assert (choices.groups, choices.default_groups) == (["typing"], [])


def test_the_context_s_legacy_lock_follows_the_extras_and_the_project_s_is_untouched(tmp_path):
    lock = """\
        [[package]]
        name = "requests"
        version = "2.31.0"
        category = "main"
        [package.dependencies]
        PySocks = {version = ">=1.5.6,<1.5.7 || >1.5.7", optional = true, markers = "extra == \\"socks\\""}
        [package.extras]
        socks = ["PySocks (>=1.5.6,!=1.5.7)"]
        [metadata]
        lock-version = "1.1"
        """
    files(tmp_path, {**PROJECT, "poetry.lock": lock})
    before = (tmp_path / "poetry.lock").read_bytes()
    sent = INSTALLER.inputs(tmp_path, [], no_detection).files["manifests/poetry.lock"].decode()
    assert 'PySocks = {version = ">=1.5.6,!=1.5.7", optional = true' in sent
    assert sent.replace(">=1.5.6,!=1.5.7\", optional", ">=1.5.6,<1.5.7 || >1.5.7\", optional").encode() == before
    assert (tmp_path / "poetry.lock").read_bytes() == before


def test_an_optional_dependency_is_no_main_one(tmp_path):
    """mealie: `psycopg2-binary = { version = "^2.9.1", optional = true }` is installed with its
    `pgsql` extra only: PostgreSQL is proposed commented, the app runs on SQLite by default."""
    from dkenv.detect import detection

    root = folder(tmp_path, PROJECT).root
    (root / "pyproject.toml").write_text((root / "pyproject.toml").read_text().replace(
        'python = "^3.11"', 'python = "^3.11"\nfastapi = "*"'))
    assert set(INSTALLER.main_names(root, [], None)) == {"fastapi"}
    found = detection.inspect(root)
    assert "postgres" in found.service_commented
