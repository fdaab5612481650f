"""The console scripts in the running project container's venv (what the shims mirror)."""
from __future__ import annotations

from dkenv.imagepaths import VENV


def listing(project, engine=None) -> list[str] | None:
    """The names in /opt/venv/bin (activate scripts left out), or None if the container is not running."""
    from dkenv.engine import engine as engine_mod
    from dkenv.exec import pidfile

    if engine is None:  # the engine the project runs on, as the shims reach it
        engine = engine_mod.connect_recorded(pidfile.known_running(project))
    eng = engine
    state = eng.state(project.container)
    if state is None or not state.running:
        return None
    code, output = eng.exec_capture(project.container, ["ls", "-1", f"{VENV}/bin"])
    if code != 0:
        return None
    return [n for n in output.decode(errors="replace").split() if n and not n.startswith(("activate", "Activate"))]
