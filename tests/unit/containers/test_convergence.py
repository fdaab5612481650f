"""dkenv/containers/convergence.py convergence_plan and dkenv/spec.py ContainerSpec.config_hash."""
from __future__ import annotations

import pytest

from dkenv.containers import convergence
from dkenv.engine.spec import (
    APP_ROLE,
    LABEL_HASH,
    LABEL_PROJECT,
    LABEL_ROLE,
    LABEL_ROOT,
    ContainerSpec,
    ContainerState,
    Healthcheck,
    Mount,
    Port,
)


def spec(name: str, **kw) -> ContainerSpec:
    values = dict(role=name.rsplit("-", 1)[-1], image="img:1")
    values.update(kw)
    return ContainerSpec(name=name, **values)


def state(s: ContainerSpec | str, status: str = "running", config_hash: str | None = None) -> ContainerState:
    name = s if isinstance(s, str) else s.name
    h = config_hash if config_hash is not None else (s.config_hash() if not isinstance(s, str) else "x")
    return ContainerState(name=name, id=f"id-{name}", status=status, role="", config_hash=h, image="img:1")


def verbs(actions):
    return [(a.verb, a.name) for a in actions]


# --- convergence_plan ---

def test_nothing_exists_creates_all_in_order():
    specs = [spec("p-db"), spec("p-cache"), spec("p-app")]
    actions = convergence.convergence_plan(specs, {})
    assert verbs(actions) == [("create", "p-db"), ("create", "p-cache"), ("create", "p-app")]
    assert [a.spec for a in actions] == specs
    assert all(a.reason == "not created yet" for a in actions)


def test_up_to_date_and_running_is_noop():
    s = spec("p-app")
    actions = convergence.convergence_plan([s], {s.name: state(s)})
    assert verbs(actions) == [("noop", "p-app")]
    assert actions[0].spec is s


def test_hash_change_recreates_even_if_running():
    s = spec("p-app", env={"A": "1"})
    old = state(s)
    changed = spec("p-app", env={"A": "2"})
    actions = convergence.convergence_plan([changed], {changed.name: old})
    assert verbs(actions) == [("recreate", "p-app")]
    assert actions[0].spec is changed
    assert "changed" in actions[0].reason


def test_hash_change_recreates_a_stopped_container():
    s = spec("p-app")
    actions = convergence.convergence_plan([s], {s.name: state(s, status="exited", config_hash="stale")})
    assert verbs(actions) == [("recreate", "p-app")]


@pytest.mark.parametrize("status", ["exited", "created", "dead"])
def test_stopped_is_started(status):
    s = spec("p-app")
    actions = convergence.convergence_plan([s], {s.name: state(s, status=status)})
    assert verbs(actions) == [("start", "p-app")]
    assert status in actions[0].reason


def test_paused_is_unpaused_not_started():
    # the Engine refuses to start a paused container (409): it must be unpaused
    s = spec("p-app")
    actions = convergence.convergence_plan([s], {s.name: state(s, status="paused")})
    assert verbs(actions) == [("unpause", "p-app")]


def test_unwanted_containers_are_removed_after_the_rest_sorted():
    app = spec("p-app")
    existing = {
        "p-zeta": state("p-zeta"),
        app.name: state(app),
        "p-alpha": state("p-alpha", status="exited"),
    }
    actions = convergence.convergence_plan([app], existing)
    assert verbs(actions) == [("noop", "p-app"), ("remove", "p-alpha"), ("remove", "p-zeta")]
    removes = [a for a in actions if a.verb == "remove"]
    assert all(a.spec is None for a in removes)
    assert all(".dkenv.toml" in a.reason for a in removes)


def test_mixed_plan_keeps_spec_order():
    db, cache, app = spec("p-db"), spec("p-cache", env={"X": "1"}), spec("p-app")
    existing = {
        db.name: state(db, status="exited"),
        cache.name: state(cache, config_hash="old"),
        app.name: state(app),
        "p-old": state("p-old"),
    }
    actions = convergence.convergence_plan([app, db, cache, spec("p-new")], existing)
    assert verbs(actions) == [("noop", "p-app"), ("start", "p-db"), ("recreate", "p-cache"),
                              ("create", "p-new"), ("remove", "p-old")]


