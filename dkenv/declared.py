"""What a computation reads of the machine, declared by the code that reads it, so that a later
process can tell with a few `stat` calls whether running it again would read the same
(containers/upcache.py caches the no-op `dkenv up` so).

The code that looks at a path says so where it looks: `path(p)` for a file or folder read, or
probed present or absent (its type, size, times...), `listing(p)` for a folder whose entries
it listed (an entry added, removed or renamed changes the folder), `glob` for a glob's folders,
`command(name)`
for a program looked up on PATH (each place it could be), `wrote(p)` for a file it wrote (its
state is its own: never "racy", below), `beyond()` when it asked something beyond the file system
(the Engine: what it answered cannot be checked with `stat`). Each is a test of None unless a
`with Collecting() as seen:` block is open; nested blocks all receive. The environment
variables are not declared here: the caller names them (upcache.VARIABLES).

`Collecting.finish` takes each path's state at the end (`state`): a file by its mode, inode,
size, mtime and ctime; a folder by its mode, plus its inode and mtime when it was listed; a
symbolic link by its own inode and ctime and then what it names (retargeting it, or changing
the file, both show); absent as absent. A path read that changed moments before (0.1 s; 3 s
where timestamps are whole seconds) may change again within the file system's timestamp
granularity unseen ("racy", as git says): `finish` then gives None and nothing may be cached;
so does `beyond`. Standard library only, and light: the no-op `up` checks a cache with this
module alone.
"""
from __future__ import annotations

import os
import time

# how long before the end a path read must have last changed: more than the file system's
# timestamp granularity (a kernel tick, at most 10 ms; whole seconds on FAT, HFS+ and some
# network file systems, whose timestamps end in 0 ns)
RACY_NS = 100_000_000
RACY_COARSE_NS = 3_000_000_000
PATH = "s"  # read or probed
LISTED = "D"  # a folder listed
_open: list[Collecting] = []


def path(where):
    """Declare a path looked at (read, or probed: present or absent, its type); returns it."""
    if _open:
        _note(where, PATH)
    return where


def listing(where):
    """Declare a folder whose entries were listed; returns it."""
    if _open:
        _note(where, LISTED)
    return where


def glob(folder, pattern: str) -> list:
    """`folder.glob(pattern)` (a pathlib.Path), declaring what it looked at: each folder a
    wildcard part listed (with `**`, every folder below), each literal part probed."""
    found = list(folder.glob(pattern))
    if _open:
        parts = pattern.split("/")
        for k, part in enumerate(parts):
            for base in [folder] if k == 0 else folder.glob("/".join(parts[:k])):
                if part == "**":
                    for sub in [base, *base.glob("**")]:
                        if sub.is_dir():
                            listing(sub)
                elif any(c in part for c in "*?["):
                    listing(base)
                else:
                    path(base / part)
    return found


def command(name: str) -> None:
    """Declare a lookup of `name` on PATH: every place it could be found."""
    if _open:
        for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
            _note(os.path.join(folder or ".", name), PATH)


def wrote(where) -> None:
    """Declare a file this computation wrote: checked later like any other, never racy."""
    if _open:
        _note(where, PATH)
        key = os.path.abspath(os.fspath(where))
        for seen in _open:
            seen.written.add(key)


def beyond() -> None:
    """The computation asked something `stat` cannot check again (the Engine): no cache."""
    for seen in _open:
        seen.trusted = False


def _note(where, how: str) -> None:
    key = os.path.abspath(os.fspath(where))
    for seen in _open:
        if seen.paths.get(key) != LISTED:
            seen.paths[key] = how


class Collecting:
    """`with Collecting() as seen: ...`, then `seen.finish(skip)`."""

    def __init__(self):
        self.paths: dict[str, str] = {}  # path -> PATH or LISTED
        self.written: set[str] = set()
        self.trusted = True
        self.started = time.time_ns()

    def __enter__(self) -> Collecting:
        _open.append(self)
        return self

    def __exit__(self, *exc) -> None:
        _open.remove(self)

    def finish(self, skip: tuple[str, ...] = ()) -> list[tuple[str, str, str]] | None:
        """(path, how, state) of every path declared but those under `skip` (what the caller
        checks by itself), for `changed`; None when it cannot be trusted (`beyond`, a racy file)."""
        if not self.trusted:
            return None
        found = []
        for where, how in sorted(self.paths.items()):
            if where.startswith(skip):
                continue
            was, settles = _state(where, how)
            if settles > self.started and where not in self.written:
                return None  # read, and changed moments ago: it may change again unseen
            found.append((where, how, was))
        return found


def changed(paths: list[tuple[str, str, str]]) -> bool:
    """Would a path read now be in another state than `finish` gave?"""
    return any(_state(where, how)[0] != was for where, how, was in paths)


def state(where: str, how: str = PATH) -> str:
    return _state(where, how)[0]


def settled(where: str, how: str = PATH) -> str | None:
    """The state, when a further change must show in it (not racy now); else None."""
    was, settles = _state(where, how)
    return was if settles <= time.time_ns() else None


def _state(where: str, how: str) -> tuple[str, int]:
    """(state, the time after which it could change unseen: its last change plus the file
    system's granularity, for a file and a listed folder; else 0)."""
    try:
        st = os.lstat(where)
    except FileNotFoundError:
        return "-", 0
    except OSError as e:
        return f"E{e.errno}", 0
    link = ""
    if st.st_mode & 0o170000 == 0o120000:  # a symbolic link: itself, then what it names
        link = f"l{st.st_ino}:{st.st_ctime_ns}>"
        try:
            st = os.stat(where)
        except FileNotFoundError:
            return link + "-", 0
        except OSError as e:
            return f"{link}E{e.errno}", 0
    if st.st_mode & 0o170000 == 0o040000:  # a folder
        if how != LISTED:
            return f"{link}d{st.st_mode:o}", 0
        return f"{link}d{st.st_mode:o}:{st.st_ino}:{st.st_mtime_ns}", _settles(st)
    return f"{link}{st.st_mode:o}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}", _settles(st)


def _settles(st) -> int:
    """The last change, plus the file system's timestamp granularity: whole seconds when the
    mtime is (FAT, HFS+, some network file systems), else a kernel tick."""
    return max(st.st_mtime_ns, st.st_ctime_ns) + (RACY_COARSE_NS if st.st_mtime_ns % 1_000_000_000 == 0 else RACY_NS)
