"""Which containers are a project's: the name registry rebuilt from Docker's labels when it
is lost, a moved folder adopting its containers, `down --root` for a folder that is gone."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO, RUN_ID

pytestmark = pytest.mark.docker

CONFIG = '[image]\nbase = "python:3.11-slim-bookworm"\npython = "3.11"\ninstall = "none"\n'


def dkenv(root, *args, state, check=True):
    """dkenv in `root` with its own state dir (its own projects.json)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_STATE_HOME": str(state)}
    result = subprocess.run([sys.executable, "-m", "dkenv", *args], cwd=root, env=env, capture_output=True,
                            timeout=600)
    if check and result.returncode:
        raise AssertionError(f"dkenv {' '.join(args)}: {result.returncode}\n{result.stderr.decode()[-3000:]}")
    return result


def project_at(path):
    path.mkdir(parents=True)
    (path / ".dkenv.toml").write_text(CONFIG)  # no [project] name: the folder's name
    return path


def containers_with_root(root) -> list[str]:
    out = subprocess.run(["docker", "ps", "-a", "--filter", f"label=dkenv.root={root}", "--format", "{{.Names}}"],
                         capture_output=True, text=True, check=True).stdout
    return out.split()


def test_a_lost_registry_is_rebuilt_and_a_second_folder_gets_another_name(docker_engine, tmp_path):
    name = f"same{RUN_ID}"
    state = tmp_path / "state"
    first, second = project_at(tmp_path / "a" / name), project_at(tmp_path / "b" / name)
    try:
        dkenv(first, "up", state=state)
        (state / "dkenv" / "projects.json").unlink()
        result = dkenv(second, "status", "--json", state=state)
        assert json.loads(result.stdout)["project"] != name  # not the first one's name
        assert "rebuilt from Docker's labels" in result.stderr.decode()
        info = json.loads(dkenv(first, "status", "--json", state=state).stdout)
        assert info["project"] == name and info["containers"][0]["state"] == "running"
    finally:
        dkenv(first, "down", state=state, check=False)


def test_a_moved_folder_adopts_its_containers_and_down_root_frees_a_gone_one(docker_engine, tmp_path):
    name = f"moved{RUN_ID}"
    state = tmp_path / "state"
    old, new, last = tmp_path / "a" / name, tmp_path / "b" / name, tmp_path / "c" / name
    project_at(old)
    try:
        dkenv(old, "up", state=state)
        new.parent.mkdir()
        old.rename(new)
        status = dkenv(new, "status", state=state).stdout.decode()
        assert f"dkenv-{name}  running" in status and f"(mounts {old}, which holds no project any more" in status
        info = json.loads(dkenv(new, "status", "--json", state=state).stdout)
        assert info["containers"][0]["owner"] == "gone" and info["fresh"] is False
        result = dkenv(new, "up", state=state)
        err = result.stderr.decode()
        assert f"dkenv-{name} belonged to {old}, which holds no project any more" in err and "adopting" in err
        assert containers_with_root(new) == [f"dkenv-{name}"] and containers_with_root(old) == []
        assert dkenv(new, "exec", "pwd", state=state).stdout.decode().strip() == str(new)
        assert json.loads(dkenv(new, "status", "--json", state=state).stdout)["containers"][0]["owner"] == "mine"
        # moved again, and the old folder's containers freed from anywhere by their root
        last.parent.mkdir()
        new.rename(last)
        result = dkenv(tmp_path, "down", "--root", str(new), state=state)
        assert f"stopping and removing dkenv-{name}" in result.stderr.decode()
        assert containers_with_root(new) == []
        networks = subprocess.run(["docker", "network", "ls", "--format", "{{.Name}}"], capture_output=True,
                                  text=True).stdout.split()
        assert f"dkenv-{name}" not in networks
        assert (last / "data" / "dkenv").is_dir()  # the data stays, in the folder where it went
    finally:
        for root in (old, new, last):
            for container in containers_with_root(root):
                subprocess.run(["docker", "rm", "-f", container], capture_output=True)
