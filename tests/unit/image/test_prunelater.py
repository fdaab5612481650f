"""image/prunelater.py: the previous images removed after `up` by a process that holds the
project's lock (handed over, never released in between); in place with no endpoint to pin."""
from __future__ import annotations

import fcntl
import os
import socket
import sys
import threading
from types import SimpleNamespace

from dkenv.engine import endpoint
from dkenv.image import prunelater
from dkenv.project import lock
from tests.helpers import wait_until


class Images:
    """An Engine as far as pruning reads it: its images by id and tags; one in use."""

    endpoint = None

    def __init__(self):
        self.images = {"old": ["dkenv/demo:1"], "new": ["dkenv/demo:2"], "used": ["dkenv/demo:0"], "parent": []}
        self.removed: list[str] = []

    def project_images(self, name):
        assert name == "demo"
        return list(self.images.items())

    def remove_image(self, image_id):
        if image_id in ("used", "dkenv/demo:0"):
            return False
        self.removed.append(image_id)
        return True


def test_without_an_endpoint_the_images_no_container_uses_go_at_once_the_kept_one_stays():
    engine = Images()
    prunelater.after(engine, "demo", "dkenv/demo:2", lock_fd=None)
    assert sorted(engine.removed) == ["old", "parent"]  # "used" refused by id and by tag, "new" kept


def holder_free(path: str) -> bool:
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_the_lock_stays_held_by_the_removing_process_until_it_ends(tmp_path, state, monkeypatch):
    """An engine that never answers: the process waits on it with the lock held after the
    caller has let go of its copy; the engine gone, the process ends and the lock is free."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in sys.path if p))
    sock_path = str(tmp_path / "engine.sock")
    server = socket.socket(socket.AF_UNIX)
    server.bind(sock_path)
    server.listen()
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(server.accept()[0]), daemon=True).start()
    engine = SimpleNamespace(endpoint=endpoint.resolve({"DOCKER_HOST": f"unix://{sock_path}"}))
    project = SimpleNamespace(name="demo")
    with lock.hold(project) as held:
        prunelater.after(engine, "demo", "dkenv/demo:2", held)
    path = str(next(state.glob("**/locks/demo.lock")))
    wait_until(lambda: accepted, "the removing process to reach the engine")
    assert not holder_free(path)  # the caller's copy closed, the process's still holds it
    accepted[0].close()
    server.close()
    wait_until(lambda: holder_free(path), "the lock to be free once the process has ended")
