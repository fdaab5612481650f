"""The shims follow a new project container: after `up` created or recreated it, a console
script installed by hand in the old one is gone, and the new image may bring others, so
the shims are rehashed at once (when the project uses shims at all), and no shim is left
pointing at a script that no longer exists. After `dkenv up` itself, the IDE interpreter
(shell/interpreter.py, the shim template in IDE mode) is written too, when it differs."""
from __future__ import annotations

from dkenv.containers import convergence
from dkenv.engine.spec import APP_ROLE
from dkenv.shell import interpreter, shims

NEW_CONTAINER = (convergence.CREATE, convergence.RECREATE)


def app_is_new(actions: list[convergence.Action]) -> bool:
    return any(a.spec is not None and a.spec.role == APP_ROLE and a.verb in NEW_CONTAINER for a in actions)


def after_up(project, engine, actions: list[convergence.Action], out, *, ide_interpreter: bool = False) -> None:
    """Rehash the shims when the project container is new and the shims folder exists; then,
    with `ide_interpreter`, write the IDE interpreter."""
    if app_is_new(actions) and (project.shims_dir / shims.DIR_MARKER).exists():
        rehash(project, engine, out)
    if ide_interpreter:
        interpreter.update(project, out)


def rehash(project, engine, out) -> None:
    """The shims rehashed for a new project container, saying what changed."""
    scripts: list[str] | None = []
    if project.config.shims.venv_scripts:
        from dkenv.shell import venvscripts

        scripts = venvscripts.listing(project, engine)
    before = set(shims.present(project.shims_dir))
    result = shims.rehash(project, scripts)
    added = sorted(set(result.shims) - before)
    changes = [f"removed {', '.join(result.removed)}"] if result.removed else []
    changes += [f"added {', '.join(added)}"] if added else []
    if changes:
        out(f"dkenv: shims rehashed for the new container: {'; '.join(changes)}")
