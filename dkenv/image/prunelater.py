"""The project's previous images, removed once no container uses them, after `up` has
returned: by a detached process that holds the project's lock until it is done.

Removing an image costs little on Docker (0.1 s) and as much as a build on rootless Podman
(12 s for the previous image of a 600 MB venv: its keep-id copy goes with it,
docs/benchmarks.md). `after` hands the lock the caller holds (the descriptor project/lock.hold
gives, an flock: the open file is inherited, and the lock lasts until every copy is closed) to a process
running `main`, pinned to the caller's engine: the next `up`, `down` or `build` of the
project waits for it, so it never removes an image that a newer `up` has just built. An
Engine with no endpoint to pin (tests' fakes), or a process that cannot be started, gets
the removal in place, as before.
"""
from __future__ import annotations

import os
import subprocess
import sys


def after(engine, project_name: str, keep: str, lock_fd: int | None) -> None:
    """Remove `project_name`'s images other than `keep` that no container uses: in a
    detached process holding the lock `lock_fd` when one can be started, else now."""
    if lock_fd is None or engine.endpoint is None or not _spawn(engine.endpoint, project_name, keep, lock_fd):
        prune(engine, project_name, keep)


def prune(engine, project_name: str, keep: str) -> None:
    """Remove the project's images other than `keep` that no container uses any more."""
    for image_id, tags in engine.project_images(project_name):
        if keep not in tags and not engine.remove_image(image_id):
            for tag in tags:  # the parent of an incremental step (classic builder): untagged, removed with it
                engine.remove_image(tag)


def _spawn(ep, project_name: str, keep: str, lock_fd: int) -> bool:
    from dkenv.engine import endpoint

    argv = [sys.executable, "-m", "dkenv.image.prunelater", str(lock_fd), project_name, keep]
    try:
        subprocess.Popen(argv, env=endpoint.cli_environ(endpoint.cli_env(ep)), cwd="/", stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(lock_fd,),
                         start_new_session=True)
    except OSError:
        return False
    return True


def main(argv: list[str]) -> int:
    """LOCK_FD PROJECT KEEP: the removal, the lock released when it ends (a failure is
    silent: what is not removed now is removed after the next `up`)."""
    lock_fd, project_name, keep = int(argv[0]), argv[1], argv[2]
    try:
        from dkenv.engine.engine import connect

        prune(connect(timeout=60), project_name, keep)
        return 0
    except Exception:
        return 1
    finally:
        os.close(lock_fd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
