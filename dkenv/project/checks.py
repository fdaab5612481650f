"""The checks of `.dkenv.toml` beyond types: each table's values against each other,
the project's files and the service catalog. Each raises the Reader's ConfigError
(file:line, exit 2)."""
from __future__ import annotations

import ipaddress
import os
import re
import shlex
from pathlib import Path

from dkenv import declared, imageref
from dkenv.manifests.pythonversion import KNOWN
from dkenv.engine.spec import parse_port
from dkenv.project.reader import Reader
from dkenv.project.schema import (
    PYTHON_FROM,
    DebugConfig,
    IdeConfig,
    ImageConfig,
    ProductionConfig,
    RunConfig,
    ServiceConfig,
)

_PYTHON_RE = re.compile(r"^3\.\d{1,2}$")
_ENV_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def check_image(r: Reader, image: ImageConfig, root: Path) -> None:
    r.choice("image", "python_from", image.python_from, PYTHON_FROM)
    r.choice("image", "install", image.install, installer_names())
    r.choice("image", "extra_ca", image.extra_ca, ("auto", "none"))
    if image.python is not None and not _PYTHON_RE.match(image.python):
        raise r.fail("image", "python", f'{image.python!r} must be a version like "3.12"')
    if image.python is not None and image.python not in KNOWN:
        raise r.fail("image", "python", f"dkenv can provide Python {KNOWN[0]} to {KNOWN[-1]}, not {image.python}")
    bad = imageref.problem(image.base)
    if bad:
        raise r.fail("image", "base", bad)
    _check_python_source(r, image)
    for package in image.apt:
        if not re.match(r"^[a-z0-9][a-z0-9+.:=~-]*$", package):
            raise r.fail("image", "apt", f"{package!r} is not a Debian package name")
    if image.setup and not (root / image.setup).resolve().is_relative_to(root.resolve()):
        raise r.fail("image", "setup", f"{image.setup!r} is outside the project")
    if image.setup and not declared.path(root / image.setup).is_file():
        raise r.fail("image", "setup", f"file {image.setup!r} not found in {root}")
    _check_workdir(r, image, root)
    _check_selection(r, image)
    app = root / image.workdir if image.workdir else root  # requirements are relative to the app's folder
    for req in image.requirements:
        if not (app / req).resolve().is_relative_to(root.resolve()):
            raise r.fail("image", "requirements", f"{req!r} is outside the project")
        if not declared.path(app / req).is_file():
            raise r.fail("image", "requirements", f"file {req!r} not found in {app}")


def _check_python_source(r: Reader, image: ImageConfig) -> None:
    """The base can provide image.python from python_from (detect/basepython.py, imported on use)."""
    from dkenv.detect import basepython as image_python

    conflict = image_python.conflict(image.base, image.python, image.python_from)
    if conflict:
        raise r.fail("image", conflict.key, str(conflict))


def _check_selection(r: Reader, image: ImageConfig) -> None:
    """image.extras and image.groups: names, and an installer they apply to (when it is named)."""
    from dkenv import installers

    for key in ("extras", "groups"):
        names = getattr(image, key) or []
        for name in names:
            if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", name):
                raise r.fail("image", key, f"{name!r} is not a name of {'an extra' if key == 'extras' else 'a group'}")
        if names and image.install == "none":
            raise r.fail("image", key, 'does not apply to install = "none"')
        installer = installers.get(image.install) if names and image.install != "auto" else None
        if installer is not None and key not in installer.selects:
            hint = " (image.requirements chooses the files)" if installer.takes_requirements else ""
            raise r.fail("image", key, f'does not apply to install = "{image.install}"{hint}')


def _check_workdir(r: Reader, image: ImageConfig, root: Path) -> None:
    if not image.workdir:
        return
    folder = root / image.workdir
    if os.path.isabs(image.workdir) or not folder.resolve().is_relative_to(root.resolve()):
        raise r.fail("image", "workdir", f"{image.workdir!r} is outside the project; it names a folder inside it")
    if not declared.path(folder).is_dir():
        raise r.fail("image", "workdir", f"folder {image.workdir!r} not found in {root}")


def check_run(r: Reader, run: RunConfig, debug: DebugConfig, root: Path) -> None:
    try:
        address = ipaddress.ip_address(run.bind)
    except ValueError:
        raise r.fail("run", "bind", f"{run.bind!r} is not an IP address: ports are published on one, like "
                                    '"127.0.0.1" (this machine only, the default) or "0.0.0.0" (every network)') from None
    if address.is_multicast or address.version == 4 and address.is_reserved:  # 240/4 and the broadcast
        raise r.fail("run", "bind", f"{run.bind!r} is a multicast, broadcast or reserved address, not one of this "
                                    'machine\'s: "127.0.0.1" (this machine only, the default), an address of one '
                                    'of its networks, or "0.0.0.0" (every network)')
    for key in run.env:
        if not _ENV_KEY_RE.match(key):
            raise r.fail("run", "env", f"{key!r} is not a valid variable name")
    for port in run.ports:
        try:
            parse_port(port)
        except ValueError as e:
            raise r.fail("run", "ports", str(e)) from None
    try:
        shlex.split(run.command)
    except ValueError as e:
        raise r.fail("run", "command", f"cannot be split into words: {e}") from None
    if not 0 <= debug.port <= 65535:
        raise r.fail("debug", "port", f"{debug.port} is not a port (1-65535, or 0 for no debugger)")
    if debug.port and any(debug.port in parse_port(p) for p in run.ports):  # host or container side
        raise r.fail("debug", "port", f"{debug.port} is also in run.ports; give the debugger a port of its own")
    if run.env_file:
        path = root / run.env_file
        if os.path.isabs(run.env_file) or not path.resolve().is_relative_to(root.resolve()):
            raise r.fail("run", "env_file", f"{run.env_file!r} is outside the project; env files are read "
                                            "from inside it only")
        if not declared.path(path).is_file():
            raise r.fail("run", "env_file", f"file {run.env_file!r} not found in {root}")
        if not os.access(path, os.R_OK):
            raise r.fail("run", "env_file", f"file {run.env_file!r} is not readable")


