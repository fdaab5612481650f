"""dkenv/export/ci.py: the workflows validate against the providers' schemas
(check-jsonschema's vendored copies) and hold the steps; tests/docker/test_ci.py runs them."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dkenv.export import ci

OPTIONS = {"workdir": ".", "registry": "", "test": "dkenv exec pytest -q", "install": "dkenv==1.0"}
SCHEMAS = {"github": "vendor.github-workflows", "gitlab": "vendor.gitlab-ci"}


@pytest.mark.parametrize("provider", ci.PROVIDERS)
@pytest.mark.parametrize("registry", ["", None])
def test_the_schema_accepts_it(tmp_path, provider, registry):
    registry = ci.DEFAULT_REGISTRY[provider] if registry is None else registry
    path = tmp_path / "workflow.yml"
    path.write_text(ci.render(provider, **{**OPTIONS, "registry": registry, "workdir": "sub dir"}))
    tool = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run([str(tool), "--builtin-schema", SCHEMAS[provider], str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_github_steps():
    doc = yaml.safe_load(ci.render("github", **{**OPTIONS, "registry": "ghcr.io/me", "workdir": "app"}))
    job = doc["jobs"]["test"]
    assert "on" in doc and job["defaults"]["run"]["working-directory"] == "app"
    assert job["env"]["REGISTRY"] == "ghcr.io/me"
    names = [s.get("name") for s in job["steps"]]
    assert names[1:] == ["Install dkenv", "Log in to the registry", "Pull the project image, or build and push it",
                         "Start the services", "Test", "Stop"]
    steps = {s.get("name"): s for s in job["steps"]}
    assert steps["Install dkenv"]["run"] == "pipx install dkenv==1.0"
    assert steps["Log in to the registry"]["with"]["password"] == "${{ secrets.GITHUB_TOKEN }}"
    assert steps["Test"]["run"] == "dkenv exec pytest -q"
    assert steps["Stop"]["if"] == "always()"
    assert steps["Pull the project image, or build and push it"]["run"] == ci.PULL_OR_BUILD


def test_github_without_registry_has_no_login():
    doc = yaml.safe_load(ci.render("github", **OPTIONS))
    assert all(s.get("name") != "Log in to the registry" for s in doc["jobs"]["test"]["steps"])


def test_gitlab_job():
    doc = yaml.safe_load(ci.render("gitlab", **{**OPTIONS, "registry": "$CI_REGISTRY_IMAGE", "workdir": "app"}))
    job = doc["dkenv-test"]
    assert job["services"][0]["name"].endswith("-dind") and job["variables"]["DOCKER_HOST"] == "tcp://docker:2375"
    assert job["script"] == [ci.PULL_OR_BUILD, "dkenv up --no-build", "dkenv exec pytest -q"]
    assert "cd app" in job["before_script"] and job["after_script"][-1] == "dkenv down"


def test_git_root(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "app").mkdir()
    assert ci.git_root(tmp_path / "app") == tmp_path
    other = tmp_path.parent / (tmp_path.name + "-nogit")
    other.mkdir()
    assert ci.git_root(other) == other


# --- what the workflow installs (export/ci.install_spec) ---

def test_an_index_install_is_the_same_version():
    assert ci.install_spec(None, "1.2.3") == ("dkenv==1.2.3", None)


def test_a_vcs_install_is_the_same_repository_and_commit():
    origin = {"url": "https://git.example/team/dkenv", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}
    assert ci.install_spec(origin, "0.1.0") == ("git+https://git.example/team/dkenv@abc123", None)


def test_a_url_install_is_that_url():
    origin = {"url": "https://files.example/dkenv-0.1.0-py3-none-any.whl", "archive_info": {}}
    assert ci.install_spec(origin)[0] == origin["url"]


def test_a_local_install_says_how_to_choose():
    spec, note = ci.install_spec({"url": "file:///home/me/dkenv", "dir_info": {"editable": True}}, "0.1.0")
    assert spec == "dkenv==0.1.0" and "--install" in note and "/home/me/dkenv" in note
