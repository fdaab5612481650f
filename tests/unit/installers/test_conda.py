"""The conda installer: environment.yml read with the YAML subset reader, local channels
copied into the build context, and the step it renders."""
from __future__ import annotations

import json

import pytest

from dkenv.errors import ConfigError
from dkenv.image.dockerfile import render
from dkenv.installers import conda
from dkenv.manifests import condaenv
from tests.unit.installers.helpers import files, folder, plan

ENV = """\
name: demo  # a comment
channels:
  - ./channel
  - conda-forge
  - nodefaults
dependencies:
  - python=3.11
  - conda-forge::numpy>=1.26
  - "psycopg2 2.9.*"
  - pip
  - pip:
    - six==1.16.0
    - -r requirements-pip.txt
variables:
  APP_MODE: dev
"""


def test_environment_yml_is_read_into_channels_specs_and_the_pip_list():
    env = condaenv.loads(ENV)
    assert env.name == "demo" and env.channels == ["./channel", "conda-forge", "nodefaults"]
    assert env.specs == ["python=3.11", "conda-forge::numpy>=1.26", "psycopg2 2.9.*", "pip"]
    assert env.pip == ["six==1.16.0", "-r requirements-pip.txt"] and env.includes() == ["requirements-pip.txt"]
    assert env.conda_names() == ["numpy", "psycopg2"] and env.variables == {"APP_MODE": "dev"}
    assert condaenv.channels(env) == ["./channel", "conda-forge"]
    assert condaenv.pip_names(env) == {"six": set()}


@pytest.mark.parametrize("text", ["- a\n- b\n", "dependencies: python\n", "dependencies:\n  - {a: b}\n"])
def test_what_is_not_an_environment_is_a_value_error(text):
    with pytest.raises(ValueError):
        condaenv.loads(text)


def test_local_channels_are_paths_and_file_urls_only():
    assert [condaenv.local_channel(c) for c in ("./ch", "/abs/ch", "file:///abs/ch", "conda-forge",
                                                "https://x/ch")] == ["./ch", "/abs/ch", "/abs/ch", None, None]


def test_inputs_copy_the_local_channel_and_the_pip_includes_and_write_the_spec(tmp_path):
    root = files(tmp_path, {"environment.yml": ENV, "requirements-pip.txt": "iniconfig\n",
                            "channel/noarch/repodata.json": "{}\n"})
    found = conda.Conda().read(folder(root))
    assert set(found.names) == {"numpy", "psycopg2", "six", "iniconfig"}
    assert any("APP_MODE" in note and "[env]" in note for note in found.notes)
    inputs = conda.Conda().inputs(root, [], None)
    assert {"manifests/environment.yml", "manifests/requirements-pip.txt", "manifests/dkenv-conda-env.py",
            "manifests/dkenv-conda-channels/0/noarch/repodata.json"} <= set(inputs.files)
    spec = json.loads(inputs.files["manifests/dkenv-conda.json"])
    assert spec["channels"] == ["file:///tmp/dkenv-build/dkenv-conda-channels/0", "conda-forge"]
    assert spec["prefix"] == "/opt/venv" and spec["lock"] is None and spec["pip"][0] == "six==1.16.0"


def test_a_channel_outside_the_project_is_a_config_error(tmp_path):
    (tmp_path / "outside").mkdir()
    root = files(tmp_path / "proj", {"environment.yml": "channels:\n  - ../outside\ndependencies:\n  - python\n"})
    with pytest.raises(ConfigError, match="outside the project"):
        conda.Conda().inputs(root, [], None)


def test_the_dockerfile_makes_no_venv_and_runs_the_script_with_the_tools_python():
    text = render(plan("conda"))
    assert "-m venv /opt/venv" not in text and '"$py" -m venv /opt/dkenv-tools' in text
    assert "pip install --no-cache-dir py-rattler" in text
    assert "/opt/dkenv-tools/bin/python dkenv-conda-env.py dkenv-conda.json" in text
    assert "/opt/venv/bin/python -m pip install --no-cache-dir -r dkenv-conda-pip.txt" in text


def test_its_script_failures_are_recognised():
    said = conda.Conda().recognise(["#9 1.2 dkenv conda: cannot solve the environment from file:///c: "
                                    "Cannot solve the request because of: No candidates were found for nope *."])
    assert said.package == "nope" and said.kind == "missing"  # BuildKit's prefix before it
    said = conda.Conda().recognise(["dkenv conda: cannot solve the environment from file:///c: "
                                    "Cannot solve the request because of: No candidates were found for nope *."])
    assert said.package == "nope" and said.kind == "missing"
