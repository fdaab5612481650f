"""dkenv/installers/uv.py: `uv sync` with uv's own extras and groups flags."""
from __future__ import annotations

import pytest

from dkenv.errors import ConfigError
from dkenv.installers import uv
from tests.unit.installers.helpers import DATA, files, folder, no_detection, plan

INSTALLER = uv.Uv()
SYNC = ("UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never /opt/dkenv-tools/bin/uv sync "
        "--no-install-project --frozen{} --python /opt/venv/bin/python")


@pytest.mark.parametrize("extras, groups, flags", [
    (None, None, ""),  # uv's defaults: no extras, the dev group (or [tool.uv] default-groups)
    (["toml"], None, " --extra toml"),
    (None, [], " --no-default-groups"),
    (["a", "b"], ["dev", "lint"], " --extra a --extra b --no-default-groups --group dev --group lint"),
])
def test_sync_flags(extras, groups, flags):
    assert INSTALLER.steps(plan("uv", locked=True, extras=extras, groups=groups)) == [SYNC.format(flags)]


def test_inputs_check_the_names_against_the_project(tmp_path):
    files(tmp_path, {"pyproject.toml": (DATA / "uv-app" / "pyproject.toml").read_text()})
    found = INSTALLER.inputs(tmp_path, [], no_detection, extras=["TOML"], groups=[])
    assert (found.extras, found.groups) == (["toml"], [])
    assert set(found.files) == {"manifests/pyproject.toml"}
    unset = INSTALLER.inputs(tmp_path, [], no_detection)
    assert (unset.extras, unset.groups) == (None, None)
    with pytest.raises(ConfigError, match=r"image.groups: 'test' is not a dependency group .* \(it declares dev\)"):
        INSTALLER.inputs(tmp_path, [], no_detection, groups=["test"])


def test_choices_follow_uv_defaults(tmp_path):
    choices = INSTALLER.choices(folder(DATA / "uv-app"))
    assert (choices.extras, choices.groups, choices.default_extras, choices.default_groups) == (
        ["toml"], ["dev"], [], ["dev"])
    configured = folder(tmp_path, {"pyproject.toml": """\
        [dependency-groups]
        dev = ["a"]
        test = ["b"]
        lint = ["c"]
        [tool.uv]
        default-groups = ["lint"]
        """})
    assert INSTALLER.choices(configured).default_groups == ["lint"]
    assert INSTALLER.choices(configured).proposed_groups() == ["dev", "test", "lint"]


def test_legacy_dev_dependencies_are_the_dev_group(tmp_path):
    legacy = folder(tmp_path, {"pyproject.toml": '[tool.uv]\ndev-dependencies = ["pytest"]\n'})
    assert (INSTALLER.choices(legacy).groups, INSTALLER.choices(legacy).default_groups) == (["dev"], ["dev"])
    everything = folder(tmp_path, {"pyproject.toml": '[dependency-groups]\na = []\nb = []\n'
                                                     '[tool.uv]\ndefault-groups = "all"\n'})
    assert INSTALLER.choices(everything).default_groups == ["a", "b"]


def test_a_manifest_that_is_a_link_out_of_the_project_is_not_read(tmp_path):
    """The container can replace pyproject.toml with a link to the user's secrets between two
    `up`s: the build context, copied into an image the container reads, must not take them."""
    from dkenv.errors import ConfigError
    from dkenv.installers import uv

    secrets = tmp_path / "secrets"
    secrets.write_text("PRIVATE KEY\n")
    root = tmp_path / "p"
    root.mkdir()
    (root / "uv.lock").write_text("version = 1\n")
    (root / "pyproject.toml").symlink_to(secrets)
    with pytest.raises(ConfigError, match=r"pyproject\.toml is .*secrets once its links are followed, outside"):
        uv.Uv().manifest_files(root)
    (root / "pyproject.toml").unlink()
    (root / "real.toml").write_text("[project]\nname = 'x'\n")
    (root / "pyproject.toml").symlink_to("real.toml")  # a link inside the project is fine
    assert uv.Uv().manifest_files(root)["manifests/pyproject.toml"] == b"[project]\nname = 'x'\n"
