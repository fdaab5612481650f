"""`dkenv init`: inspect the project and write a commented `.dkenv.toml`."""
from __future__ import annotations

import json
import os
import re
import shlex
import sys
from pathlib import Path

from dkenv import fileio, imageref
from dkenv.detect import detection, layout, lockcheck, pinwheels
from dkenv.manifests import pythonversion
from dkenv.manifests.pythonversion import KNOWN
from dkenv.manifests.workspace import find_workspace
from dkenv.errors import FatalError, UsageError
from dkenv.detect import basepython as image_python
from dkenv.project import config, hostports, ignorefiles, scaffold
from dkenv.services import proposals
from dkenv.shell import allow

_PYTHON_RE = re.compile(r"^3\.\d{1,2}$")

DEBUG_PORT = 5678  # debugpy's own default


def run(opts, *, yes: bool, python: str | None, base: str | None, force: bool, services: list[str]) -> int:
    """Write `.dkenv.toml` in -C DIR (default: the cwd). `yes`: never ask (init asks nothing today)."""
    echo = opts.out.echo
    root = _root(opts.directory)
    path = root / config.CONFIG_NAME
    _check_options(path, python, base, force, services)
    _outside_workspace_member(root)
    found = layout.locate(root)
    echo(f"dkenv: inspected {root}")
    for note in found.notes:
        echo(f"  {note}")
    local_images = proposals.LocalImages()  # the engine connected once for the whole run, if at all
    app = root / found.workdir if found.workdir else root
    lock = lockcheck.lock_of(app, found.manager)
    pinned = pinwheels.fit(app, found.requirements, lock) if python is None and base is None else None
    python_choice = choose_python(found, python, base, local_images, pinned,
                                  pythonversion.dockerfile_image(app) or pythonversion.dockerfile_image(root))
    echo(f"  python {python_choice.version or '(unset)'}: {python_choice.reason}")
    pins = pinned or (pinwheels.fit(app, [], lock) if lock is not None else None)  # a lock's own files: no network
    lock_note = pins.note(python_choice.version) if pins else None
    if lock_note:
        echo(f"  note: {lock_note}")
    if pins and python_choice.version:
        said = lockcheck.source_builds(found, pins.report(python_choice.version))
        if said:
            echo(f"  {said}")
    taken = hostports.used_by_projects(root)
    ports, debug_port = _host_ports(taken, found.ports, echo)
    proposal = proposals.propose(root, found, services, echo, lambda more: _free(more, taken), local_images)
    blocks, env = proposal.blocks, proposal.env
    production_port = found.ports[0] if found.ports else 8000
    server = production_server(root / found.workdir if found.workdir else root, found, production_port,
                               python_choice.version)
    text = scaffold.render_config(found, name=config.default_name(root), python=python_choice.version,
                                  base=base or python_choice.base or scaffold.default_base(python_choice.version),
                                  python_reason=python_choice.reason, services_toml=blocks, env=env,
                                  ports=ports, debug_port=debug_port, production=server,
                                  production_port=production_port)
    config.validate(path, text)  # a mistake of ours must not be left behind in the project
    fileio.confine(root)  # a project from now: no write below it follows a link
    fileio.write_atomic(path, text)
    echo(f"dkenv: wrote {path}")
    _ignore_files(root, echo)
    allowed = _allow(root, echo)
    if allowed:
        echo("dkenv: allowed this .dkenv.toml for auto-activation")
    say_production(server, echo)
    echo("Next: review .dkenv.toml, then `dkenv up`")
    return 0


def _check_options(path: Path, python: str | None, base: str | None, force: bool, services: list[str]) -> None:
    """Bad options fail before anything is inspected (exit 2)."""
    if python is not None and not _PYTHON_RE.match(python):
        raise UsageError(f'dkenv: --python {python!r}: give a version X.Y, like "3.12"')
    if base is not None and imageref.problem(base):
        raise UsageError(f"dkenv: --base: {imageref.problem(base)}")
    proposals.choose_services([], services)  # an unknown name fails here
    if path.exists() and not force:
        raise UsageError(f"dkenv: {path} already exists; `dkenv init --force` overwrites it")


def _ignore_files(root: Path, echo) -> None:
    """`.gitignore` and `.dockerignore` completed, each said; one that cannot be written (read-only,
    a link: never written through) is said and left to the user, `.dkenv.toml` being written."""
    try:
        added = ignorefiles.update_gitignore(root)
    except FatalError as e:
        added = []
        echo(f"{e}; add {' and '.join(ignorefiles.IGNORE_LINES)} to it yourself")
    try:
        how, docker_lines = ignorefiles.update_dockerignore(root)
    except FatalError as e:
        how, docker_lines = "added", []
        echo(f"{e}; add {' and '.join(ignorefiles.DOCKERIGNORE_REQUIRED)} to it yourself")
    _say_ignore_files(root, added, how, docker_lines, echo)


def _say_ignore_files(root: Path, added: list[str], how: str, docker_lines: list[str], echo) -> None:
    if added:
        echo(f"dkenv: added {', '.join(added)} to {root / '.gitignore'}")
    if how == "created":
        echo(f"dkenv: wrote {root / '.dockerignore'} (what the production image leaves out: data/, .dkenv/, "
             ".git/, .env files, caches)")
    elif docker_lines:
        echo(f"dkenv: added {', '.join(docker_lines)} to {root / '.dockerignore'}")


