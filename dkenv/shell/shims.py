"""Shims: small sh scripts in `<root>/.dkenv/shims/`, one per command, rendered from the
one template shell/shim.sh, that route python, pip, manage.py... into the project
container (see the template for the protocol).

dkenv only ever rewrites or removes files carrying SHIM_MARK: a file of the user's in
the folder is left alone. The folder holds DIR_MARKER, which is how every shim knows
to skip a shims folder when it falls through to the next command on PATH.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dkenv import declared, fileio, hostuser
from dkenv.exec import agent, execution, pidfile, watchdog
from dkenv.imagepaths import VENV
from dkenv.shell import reentry, templates

SHIM_MARK = "# dkenv shim"
DIR_MARKER = ".dkenv-shims"
TEMPLATE = "shim.sh"
COMMANDS = "commands"  # origin: [shims] commands
VENV_SCRIPT = "venv"  # origin: a console script in the container's /opt/venv/bin
SHIM, IDE = "shim", "ide"  # modes: a shim on PATH in an activated shell; the IDE interpreter (.dkenv/bin)
# commands a venv script never shadows, on the host's PATH or not (unless listed in [shims] commands):
# those that handle passwords, keys, tokens or what you edit, the shells and the core tools
HOST_COMMANDS = ("sudo", "sudoedit", "su", "doas", "pkexec", "passwd", "chsh", "chfn", "newgrp", "gpasswd",
                 "login", "ssh", "scp", "sftp", "ssh-add", "ssh-agent", "ssh-keygen", "ssh-copy-id", "gpg", "gpg2",
                 "gpg-agent", "pinentry", "pass", "secret-tool", "keyring", "op", "bw", "vault", "git", "gh", "glab",
                 "hub", "aws", "gcloud", "gsutil", "az", "kubectl", "helm", "docker", "podman", "dkenv", "sh",
                 "bash", "zsh", "fish", "dash", "ksh", "env", "ls", "cd", "rm", "cp", "mv", "cat", "curl", "wget",
                 "make", "chmod", "chown", "kill", "ps", "systemctl", "vi", "vim", "nvim", "nano", "emacs", "ed",
                 "code", "less", "more", "man", "xdg-open", "open")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")
_ORIGIN_LINE = re.compile(r"^dkenv_origin='?([a-z]+)'?$", re.M)


@dataclass
class Baked:
    """What the shims bake in besides the project: how to re-enter dkenv, docker, the user."""

    dkenv_command: list[str] = field(default_factory=reentry.dkenv_command)
    docker: str = field(default_factory=lambda: _which("docker") or "docker")
    user: str = field(default_factory=hostuser.ids)
    # the interpreter that runs the exec agent's client (python -I -S: the standard library only)
    python: str = field(default_factory=lambda: os.path.realpath(sys.executable))


@dataclass
class RehashResult:
    written: list[str] = field(default_factory=list)  # created or changed
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    not_ours: list[str] = field(default_factory=list)  # wanted, but a user's file has the name
    venv_unknown: bool = False  # the venv's scripts were wanted but not known (container not running)
    kept_venv: list[str] = field(default_factory=list)  # then: the venv-script shims kept from before

    @property
    def shims(self) -> list[str]:
        return sorted(self.written + self.unchanged)


def _which(name: str) -> str | None:
    declared.command(name)
    return shutil.which(name)


def valid_name(name: str) -> bool:
    return bool(_SAFE_NAME.match(name)) and name not in (".", "..")


def render(project, name: str, origin: str = COMMANDS, baked: Baked | None = None, mode: str = SHIM,
           mounts: list[str] | None = None, env: list[str] | None = None) -> str:
    """The text of the shim for command `name`; in IDE mode, the cwds it keeps are the root
    and `mounts`, and it passes the variables `env` from the caller."""
    baked = baked or Baked()
    values = {
        "MODE": mode,
        "NAME": name,
        "ORIGIN": origin,
        "ROOT": str(project.root),
        "SHIMS": str(project.shims_dir),
        "CONTAINER": project.container,
        "USER": baked.user,
        "DOCKER": baked.docker,
        "PIDFILE": str(pidfile.path(project)),
        "TOKEN_VAR": execution.TOKEN_VAR,
        "KILLER": execution.KILLER_SCRIPT,
        "LAUNCHER": execution.LAUNCHER,
        "WATCHER": watchdog.WATCHER,
        "REAPER": watchdog.REAPER,
        "DKENV": baked.dkenv_command,
        "DKENV_EXE": baked.dkenv_command[0],
        "VENV": VENV,
        "MOUNTS": list(mounts or []),
        "ENV_OPTS": [word for name in (env or []) for word in ("-e", name)],
        "AGENT_SOCK": agent.socket_path(project),
        "AGENT_PYTHON": baked.python,
        "AGENT_CLIENT": agent.client_path(),
    }
    return templates.render(TEMPLATE, values, "sh")


def is_shim(path: Path) -> bool:
    """A regular file (not a symlink) that dkenv wrote: SHIM_MARK near the top."""
    try:
        if path.is_symlink() or not path.is_file():
            return False
        with open(path, "rb") as f:
            return SHIM_MARK.encode() in f.read(512)
    except OSError:
        return False


def origin_of(path: Path) -> str | None:
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:2048]
    except OSError:
        return None
    match = _ORIGIN_LINE.search(head)
    return match.group(1) if match else None


def present(shims_dir: Path) -> dict[str, str]:
    """The dkenv shims in the folder: name -> origin."""
    found = {}
    try:
        entries = sorted(shims_dir.iterdir())
    except OSError:
        return found
    for entry in entries:
        if not entry.name.startswith(".") and is_shim(entry):
            found[entry.name] = origin_of(entry) or COMMANDS
    return found


def wanted(project, venv_scripts: list[str] | None, on_host=None) -> tuple[dict[str, str], list[str]]:
    """name -> origin for [shims] commands, plus the venv's Python tools (venvscripts.py)
    when enabled, each only when it shadows no command of the host: not in HOST_COMMANDS,
    not `[shims] exclude`d, and not on the host's PATH (`on_host(name)`, default
    `host_command(project)`), the venv's own pythons and pips excepted. `[shims] commands`
    is the user's word: those are shimmed whatever the host has.

    With `venv_scripts` None (the list is unknown: the container is not running), the
    venv-script shims already present stay (by the same rule); they are returned second.
    """
    from dkenv.shell.venvscripts import FAMILY

    on_host = on_host or host_command(project)
    names = {n: COMMANDS for n in project.config.shims.commands if valid_name(n)}
    kept: list[str] = []
    if project.config.shims.venv_scripts:
        if venv_scripts is None:
            kept = [n for n, o in present(project.shims_dir).items() if o == VENV_SCRIPT and n not in names]
            scripts = kept
        else:
            scripts = venv_scripts
        excluded = set(HOST_COMMANDS) | set(project.config.shims.exclude)
        for name in scripts:
            if valid_name(name) and name not in excluded and (FAMILY.match(name) or not on_host(name)):
                names.setdefault(name, VENV_SCRIPT)
        kept = [n for n in kept if names.get(n) == VENV_SCRIPT]
    return names, kept


def host_command(project, path: str | None = None):
    """`on_host(name)`: is `name` a command on the host's PATH, outside the project (its
    folders on PATH, a `.venv/bin` of its own, are the project's) and outside every shims
    folder (a folder holding DIR_MARKER)?"""
    root = os.path.realpath(project.root)
    folders = []
    for folder in (os.environ.get("PATH", "") if path is None else path).split(os.pathsep):
        if not os.path.isabs(folder) or os.path.exists(os.path.join(folder, DIR_MARKER)):
            continue
        real = os.path.realpath(folder)
        if real != root and not real.startswith(root + "/"):
            folders.append(folder)

    def on_host(name: str) -> bool:
        return any(os.access(os.path.join(f, name), os.X_OK) and not os.path.isdir(os.path.join(f, name))
                   for f in folders)

    return on_host


def foreign_files(project) -> list[Path]:
    """Files in the shims folder dkenv did not make: activation refuses to put them on PATH
    (a cloned repository could ship `.dkenv/shims/ls`)."""
    try:
        entries = sorted(project.shims_dir.iterdir())
    except OSError:
        return []
    return [e for e in entries if e.name != DIR_MARKER and not is_shim(e)]


def prepare_dir(project) -> Path:
    """`.dkenv/shims/` with its marker (and `.dkenv/.gitignore`, as `dkenv up` writes it)."""
    fileio.ensure_work_dir(project.work_dir)
    folder = fileio.make_dirs(project.shims_dir)
    flag = folder / DIR_MARKER
    if not flag.exists():
        fileio.write_atomic(flag, f"# {fileio.MARK}: dkenv shims of {project.root}; the shims skip this folder "
                                  "when they fall through to PATH\n")
    return folder


def write_script(path: Path, text: str) -> bool:
    """Write an executable shim; False when it already had this text."""
    try:
        if declared.path(path).read_text(encoding="utf-8") == text and os.access(path, os.X_OK):
            return False
    except (OSError, UnicodeDecodeError):
        pass
    fileio.write_atomic(path, text, mode=0o755)
    return True


def rehash(project, venv_scripts: list[str] | None, baked: Baked | None = None, on_host=None) -> RehashResult:
    """Write the wanted shims, remove stale dkenv shims, never touch anything else."""
    baked = baked or Baked()
    folder = prepare_dir(project)
    names, kept = wanted(project, venv_scripts, on_host)
    unknown = venv_scripts is None and project.config.shims.venv_scripts
    result = RehashResult(venv_unknown=unknown, kept_venv=sorted(kept))
    for name, origin in sorted(names.items()):
        path = folder / name
        if (path.exists() or path.is_symlink()) and not is_shim(path):
            result.not_ours.append(name)
            continue
        changed = write_script(path, render(project, name, origin, baked))
        (result.written if changed else result.unchanged).append(name)
    for name in present(folder):
        if name not in names:
            fileio.remove(folder / name)
            result.removed.append(name)
    return result
