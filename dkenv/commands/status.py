"""`dkenv status [--json]`: image, freshness, containers, health, ports, and whose they
are when another folder's label is on them (a moved folder's, adopted by the next `up`)."""
from __future__ import annotations

import json

from dkenv.engine import engine, info as engineinfo, identity

from dkenv.containers import mountcheck, ownership
from dkenv.engine.spec import APP_ROLE, LABEL_ROOT
from dkenv.image import plan
from dkenv.project.project import open_project


def collect(project, eng) -> dict:
    kind, host, source = engineinfo.describe(eng)
    tag = plan.make(project, mountcheck.identity(eng, project).image_user).tag(project)
    built = eng.image_exists(tag)
    containers = eng.containers(project.name)
    app = containers.get(project.container)
    rows = []
    for role in [APP_ROLE, *project.config.services]:
        name = project.container if role == APP_ROLE else project.service_container(role)
        state = containers.get(name)
        root = state.labels.get(LABEL_ROOT, "") if state else ""
        rows.append({
            "role": role, "container": name,
            "state": state.status if state else "absent",
            "health": state.health if state else None,
            "ports": [f"{b}:{h}->{c}" for b, h, c in state.ports] if state else [],
            "owner": ownership.owner(root, str(project.root)) if state else None,
            "root": root or None,
        })
    return {
        "project": project.name, "root": str(project.root),
        "engine": {"kind": kind, "endpoint": host, "source": source},
        "image": tag,
        "image_built": built,
        "fresh": bool(built and app and app.image == tag and rows[0]["owner"] == ownership.MINE),
        "containers": rows,
    }


def run(opts, *, as_json: bool) -> int:
    project = open_project(opts.directory)
    info = collect(project, engine.connect(opts.out))
    if as_json:
        opts.out.echo(json.dumps(info, indent=2))
        return 0
    freshness = ("up to date" if info["fresh"] else
                 "built, container not using it yet (run `dkenv up`)" if info["image_built"] else
                 "not built for the current config (run `dkenv up`)")
    width = max([8, *(len(row["role"]) + 1 for row in info["containers"])])  # a column for every name
    opts.out.echo(f"{'project':<{width}} {info['project']}  ({info['root']})")
    eng = info["engine"]
    opts.out.echo(f"{'engine':<{width}} {identity.DESCRIPTIONS.get(eng['kind'], eng['kind'])} at {eng['endpoint']}  "
                  f"({eng['source']})")
    opts.out.echo(f"{'image':<{width}} {info['image']}  {freshness}")
    for row in info["containers"]:
        health = f" ({row['health']})" if row["health"] else ""
        ports = "  " + ", ".join(row["ports"]) if row["ports"] else ""
        opts.out.echo(f"{row['role']:<{width}} {row['container']}  {row['state']}{health}{ports}{_whose(row)}")
    return 0


def _whose(row: dict) -> str:
    if row["owner"] == ownership.GONE:
        return f"  (mounts {row['root']}, which holds no project any more: `dkenv up` adopts it)"
    if row["owner"] == ownership.OTHER:
        return f"  (belongs to the project at {row['root']}, not this one)"
    return ""