def check_services(r: Reader, services: dict[str, ServiceConfig], root: Path) -> None:
    from dkenv.project import initscripts
    from dkenv.services.resolve import resolve

    for name, service in services.items():
        if name == "app":
            raise r.fail("services.app", None, "the name `app` is the project container's host name; "
                                               "call the service something else")
        for dep in service.depends_on:
            if dep not in services:
                raise r.fail(f"services.{name}", "depends_on", f"no service named {dep!r}")
        for port in service.ports:
            try:
                parse_port(port)
            except ValueError as e:
                raise r.fail(f"services.{name}", "ports", str(e)) from None
        if service.timeout <= 0:
            raise r.fail(f"services.{name}", "timeout", "must be a positive number of seconds")
        if not 0 <= service.stop_timeout <= 3600:
            raise r.fail(f"services.{name}", "stop_timeout", "must be 0 to 3600 seconds")
        resolved = resolve(service, fail=r.fail)  # template, image, version, command: against the catalog
        initscripts.check(r, service, resolved.entry, root)
    _check_cycles(r, services)


def _check_cycles(r: Reader, services: dict[str, ServiceConfig]) -> None:
    state: dict[str, int] = {}

    def visit(name, chain):
        if state.get(name) == 1:
            raise r.fail(f"services.{name}", "depends_on", "dependency cycle: " + " -> ".join([*chain, name]))
        if state.get(name) == 2:
            return
        state[name] = 1
        for dep in services[name].depends_on:
            visit(dep, [*chain, name])
        state[name] = 2

    for name in services:
        visit(name, [])


def check_host_ports(r: Reader, run: RunConfig, debug: DebugConfig, services: dict[str, ServiceConfig]) -> None:
    """Each host port is published once: a second one would leave a half-made container."""
    seen: dict[int, str] = {}
    tables = [("run", run.ports + ([str(debug.port)] if debug.port else []))]
    tables += [(f"services.{name}", s.ports) for name, s in services.items()]
    for table, ports in tables:
        for port in ports:
            host = parse_port(port)[0]
            if host in seen:
                raise r.fail(table, "ports", f"host port {host} is published twice (also by {seen[host]})")
            seen[host] = table


def check_ide(r: Reader, ide: IdeConfig, root: Path) -> None:
    """Each configured mount, `~` expanded, is a folder the container may have at the same
    path; each variable one the IDE may pass (project/ide.py has the rules)."""
    if not ide.mounts and not ide.env:
        return  # the usual case: nothing more imported at load (exec's start-up)
    from dkenv.project import ide as ide_rules

    rules = ide_rules.Rules(str(root), ide_rules.home()) if ide.mounts else None
    for path in ide.mounts or []:
        bad = rules.problem(ide_rules.expand(path))
        if bad:
            raise r.fail("ide", "mounts", f"{path!r}: {bad}")
    for name in ide.env:
        bad = ide_rules.env_problem(name)
        if bad:
            raise r.fail("ide", "env", bad)


def check_production(r: Reader, prod: ProductionConfig, image: ImageConfig, root: Path) -> None:
    """[production]: commands that split, a port, a worker count, variable names, names of
    extras and groups, requirements files in the app's folder, Debian package names, a path."""
    for key in ("command", "release"):
        value = getattr(prod, key)
        if key == "command" and value is not None and not value.strip():
            raise r.fail("production", key, "is empty; leave it out for the framework's default server")
        try:
            shlex.split(value or "")
        except ValueError as e:
            raise r.fail("production", key, f"cannot be split into words: {e}") from None
    if not 0 <= prod.port <= 65535:
        raise r.fail("production", "port", f"{prod.port} is not a port (1-65535, or 0 for the default)")
    if not 0 <= prod.workers <= 1024:
        raise r.fail("production", "workers", f"{prod.workers} workers: give 1-1024, or 0 for the default rule")
    for key in prod.env:
        if not _ENV_KEY_RE.match(key):
            raise r.fail("production", "env", f"{key!r} is not a valid variable name")
    for key in ("extras", "groups"):
        for name in getattr(prod, key):
            if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", name):
                raise r.fail("production", key, f"{name!r} is not a name of {'an extra' if key == 'extras' else 'a group'}")
    app = root / image.workdir if image.workdir else root
    for req in prod.requirements:
        if not (app / req).resolve().is_relative_to(root.resolve()):
            raise r.fail("production", "requirements", f"{req!r} is outside the project")
        if not declared.path(app / req).is_file():
            raise r.fail("production", "requirements", f"file {req!r} not found in {app}")
    for package in prod.apt or []:
        if not re.match(r"^[a-z0-9][a-z0-9+.:=~-]*$", package):
            raise r.fail("production", "apt", f"{package!r} is not a Debian package name")
    if prod.healthcheck and (not prod.healthcheck.startswith("/") or any(c.isspace() for c in prod.healthcheck)):
        raise r.fail("production", "healthcheck", f"{prod.healthcheck!r} is not a URL path like \"/\" or "
                                                  '"/health" ("" for no healthcheck)')


def installer_names() -> list[str]:
    """The values image.install takes: auto, every installer of installers/, none."""
    from dkenv import installers

    return ["auto", *installers.names(), "none"]
