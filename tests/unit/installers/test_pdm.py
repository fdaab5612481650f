"""dkenv/installers/pdm.py: pdm.lock exported with PDM's groups, installed by pip."""
from __future__ import annotations

import pytest

from dkenv.errors import ConfigError
from dkenv.installers import pdm
from tests.unit.installers.helpers import DATA, files, folder, no_detection, plan

INSTALLER = pdm.Pdm()
PDM = "PDM_CHECK_UPDATE=false PDM_PYTHON=/opt/venv/bin/python /opt/dkenv-tools/bin/pdm"
EXPORT = f"{PDM} export --format requirements --output /tmp/dkenv-pdm.txt"
PIP = "/opt/venv/bin/pip install --no-cache-dir -r /tmp/dkenv-pdm.txt"
PYPROJECT = """\
    [project]
    name = "x"
    dependencies = ["six"]
    [project.optional-dependencies]
    test = ["pytest"]
    docs = ["sphinx"]
    [dependency-groups]
    dev = ["iniconfig"]
    [tool.pdm.dev-dependencies]
    lint = ["ruff"]
    """
LOCK = '[metadata]\ngroups = ["default", "dev", "lint", "test"]\n[[package]]\nname = "six"\n'


@pytest.mark.parametrize("extras, groups, flags", [
    (None, None, ""),  # pdm's own default: every group the lock holds
    ([], [], " --prod"),
    (["test"], [], " -G test --prod"),
    (["test"], ["lint"], " -G test -G lint"),
])
def test_steps(extras, groups, flags):
    assert INSTALLER.steps(plan("pdm", locked=True, extras=extras, groups=groups)) == [EXPORT + flags, PIP]


def test_without_a_lock_every_group_is_locked_first():
    steps = INSTALLER.steps(plan("pdm", locked=False, hashes=False))
    assert steps == [f"{PDM} lock -G :all", f"{EXPORT} --no-hashes", PIP]


def test_inputs(tmp_path):
    files(tmp_path, {"pyproject.toml": PYPROJECT, "pdm.lock": LOCK})
    unset = INSTALLER.inputs(tmp_path, [], no_detection)
    assert (unset.extras, unset.groups, unset.hashes) == (None, None, True)
    assert set(unset.files) == {"manifests/pyproject.toml", "manifests/pdm.lock"}
    # one of them set: the other is what the lock holds, as pdm would install it
    assert (INSTALLER.inputs(tmp_path, [], no_detection, groups=[]).extras) == ["test"]
    assert (INSTALLER.inputs(tmp_path, [], no_detection, extras=[]).groups) == ["dev", "lint"]
    with pytest.raises(ConfigError, match=r"image.extras: 'docs' is not in pdm.lock \(it holds default, dev, lint, "
                                          r"test\); add it with `pdm lock -G docs`"):
        INSTALLER.inputs(tmp_path, [], no_detection, extras=["docs"])


def test_vcs_packages_or_no_lock_turn_hash_checking_off(tmp_path):
    files(tmp_path, {"pyproject.toml": PYPROJECT, "pdm.lock": LOCK + '[[package]]\nname = "lib"\ngit = "https://x"\n'})
    assert INSTALLER.inputs(tmp_path, [], no_detection).hashes is False
    (tmp_path / "pdm.lock").unlink()
    found = INSTALLER.inputs(tmp_path, [], no_detection, extras=["docs"])  # no lock: nothing to check against
    assert (found.extras, found.groups, found.hashes) == (["docs"], ["dev", "lint"], False)


def test_claims(tmp_path):
    assert INSTALLER.claims(folder(DATA / "pdm-app"))
    assert INSTALLER.claims(folder(tmp_path / "a", {"pyproject.toml": '[tool.pdm.scripts]\nx = "y"\n'}))
    # pdm-backend's own tables do not make a PDM-managed project
    backend = '[project]\nname = "x"\ndependencies = []\n[tool.pdm.build]\nincludes = ["x"]\n[tool.pdm.version]\n'
    assert not INSTALLER.claims(folder(tmp_path / "b", {"pyproject.toml": backend}))


def test_choices(tmp_path):
    choices = INSTALLER.choices(folder(tmp_path, {"pyproject.toml": PYPROJECT, "pdm.lock": LOCK}))
    assert (choices.extras, choices.default_extras) == (["test", "docs"], ["test"])
    assert (choices.groups, choices.default_groups) == (["dev", "lint"], ["dev", "lint"])
    (tmp_path / "pdm.lock").write_text('[metadata]\ngroups = ["default", "dev"]\n')
    choices = INSTALLER.choices(folder(tmp_path))
    assert (choices.default_extras, choices.default_groups) == ([], ["dev"])
    assert choices.proposed_extras() == []  # test is not locked: proposing it would fail the build
    fixture = INSTALLER.choices(folder(DATA / "pdm-app"))
    assert (fixture.extras, fixture.groups, fixture.default_groups) == ([], ["dev"], ["dev"])
