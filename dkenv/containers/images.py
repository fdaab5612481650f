"""Service images: present before anything is stopped or created. A missing one is
pulled (policy "missing", like compose's `--pull missing`); one that cannot be had is
one message naming it and what to do, and nothing running is touched.

A pull says its progress like a build step: a redrawn line on a terminal (layers done,
megabytes, time), else a plain line every PLAIN_EVERY seconds, and what it took at the end.
"""
from __future__ import annotations

import time

from dkenv import imageref
from dkenv.engine.engine import Engine
from dkenv.containers.pullprogress import PullState
from dkenv.engine.spec import ContainerSpec
from dkenv.errors import FatalError
from dkenv.humanize import duration_text


def ensure_present(engine: Engine, specs: list[ContainerSpec], project_image: str, policy: str, out) -> None:
    wanted = sorted({s.image: s.role for s in specs if s.image != project_image}.items())
    for image, role in wanted:
        present = engine.image_exists(image)
        if present and policy != "always":
            continue
        if policy == "never":
            raise FatalError(_missing(image, role, "and --pull never was given"))
        problem = pull(engine, image, f"for {role}", out)
        if problem and not present:
            raise FatalError(_missing(image, role, f"and pulling it failed: {problem}"))
        if problem:
            out(f"dkenv: could not pull a newer {image} ({problem}); keeping the one here")


PLAIN_EVERY = 10.0


def pull(engine: Engine, image: str, why: str, out, clock=time.monotonic) -> str | None:
    """Pull `image` (`why`: "for postgres"), saying how it goes; the error, or None."""
    from dkenv.image import buildscreen

    state = PullState()
    started = last = clock()
    screen = buildscreen.Screen() if buildscreen.wanted(verbose=engine.verbose, mode=engine.progress) else None
    if screen:
        screen.begin(f"dkenv: pulling {image} ({why})")
    else:
        out(f"dkenv: pulling {image} ({why})")

    def on_message(message: dict) -> None:
        nonlocal last
        state.feed(message)
        if screen:
            screen.output(state.line())
        elif clock() - last >= PLAIN_EVERY and state.layers:
            last = clock()
            out(f"dkenv:   {image}: {state.line()}")

    try:
        problem = engine.pull(image, on_message)
    except BaseException:
        if screen:
            screen.end("  interrupted")
            screen.close()
        raise
    took = clock() - started
    if screen:
        screen.end("  failed" if problem else f"  {duration_text(took, tenths=True)} ({state.summary()})")
        screen.close()
    elif not problem:
        out(f"dkenv: pulled {image} in {duration_text(took)} ({state.summary()})")
    return problem


def _missing(image: str, role: str, why: str) -> str:
    repo = imageref.split(image)[0]
    return (f"dkenv: the image {image} (for the service {role}) is not on this machine {why}. Nothing was "
            f"stopped or changed. Pull it where a registry is reachable (`docker pull {image}`), or set the "
            f"service's `version` to a tag you have (`docker images {repo}`)")
