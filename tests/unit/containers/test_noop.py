"""dkenv/containers/noop.py: the records of a no-op `up`, and when they do not count."""
from __future__ import annotations

from types import SimpleNamespace

from dkenv.containers import noop
from dkenv.engine.spec import LABEL_ROOT, ContainerState


def state(name: str, root: str, status: str = "running", pid: int = 42) -> ContainerState:
    return ContainerState(name=name, id=f"id-{name}", status=status, role="app", config_hash=f"h-{name}",
                          image="img", pid=pid, labels={LABEL_ROOT: root})


def test_records_hold_the_running_containers_of_this_root(tmp_path):
    project = SimpleNamespace(root=tmp_path, work_dir=tmp_path / ".dkenv")
    noop.record(project, {
        "dkenv-a": state("dkenv-a", str(tmp_path)),
        "dkenv-a-db": state("dkenv-a-db", str(tmp_path), pid=43),
        "dkenv-a-stopped": state("dkenv-a-stopped", str(tmp_path), status="exited", pid=0),
        "dkenv-a-moved": state("dkenv-a-moved", "/elsewhere"),
    })
    assert noop.recorded(project) == {"dkenv-a": (42, "id-dkenv-a", "h-dkenv-a"),
                                      "dkenv-a-db": (43, "id-dkenv-a-db", "h-dkenv-a-db")}
    noop.record(project, {})
    assert not noop.path(project).exists()


def test_without_records_up_has_work(tmp_path):
    project = SimpleNamespace(root=tmp_path, work_dir=tmp_path / ".dkenv")
    said = []
    assert noop.check(project, said.append) is None
    assert said == []


def test_a_damaged_file_is_no_record(tmp_path):
    project = SimpleNamespace(root=tmp_path, work_dir=tmp_path / ".dkenv")
    noop.path(project).parent.mkdir(parents=True)
    noop.path(project).write_bytes(b"dkenv-a x id h\n\xff\xfe\n")
    assert noop.recorded(project) == {}