def production_server(folder: Path, found: detection.Detection, port: int, python: str | None = None):
    """The production server, release step and checks for the app in `folder` (detect/production.py),
    against the names its production image installs (with Python `python` X.Y, when known)."""
    from dkenv.detect import production
    from dkenv.production.plan import main_names, main_requirements

    requirements = main_requirements(folder, found.manager)
    names = main_names(folder, found.manager, requirements, python)
    return production.server(folder, found.framework, names, port)


def say_production(server, echo) -> None:
    """What `dkenv build --production` will run, and what the user must still decide."""
    if server.command:
        echo(f"dkenv: production: {server.command}")
        echo(f"  why: {server.reason}")
        if server.packages:
            echo(f"  {' and '.join(server.packages)} added to the production image (the project does not depend "
                 f"on {'them' if len(server.packages) > 1 else 'it'})")
    else:
        echo(f"dkenv: production: {server.reason}")
    if server.release:
        echo(f"  release step: {server.release} ({server.release_reason}), before the app starts")
    else:
        echo("  release step: none found ([production] release runs migrations before the app starts)")
    echo("dkenv: before deploying, decide (docs/production.md):")
    for check in server.checks:
        echo(f"  - {check}")


def choose_python(found: detection.Detection, python: str | None, base: str | None,
                  local_images=None, pinned=None, like: str | None = None) -> image_python.Choice:
    """The Python `init` writes, and why: --python as given (the base must be able to provide it),
    else chosen for the project's constraint on --base (detect/basepython.py), else an official
    python image of the host's version or the newest the constraint allows (those the engine
    has preferred: `local_images`, services/proposals.LocalImages), one the project's pinned
    requirements have wheels for preferred (`pinned`, detect/pinwheels.Fit), one to pull of the
    variant of the project's own Dockerfile's python image (`like`). UsageError when the base
    cannot provide one."""
    constraint, host = found.python_constraint, "%d.%d" % sys.version_info[:2]
    if python is None:
        try:
            if base:
                return image_python.choose(constraint, base, "auto", host=host)
            return image_python.choose_image(constraint, host, _local_pythons(local_images or proposals.LocalImages()),
                                             pinned.fitting() if pinned else None, pinned.why() if pinned else "",
                                             like)
        except image_python.Unavailable as e:
            raise UsageError(f"dkenv: {'--base ' + base + ': ' if base else ''}{e.for_init()}") from None
    if python not in KNOWN:
        raise UsageError(f"dkenv: --python {python}: dkenv can provide Python {KNOWN[0]} to {KNOWN[-1]}")
    reason = "given with --python"
    if base:
        conflict = image_python.conflict(base, python, "auto")
        if conflict:
            raise UsageError(f"dkenv: --python {python}: {conflict.for_init()}")
        source = image_python.resolve_python_from(base, python, "auto")
        own = image_python.distro_python(base)
        provides = f"{base} provides it" if image_python.image_python(base) else f"the build checks {base} has it"
        reason += {"image": f"; {provides}", "system": f"; {base} ships it as python3",
                   "uv": f"; uv installs it on {base}" + (f" (its python3 is {own})" if own else "")}[source]
    if constraint and not constraint.allows(python):
        reason += f" (note: {constraint} does not allow it)"
    return image_python.Choice(python, "auto", reason)


def _local_pythons(local_images) -> dict[str, str]:
    """The official python images the engine already has (X.Y -> reference): init prefers
    them, nothing to pull."""
    return image_python.present_pythons(local_images("python"))


def _outside_workspace_member(root: Path) -> None:
    """A uv workspace member is not a project by itself: its lock and its siblings are above it."""
    workspace = find_workspace(root)
    if workspace is not None and workspace.root != root:
        rel = root.relative_to(workspace.root).as_posix()
        raise UsageError(f"dkenv: {root} is a member of the uv workspace {workspace.root} (its uv.lock and "
                         f"the other members are there): make the workspace the project with "
                         f"`dkenv init -C {shlex.quote(str(workspace.root))}`, which sets "
                         f"image.workdir = {json.dumps(rel)} when the app is here")


def _host_ports(taken: set[int], container_ports: list[int], echo) -> tuple[list[str], int]:
    """run.ports and debug.port on host ports no other project publishes and nothing listens on
    (`taken`: the ones in use, the chosen ones added)."""
    ports = []
    for port, host in zip(container_ports, _free(container_ports, taken)):
        ports.append(str(port) if host == port else f"{host}:{port}")
        if host != port:
            echo(f"  port {port}: host port {port} is taken (another project or a program); published on {host}")
    debug_port = _free([DEBUG_PORT], taken)[0]
    if debug_port != DEBUG_PORT:
        echo(f"  debugger: port {DEBUG_PORT} is taken; debug.port = {debug_port}")
    return ports, debug_port


def _free(container_ports, taken: set[int]) -> list[int]:
    """A free host port for each container port (itself when free), added to `taken`."""
    hosts = []
    for port in container_ports:
        hosts.append(hostports.choose(port, taken))
        taken.add(hosts[-1])
    return hosts


def _root(directory: str | None) -> Path:
    root = Path(directory or os.getcwd()).absolute()
    if not root.is_dir():
        raise UsageError(f"dkenv: no such directory: {directory}")
    return root


def _allow(root: Path, echo) -> bool:
    """Approve the new file for auto-activation (the user just wrote it)."""
    try:
        allow.allow(root)
    except OSError as e:
        echo(f"dkenv: warning: could not record the approval ({e}); run `dkenv allow`")
        return False
    return True
