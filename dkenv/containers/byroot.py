"""`dkenv down --root OLD`: the containers and network of a project found by its
`dkenv.root` label, for a folder that moved or was deleted while its containers ran (they
still mount the old path, and the folder's own `dkenv down` can no longer be run there).
The data stays: it is in the folder, wherever it went."""
from __future__ import annotations

import contextlib
import os
from types import SimpleNamespace

from dkenv.containers import handinstalled, ownership
from dkenv.engine.engine import Engine
from dkenv.engine.spec import APP_ROLE, LABEL_PROJECT
from dkenv.project import lock


def normalized(root: str) -> str:
    """The root as the labels spell it: absolute, no trailing slash (the folder may be gone)."""
    return os.path.abspath(os.path.expanduser(root))


def orphaned_roots(engine: Engine) -> list[str]:
    """Roots of dkenv containers whose folder holds no project any more."""
    roots = {root for root, _, is_container in engine.labelled_projects() if is_container and root}
    return sorted(r for r in roots if ownership.owner(r, "") == ownership.GONE)


def down(engine: Engine, root: str, out) -> None:
    """Stop and remove the containers labelled with `root`, then their networks if unused."""
    found = engine.containers(root=root)
    if not found:
        out(f"dkenv: no dkenv container has the root {root}; nothing to do")
        others = orphaned_roots(engine)
        if others:
            out("dkenv: containers of folders that hold no project any more: "
                + "; ".join(f"{r} (dkenv down --root {r})" for r in others))
        return
    names = sorted({s.labels.get(LABEL_PROJECT, "") for s in found.values()} - {""})
    with contextlib.ExitStack() as held:
        for name in names:
            held.enter_context(lock.hold(SimpleNamespace(name=name), out))
        for name, state in sorted(found.items(), key=lambda kv: kv[1].role != APP_ROLE):
            if state.role == APP_ROLE:
                gone = handinstalled.lost(handinstalled.added_by_hand(engine.changes(name)), None)
                if gone:
                    out(handinstalled.message(name, gone, "will be gone with the container", "", []))
            out(f"dkenv: stopping and removing {name} (of {root})")
            engine.stop_and_remove(name)
        for name in names:
            if not engine.remove_network(f"dkenv-{name}"):
                out(f"dkenv: the network dkenv-{name} is still in use by another project's containers; kept")
