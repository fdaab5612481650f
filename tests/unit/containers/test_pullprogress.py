"""containers/pullprogress and images.pull: what a pull says while it runs and at the end."""
from __future__ import annotations

from dkenv.containers import images
from dkenv.containers.pullprogress import PullState
from tests.unit.fakeengine import FakeDocker, engine

# the Engine's messages for a two-layer pull, as /images/create streams them (abridged)
MESSAGES = [
    {"status": "Pulling from library/redis", "id": "7"},
    {"status": "Pulling fs layer", "progressDetail": {}, "id": "aaa"},
    {"status": "Already exists", "progressDetail": {}, "id": "bbb"},
    {"status": "Downloading", "progressDetail": {"current": 1_000_000, "total": 30_000_000}, "id": "aaa"},
    {"status": "Downloading", "progressDetail": {"current": 12_000_000, "total": 30_000_000}, "id": "aaa"},
    {"status": "Verifying Checksum", "progressDetail": {}, "id": "aaa"},
    {"status": "Extracting", "progressDetail": {"current": 5, "total": 9}, "id": "aaa"},
    {"status": "Pull complete", "progressDetail": {}, "id": "aaa"},
    {"status": "Digest: sha256:0123"},
    {"status": "Status: Downloaded newer image for redis:7"},
]


def test_the_state_follows_layers_and_bytes():
    state = PullState()
    for message in MESSAGES[:5]:
        state.feed(message)
    assert state.line() == "1/2 layers, 12 MB of 30 MB"
    for message in MESSAGES[5:]:
        state.feed(message)
    assert state.line() == "2/2 layers, 30 MB of 30 MB"
    assert state.summary() == "1 of 2 layers downloaded, 30 MB"


def test_an_image_already_up_to_date_says_the_engines_word():
    state = PullState()
    for message in [{"status": "Pulling from library/redis", "id": "7"}, {"status": "Digest: sha256:1"},
                    {"status": "Status: Image is up to date for redis:7"}]:
        state.feed(message)
    assert state.line() == "Status: Image is up to date for redis:7"
    assert state.summary() == "Image is up to date for redis:7"


def test_odd_messages_do_not_break_it():
    state = PullState()
    for message in [{}, {"id": 5, "status": "x"}, {"id": "a", "status": "Downloading", "progressDetail": "?"},
                    {"id": "a", "status": "Downloading", "progressDetail": {"current": -1, "total": "9"}}]:
        state.feed(message)
    assert state.line() == "0/1 layers"


def pulling(clock, error=None, progress="auto"):
    """An Engine whose pull sends MESSAGES, 4 s apart on `clock`, then `error` if given."""
    docker = FakeDocker(images=())
    docker.pull_messages, docker.pull_error = MESSAGES, error or ""

    def tick():
        clock.now += 4

    docker.tick = tick
    return engine(docker, progress=progress)


class Clock:
    now = 0.0

    def __call__(self):
        return self.now


def test_a_pull_off_a_terminal_says_a_line_every_ten_seconds_and_what_it_took():
    said, clock = [], Clock()
    assert images.pull(pulling(clock, progress="plain"), "redis:7", "for cache", said.append, clock=clock) is None
    assert said[0] == "dkenv: pulling redis:7 (for cache)"
    assert said[1:-1] == ["dkenv:   redis:7: 1/2 layers",  # at 12s
                          "dkenv:   redis:7: 1/2 layers, 30 MB of 30 MB",  # at 24s
                          "dkenv:   redis:7: 2/2 layers, 30 MB of 30 MB"]  # at 36s
    assert said[-1] == "dkenv: pulled redis:7 in 40s (1 of 2 layers downloaded, 30 MB)"


def test_a_failed_pull_returns_the_error_and_says_no_summary():
    said, clock = [], Clock()
    assert images.pull(pulling(clock, "denied", progress="plain"), "redis:7", "for cache", said.append, clock=clock) == "denied"
    assert not any(line.startswith("dkenv: pulled") for line in said)


def test_a_pull_on_a_terminal_is_one_line(capsys):
    said, clock = [], Clock()
    images.pull(pulling(clock, progress="tty"), "redis:7", "for cache", said.append, clock=clock)
    err = capsys.readouterr().err
    assert said == []
    assert err.endswith("\r\x1b[2Kdkenv: pulling redis:7 (for cache)  40.0s (1 of 2 layers downloaded, 30 MB)\n")
    assert "1/2 layers, 12 MB of 30 MB" in err


def test_every_image_that_cannot_be_had_is_listed_at_once():
    """Two services and the base missing, no registry: one message names the three."""
    import pytest

    from dkenv.engine.spec import ContainerSpec
    from dkenv.errors import FatalError

    docker = FakeDocker(images=())
    docker.pull_error = "registry unreachable"
    specs = [ContainerSpec(name="p-db", role="db", image="postgres:16"),
             ContainerSpec(name="p-cache", role="cache", image="redis:9"),
             ContainerSpec(name="p", role="app", image="dkenv/p:abc")]
    with pytest.raises(FatalError) as e:
        images.ensure_present(engine(docker, progress="plain"), specs, "dkenv/p:abc", "missing", lambda line: None,
                              base="python:3.12-slim-bookworm")
    message = str(e.value)
    assert "3 images" in message and "postgres:16 (for the service db" in message
    assert "redis:9 (for the service cache" in message and "python:3.12-slim-bookworm (for the project image's base" in message
    assert "Nothing was stopped" in message
