"""dkenv/installers/pip.py: requirements files have no extras or groups."""
from __future__ import annotations

import pytest

from dkenv.errors import ConfigError
from dkenv.installers import pip
from tests.unit.installers.helpers import files, no_detection, plan


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


def test_without_image_requirements_the_detected_files_are_chosen_without_detection(tmp_path):
    """The files detection would choose, the main one included by the dev one, the top-level
    constraints: without inspecting the whole folder (a no-op `dkenv up` computes this)."""
    files(tmp_path, {"requirements.txt": "django\n", "requirements-dev.txt": "-r requirements.txt\npytest\n",
                     "constraints.txt": "django<6\n", "uv.lock": "version = 1\n"})
    found = pip.Pip().inputs(tmp_path, [], no_detection)
    assert (found.requirements, found.constraints) == (["requirements-dev.txt"], ["constraints.txt"])
    assert sorted(found.files) == ["manifests/constraints.txt", "manifests/requirements-dev.txt",
                                   "manifests/requirements.txt"]
