"""Host ports: a port already taken is reported before anything starts."""
from __future__ import annotations

import errno
import socket

from dkenv.containers import convergence
from dkenv.engine.engine import Engine
from dkenv.engine.spec import LABEL_PROJECT, LABEL_ROOT, ContainerSpec, ContainerState
from dkenv.errors import FatalError
from dkenv.project.project import Project


def is_free(bind: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in bind else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((bind, port))
        except OSError as e:
            return e.errno not in (errno.EADDRINUSE, errno.EACCES)
    return True


def check_free(project: Project, wanted: list[ContainerSpec], existing: dict[str, ContainerState],
               actions: list[convergence.Action], engine: Engine) -> None:
    """Fail, naming the port and its holder, when a port to publish is taken."""
    starting = {a.name for a in actions if a.verb in (convergence.CREATE, convergence.RECREATE, convergence.START)}
    ours = {p[1] for name, state in existing.items() if state.running and name in starting | _removed(actions)
            for p in state.ports}
    others = None
    for spec in wanted:
        if spec.name not in starting:
            continue
        for port in spec.ports:
            if port.host in ours or is_free(port.bind, port.host):
                continue
            if others is None:
                others = [c for c in engine.all_dkenv_containers() if c.labels.get(LABEL_PROJECT) != project.name]
            holder = next((c for c in others for p in c.ports if p[1] == port.host), None)
            who = (f"by {holder.name} of the dkenv project {holder.labels.get(LABEL_PROJECT)} "
                   f"({holder.labels.get(LABEL_ROOT)}); stop it with `dkenv -C {holder.labels.get(LABEL_ROOT)} down`"
                   if holder else "by another program")
            raise FatalError(f"dkenv: port {port.bind}:{port.host} (for {spec.role}) is already in use {who}; "
                             "nothing was started")


def _removed(actions: list[convergence.Action]) -> set[str]:
    return {a.name for a in actions if a.verb == convergence.REMOVE}
