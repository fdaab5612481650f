"""dkenv/image/installers/pip.py: requirements files have no extras or groups."""
from __future__ import annotations

import pytest

from dkenv.errors import ConfigError
from dkenv.image.installers import pip
from tests.unit.image.installers.helpers import files, no_detection, plan


def test_extras_or_groups_are_a_config_error(tmp_path):
    files(tmp_path, {"requirements.txt": "six\n"})
    for key in ("extras", "groups"):
        with pytest.raises(ConfigError, match=rf'image.{key} does not apply to install = "pip" \(image.requirements '
                                              r"chooses the files\); remove it from .dkenv.toml"):
            pip.Pip().inputs(tmp_path, ["requirements.txt"], no_detection, **{key: ["dev"]})
    # empty lists name nothing
    found = pip.Pip().inputs(tmp_path, ["requirements.txt"], no_detection, extras=[], groups=[])
    assert found.requirements == ["requirements.txt"]
    assert pip.Pip().steps(plan("pip", requirements=found.requirements)) == [
        "/opt/venv/bin/pip install --no-cache-dir -r requirements.txt"]
