"""The venv's site-packages, copied out of the project container to `.dkenv/site-packages/`,
for analysis on the host: an IDE's language server (Pylance, PyCharm's index) runs on the
host and cannot read `/opt/venv`; given this folder as an extra path, it resolves the
project's imports.

`up` copies it when the image tag or the list of installed distributions changed
(`.dkenv-tag` in the copy records both); `dkenv rehash` (run after a `pip install`
through a shim or the interpreter) copies it again when the list changed. A first copy
is extracted beside the old one and swapped in, so a reader never sees half of it, and a
failed copy leaves the previous one. When a copy is there, only the entries the change
touches are copied again (ide/sitedelta.py: a package added or bumped copies that
package, not the ~600 MB venv), each swapped in; the stamp is written last, so a failed
update leaves a copy that the next `up` completes (the `.dist-info` folders are swapped
last, so what is left to do still shows). `[ide] site_packages = false` removes it.
"""
from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
from pathlib import Path
from typing import Iterable

from dkenv import hashing
from dkenv.engine.containers import ChunkFile
from dkenv.errors import FatalError
from dkenv.imagepaths import VENV

TAG_FILE = ".dkenv-tag"
# the venv's site-packages folder, then its entries (what the copy's freshness is judged by)
LISTING = (f'for d in {VENV}/lib/python*/site-packages; do [ -d "$d" ] || continue; '
           'cd "$d" && pwd && ls -1A; exit; done; exit 3')


def folder(project) -> Path:
    return project.work_dir / "site-packages"


def stamp(tag: str, listing: str) -> str:
    """What `.dkenv-tag` holds: the image tag and a digest of the folder's entries."""
    return f"{tag} {hashing.sha256(listing.encode())[:16]}"


def recorded(project) -> str | None:
    """The copy's stamp; None when there is no copy of dkenv's (a folder without TAG_FILE is not ours)."""
    try:
        return (folder(project) / TAG_FILE).read_text().strip()
    except OSError:
        return None


def sync(project, engine, tag: str, out, force: bool = False) -> bool:
    """Copy the running container's site-packages when the copy is missing or stale; True
    when copied. Raises FatalError (a copy that cannot be made); nothing else is changed then."""
    target = folder(project)
    if not project.config.ide.site_packages:
        remove(project)
        return False
    if (target.exists() or target.is_symlink()) and recorded(project) is None:
        out(f"dkenv: {target} is not dkenv's copy of site-packages; left alone (move it away to get the copy)")
        return False
    code, output = engine.exec_capture(project.container, ["sh", "-c", LISTING])
    if code != 0:
        raise FatalError(f"dkenv: no site-packages folder under {VENV}/lib in {project.container}")
    site, _, listing = output.decode(errors="replace").partition("\n")
    wanted = stamp(tag, listing)
    if not force and recorded(project) == wanted:
        return False
    if not force and recorded(project) is not None and update(engine, project.container, site.strip(), target,
                                                               set(filter(None, listing.splitlines())), wanted, out):
        return True
    out(f"dkenv: copying the venv's site-packages to {target} (for the IDE's analysis)")
    replace(target, engine.archive(project.container, site.strip()), wanted)
    return True


def update(engine, container: str, site: str, target: Path, new: set[str], wanted: str, out) -> bool:
    """Copy again only the entries that changed (ide/sitedelta.py); False when the whole
    copy is the better way (too much changed). The stamp is written last."""
    from dkenv.ide import sitedelta

    old = {p.name for p in target.iterdir() if p.name != TAG_FILE}
    came = sorted(n for n in new - old if n.endswith(".dist-info"))
    scratch = Path(tempfile.mkdtemp(prefix=".site-packages.", dir=target.parent))
    try:
        for name in came:  # their RECORDs say what they own
            extract(engine.archive(container, f"{site}/{name}"), scratch / name)
        new_records = {n: sitedelta.record_of(scratch / n, n) for n in came}
        old_records = {n: sitedelta.record_of(target, n) for n in old - new if n.endswith(".dist-info")}
        entries = sitedelta.changed(old, new, old_records, new_records)
        if not sitedelta.worth_it(entries, new):
            return False
        if entries:  # else the same distributions in another image: only the stamp changes
            out(f"dkenv: updating {len(entries)} entries of {target} (for the IDE's analysis)")
        (target / TAG_FILE).write_text("updating\n")  # still dkenv's copy, no longer the stamp's
        # the .dist-info folders last: an update cut short still differs by them, and is completed next time
        for name in sorted(entries, key=lambda n: (n.endswith(".dist-info"), n)):
            fetched = scratch / name / name
            if name in new and not fetched.exists():
                extract(engine.archive(container, f"{site}/{name}"), scratch / name)
            _swap(target / name, fetched if name in new else None, scratch / f"{name}.old")
        (target / TAG_FILE).write_text(wanted + "\n")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return True


