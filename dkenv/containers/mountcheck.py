"""Does the engine see this folder? A bind mount names a path on the engine's machine:
on a remote engine (ssh://, tcp://), in a VM (Docker Desktop, Colima) or in a rootless
engine's own mount namespace, the project's path there may be another folder, or none.

Once per project and endpoint, `up` writes a marker with a random token in `.dkenv/run/`
and reads it back through a bind mount in a throwaway container; a match is remembered
in the state dir (`mounts/`), a mismatch stops `up` before anything is built. The local
rootful engine shares this machine's mounts and is not asked.

The check also reads who owns the folder as the engine sees it: on a remote engine that
runs containers as a baked-in user, that owner's UID:GID is the one commands run as
(a folder synced to another machine belongs to the user there).
"""
from __future__ import annotations

import secrets
import socket
from dataclasses import replace

from dkenv import fileio, hashing, hostuser, paths
from dkenv.engine import identity as identity_mod
from dkenv.engine.spec import Mount
from dkenv.errors import FatalError

TARGET = "/dkenv-mount-check"
SCRIPT = 'cat "$1/.dkenv/run/mount-check" 2>/dev/null; echo; stat -c %u:%g "$1" 2>/dev/null'
# kinds whose commands run as a baked-in UID: on a remote engine, the folder's owner there
_BAKED = (identity_mod.DOCKER, identity_mod.PODMAN_ROOTFUL, identity_mod.DESKTOP, identity_mod.VM)


def needed(kind: str, ep, info: dict) -> bool:
    """Every engine but this machine's own rootful daemon (same mounts, same files)."""
    local = ep.scheme == "unix" and str(info.get("Name", "")) == socket.gethostname()
    return not (local and kind in (identity_mod.DOCKER, identity_mod.PODMAN_ROOTFUL))


def _cache_file(project, ep):
    key = hashing.sha256(f"{project.root}\0{ep.host}\0{ep.context or ''}".encode())[:20]
    return paths.state_dir() / "mounts" / key


def cached_owner(project, ep) -> str | None:
    """"UID:GID" the check saw (or "" when it saw none), None when unchecked."""
    try:
        return _cache_file(project, ep).read_text().strip()
    except OSError:
        return None


def identity(engine, project) -> identity_mod.Identity:
    """As whom dkenv runs this project on this engine: the one function the image plan, the
    project container, the services and exec ask. On a remote engine whose folder check
    recorded another owner, that owner's UID:GID."""
    from dkenv.engine import info

    return adjusted(info.engine_identity(engine), project, engine.endpoint)


def adjusted(ident: identity_mod.Identity, project, ep) -> identity_mod.Identity:
    """The identity, with the folder's owner on a remote engine that runs a baked-in user."""
    if ep is None or not ep.remote or ident.kind not in _BAKED:
        return ident
    owner = cached_owner(project, ep) or ""
    uid, _, gid = owner.partition(":")
    if not (uid.isdigit() and gid.isdigit()) or (int(uid), int(gid)) == (ident.uid, ident.gid):
        return ident
    user = ident.image_user
    return replace(ident, image_user=hostuser.User(user.name if int(uid) else "root", int(uid), int(gid)))


def check(project, engine, kind: str, info: dict, image: str, out) -> None:
    """Stop, with what a remote engine needs, unless the engine sees this folder at its path."""
    ep = engine.endpoint
    if ep is None or not needed(kind, ep, info) or cached_owner(project, ep) is not None:
        return
    out(f"dkenv: checking that the engine at {ep.host} sees {project.root} (once)")
    if not engine.image_exists(image):  # the base image: the build needs it anyway
        from dkenv.containers.images import pull

        error = pull(engine, image, "image.base", out)
        if error:
            raise FatalError(f"dkenv: cannot pull {image} (image.base): {error}")
    token = secrets.token_hex(16)
    marker = project.work_dir / "run" / "mount-check"
    fileio.ensure_work_dir(project.work_dir)
    fileio.make_dirs(marker.parent)
    fileio.write_atomic(marker, token + "\n", mode=0o644)
    try:
        code, output = engine.run_once(image, ["sh", "-c", SCRIPT, "dkenv-check", TARGET],
                                       [Mount(str(project.root), TARGET)])
        seen = output.decode(errors="replace").split()
    except FatalError:
        raise
    except Exception as e:  # the engine refused the mount (no such path there): the same answer
        code, seen = 1, [str(getattr(e, "explanation", None) or e)]
    finally:
        fileio.remove(marker)
    if code != 0 or not seen or seen[0] != token:
        raise FatalError(not_this_folder(project, ep))
    owner = seen[1] if len(seen) > 1 else ""
    cache = _cache_file(project, ep)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fileio.write_atomic(cache, owner + "\n")
    except (OSError, FatalError):
        pass  # an unwritable state dir: checked again next time


def not_this_folder(project, ep) -> str:
    return (
        f"dkenv: the engine at {ep.describe()} does not see this folder: a bind mount names a path on "
        f"the engine's machine, and {project.root} there is not {project.root} here (a marker written "
        "in .dkenv/ was not found through the mount). A remote or VM engine needs the same folder at the "
        "same path on both machines. Two ways to work: run dkenv on the engine's machine, with the "
        "project there (for example in an editor's remote-SSH window); or share or sync this folder to "
        "the same path on that machine (NFS, sshfs, Mutagen, the VM's file sharing), then `dkenv up` "
        "again. Nothing was built or started.")
