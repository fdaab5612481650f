"""dkenv/containers/ownership.py: mine, another live project's, or a moved folder's."""
from __future__ import annotations

import pytest

from dkenv.containers import ownership
from dkenv.engine.spec import ContainerState
from dkenv.errors import FatalError


def project_dir(path):
    path.mkdir(parents=True)
    (path / ".dkenv.toml").write_text("")
    return path


def state(name, root):
    return ContainerState(name=name, id=name, status="running", role="app", config_hash="", image="",
                          labels={"dkenv.root": str(root)})


def test_owner(tmp_path):
    mine = project_dir(tmp_path / "b" / "app")
    other = project_dir(tmp_path / "c" / "app")
    (tmp_path / "emptied").mkdir()
    link = tmp_path / "link"
    link.symlink_to(mine)
    assert ownership.owner(str(mine), str(mine)) == ownership.MINE
    assert ownership.owner(str(other), str(mine)) == ownership.OTHER  # a copy, not a move
    assert ownership.owner(str(tmp_path / "a" / "app"), str(mine)) == ownership.GONE  # moved away
    assert ownership.owner(str(tmp_path / "emptied"), str(mine)) == ownership.GONE  # no .dkenv.toml there
    assert ownership.owner("", str(mine)) == ownership.GONE
    assert ownership.owner(str(link), str(mine)) == ownership.MINE  # the same folder by another path


class Say(list):
    def __call__(self, line):
        self.append(line)


def test_a_moved_folders_containers_are_adopted_with_a_message(tmp_path):
    mine = project_dir(tmp_path / "b" / "app")
    project = type("P", (), {"root": mine})()
    existing = {"dkenv-app": state("dkenv-app", tmp_path / "a" / "app"),
                "dkenv-app-db": state("dkenv-app-db", tmp_path / "a" / "app")}
    say = Say()
    assert ownership.claim(project, existing, say) == existing
    assert say == [f"dkenv: dkenv-app, dkenv-app-db belonged to {tmp_path / 'a' / 'app'}, which holds no project "
                   f"any more (moved to {mine}?): adopting them, with this folder mounted instead"]


def test_another_live_projects_containers_are_refused(tmp_path):
    mine = project_dir(tmp_path / "b" / "app")
    other = project_dir(tmp_path / "a" / "app")
    project = type("P", (), {"root": mine})()
    say = Say()
    with pytest.raises(FatalError) as info:
        ownership.claim(project, {"dkenv-app": state("dkenv-app", other)}, say)
    assert f"belong to the project at {other}" in str(info.value) and "nothing was changed" in str(info.value)
    assert say == []