def _swap(path: Path, new: Path | None, aside: Path) -> None:
    """`path` replaced by `new` (None: removed)."""
    if path.exists() or path.is_symlink():
        path.rename(aside)
    if new is not None and (new.exists() or new.is_symlink()):
        new.rename(path)


def after_up(project, engine, actions, out) -> None:
    """After a full `up` that acted (not one that found everything running): the copy, when
    the project container's image or its installed packages changed."""
    from dkenv.containers import convergence
    from dkenv.engine.spec import APP_ROLE

    if all(a.verb == convergence.NOOP for a in actions):
        return
    app = next((a.spec for a in actions if a.spec.role == APP_ROLE and a.verb != convergence.REMOVE), None)
    if app is not None:
        try_sync(project, engine, app.image, out)


def try_sync(project, engine, tag: str, out) -> None:
    """`sync` where a copy that fails is a warning, never a failed `up` or `rehash`."""
    try:
        sync(project, engine, tag, out)
    except (FatalError, OSError, tarfile.TarError) as e:
        out(f"dkenv: warning: site-packages not copied to {folder(project)}: {e}")


def remove(project) -> None:
    """Delete dkenv's copy (only a folder carrying TAG_FILE)."""
    target = folder(project)
    if recorded(project) is not None and not target.is_symlink():
        shutil.rmtree(target, ignore_errors=True)


def replace(target: Path, chunks: Iterable[bytes], wanted: str) -> None:
    """Extract the tar stream (one top folder) beside `target`, stamp it, swap it in."""
    scratch = Path(tempfile.mkdtemp(prefix=".site-packages.", dir=target.parent))
    try:
        extract(chunks, scratch / "new")
        tops = [p for p in (scratch / "new").iterdir()]
        if len(tops) != 1 or not tops[0].is_dir():
            raise FatalError("dkenv: the container sent no site-packages folder")
        (tops[0] / TAG_FILE).write_text(wanted + "\n")
        if target.exists():
            target.rename(scratch / "old")
        tops[0].rename(target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def extract(chunks: Iterable[bytes], dest: Path) -> None:
    """Extract a tar stream into `dest`: regular files, folders and links that stay inside
    it only, owned by the user running dkenv and readable by them."""
    dest.mkdir(parents=True)
    base = os.path.realpath(dest)
    trusted = {"filter": "fully_trusted"} if hasattr(tarfile, "fully_trusted_filter") else {}
    with tarfile.open(fileobj=io.BufferedReader(ChunkFile(chunks), 1 << 20), mode="r|") as tar:
        for member in tar:
            if not safe(member, base):
                continue
            member.uid, member.gid, member.uname, member.gname = os.getuid(), os.getgid(), "", ""
            member.mode = (member.mode & 0o755) | (0o700 if member.isdir() else 0o600)
            try:
                tar.extract(member, base, numeric_owner=True, **trusted)
            except (OSError, KeyError, tarfile.TarError):
                continue  # e.g. a hard link to a member that was left out


def safe(member: tarfile.TarInfo, base: str) -> bool:
    """A folder, file, symlink or hard link that stays inside `base`, judged by construction
    and after resolving what is already extracted (the tar is the container's, hostile): no
    absolute path and no `..` in its name or its link, its folder resolving (through the links
    made before it) inside `base`, no link already where it goes (nothing written through one).
    Links then only point down from inside, so no later member can make one lead out."""
    if not (member.isdir() or member.isfile() or member.issym() or member.islnk()):
        return False  # devices, fifos
    if not _downward(member.name) or (member.issym() or member.islnk()) and not _downward(member.linkname):
        return False
    target = os.path.join(base, member.name)
    folder = os.path.realpath(os.path.dirname(target))
    if not (folder == base or _below(folder, base)) or os.path.islink(target):
        return False
    if member.issym():
        return _below(os.path.realpath(os.path.join(folder, member.linkname)), base)
    if member.islnk():
        return _below(os.path.realpath(os.path.join(base, member.linkname)), base)
    return True


def _below(path: str, base: str) -> bool:
    return path.startswith(base + os.sep)


def _downward(path: str) -> bool:
    """A relative path with no `..` component (and not empty)."""
    parts = path.replace("\\", "/").split("/")
    return bool(path) and not path.startswith("/") and ".." not in parts
