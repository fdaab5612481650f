"""`dkenv doctor [--json]`: check what dkenv needs, one line per check with its fix; exit 0
when nothing fails, 1 otherwise. Works outside a project (the project's checks are then
skipped); a bad .dkenv.toml is a failed check, not an error."""
from __future__ import annotations

import json
from pathlib import Path

from dkenv.doctor import diagnose, hostchecks
from dkenv.doctor.diagnose import FAIL, OK, SKIP, Check
from dkenv.errors import FatalError
from dkenv.project import config as config_mod

LABELS = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL", "skip": "skip"}


def run(opts, *, as_json: bool) -> int:
    checks = collect(opts.directory)
    if as_json:
        opts.out.echo(json.dumps({"ok": all(c.status != FAIL for c in checks),
                                  "checks": [c.as_dict() for c in checks]}, indent=2))
    else:
        for check in checks:
            fix = f" -> {check.fix}" if check.fix and check.status not in (OK, SKIP) else ""
            opts.out.echo(f"{LABELS[check.status]} {check.name}: {check.detail}{fix}")
    return 1 if any(c.status == FAIL for c in checks) else 0


def collect(directory: str | None) -> list[Check]:
    project, first = _project(directory)
    checks = [first, diagnose.socket_access()]
    engine_check, engine = diagnose.connect_engine()
    cli_check, _ = diagnose.docker_cli(engine)
    checks += [engine_check, cli_check]
    folder = project.root if project else Path.cwd()
    checks += diagnose.container_checks(engine, folder, _candidates(project, engine))
    info = engine.info() if engine is not None else None
    checks.append(hostchecks.ca_certificates(_ca_dir(), project.config.image.extra_ca if project else None))
    checks.append(hostchecks.proxies(info))
    places = {"the project": folder}
    if info and info.get("DockerRootDir"):
        places["the Engine's images"] = Path(info["DockerRootDir"])
    checks += hostchecks.disk(places)
    if project is not None:
        checks.append(_ports(project, engine))
    return checks


def _project(directory: str | None):
    from dkenv.project.project import open_project

    try:
        root = config_mod.locate_root(directory)
    except FatalError as e:
        return None, Check("project", SKIP, str(e).removeprefix("dkenv: ").split(";")[0] + ": project checks skipped")
    try:
        project = open_project(str(root))
    except FatalError as e:
        return None, Check("project", FAIL, str(e).removeprefix("dkenv: "), "fix .dkenv.toml")
    return project, Check("project", OK, f"{project.name} at {project.root}")


def _candidates(project, engine) -> list[str]:
    """Images for the test container: the project's, then its base."""
    if project is None or engine is None:
        return []
    from dkenv.containers import mountcheck
    from dkenv.image import plan

    try:  # the tag as `up` names it on this engine (its identity is in the Dockerfile)
        return [plan.make(project, mountcheck.identity(engine, project).image_user).tag(project),
                project.config.image.base]
    except FatalError:  # e.g. a requirements file missing: the base still serves
        return [project.config.image.base]


def _ca_dir() -> Path:
    from dkenv.image import plan

    return plan.HOST_CA_DIR


def _ports(project, engine) -> Check:
    from dkenv.containers import desired

    try:
        wanted = desired.specs(project, project.image_repo + ":doctor")
    except FatalError as e:
        return Check("ports", FAIL, str(e).removeprefix("dkenv: "), "fix .dkenv.toml")
    running = engine.containers(project.name) if engine is not None else {}
    return hostchecks.project_ports(wanted, running)