def test_empty_specs_remove_everything():
    existing = {"b": state("b"), "a": state("a")}
    assert verbs(convergence.convergence_plan([], existing)) == [("remove", "a"), ("remove", "b")]


def test_plan_does_not_mutate_inputs():
    s = spec("p-app")
    existing = {"p-app": state(s), "p-gone": state("p-gone")}
    specs = [s]
    convergence.convergence_plan(specs, existing)
    assert list(existing) == ["p-app", "p-gone"]
    assert specs == [s]


# --- ContainerSpec.config_hash ---

def test_hash_is_stable():
    a = spec("p-app", env={"A": "1", "B": "2"}, mounts=[Mount("/src", "/src")])
    b = spec("p-app", env={"B": "2", "A": "1"}, mounts=[Mount("/src", "/src")])
    assert a.config_hash() == b.config_hash()
    assert len(a.config_hash()) == 16


@pytest.mark.parametrize("change", [
    {"env": {"A": "2"}},
    {"env": {"A": "1", "B": "1"}},
    {"mounts": [Mount("/src", "/other")]},
    {"mounts": []},
    {"image": "img:2"},
    {"ports": [Port("127.0.0.1", 8001, 8000)]},
    {"ports": [Port("0.0.0.0", 8000, 8000)]},
    {"command": ["sleep", "1"]},
    {"entrypoint": ["sh"]},
    {"user": "1000:1000"},
    {"working_dir": "/tmp"},
    {"init": False},
    {"healthcheck": Healthcheck("true")},
    {"depends_on": ["db"]},
    {"name": "p-other"},
])
def test_hash_changes_with_configuration(change):
    base = dict(env={"A": "1"}, mounts=[Mount("/src", "/src")], ports=[Port("127.0.0.1", 8000, 8000)])
    before = spec("p-app", **base)
    after = spec("p-app", **{**base, **change}) if "name" not in change else spec(change["name"], **base)
    assert before.config_hash() != after.config_hash()


def test_hash_ignores_health_timeout():
    a = spec("p-app", health_timeout=120)
    b = spec("p-app", health_timeout=5)
    assert a.config_hash() == b.config_hash()


def test_all_labels():
    s = spec("dkenv-p", role=APP_ROLE)
    labels = s.all_labels("p", "/home/u/p")
    assert labels == {LABEL_PROJECT: "p", LABEL_ROOT: "/home/u/p", LABEL_ROLE: "app",
                      LABEL_HASH: s.config_hash()}


def test_all_labels_roundtrip_through_plan_is_noop():
    s = spec("dkenv-p", role=APP_ROLE)
    labels = s.all_labels("p", "/r")
    have = ContainerState(name=s.name, id="1", status="running", role=labels[LABEL_ROLE],
                          config_hash=labels[LABEL_HASH], image=s.image)
    assert verbs(convergence.convergence_plan([s], {s.name: have})) == [("noop", "dkenv-p")]


def test_container_state_running():
    assert state("a", status="running").running is True
    assert state("a", status="restarting").running is False


@pytest.mark.parametrize("change", [
    {"group_add": ["postgres"]},
    {"host_files": {"/p/.dkenv/passwd": "x"}},
    {"mounts": [Mount("/src", "/src", read_only=True)]},
])
def test_hash_changes_with_the_identity_fields(change):
    base = dict(mounts=[Mount("/src", "/src")])
    assert spec("p-db", **base).config_hash() != spec("p-db", **{**base, **change}).config_hash()


def test_a_spec_without_the_identity_fields_keeps_the_hash_it_had_before_they_existed():
    """An upgrade recreates only the containers whose configuration changed."""
    import hashlib
    import json
    from dataclasses import asdict

    s = spec("p-app", env={"A": "1"}, mounts=[Mount("/src", "/src")], user="1000:1000")
    old = asdict(s)
    for key in ("health_timeout", "group_add", "host_files", "userns"):
        old.pop(key)
    old["mounts"] = [{"source": "/src", "target": "/src"}]
    assert s.config_hash() == hashlib.sha256(json.dumps(old, sort_keys=True).encode()).hexdigest()[:16]
    # set, each is part of the hash: a container made without it is recreated
    keep_id = spec("p-app", env={"A": "1"}, mounts=[Mount("/src", "/src")], user="1000:1000", userns="keep-id")
    assert keep_id.config_hash() != s.config_hash()
