"""What a computation reads of the machine, recorded while it runs, so that a later process
can tell with a few `stat` calls whether running it again would read the same
(containers/upcache.py caches the no-op `dkenv up` so).

Recorded, for the duration of a `with Recorder():` block: the files opened (audit event
"open": io.open, os.open), the folders listed (os.listdir, os.scandir), the paths looked at
(os.stat, os.lstat and os.access are wrapped: existence, type, a command found on PATH...),
the paths created, replaced, changed or removed (their audit events), and the environment
variables read (os.environ's mapping class is wrapped: a read of the whole environment is
recorded as such). `finish` takes each path's state at the end: a file by its mode, inode,
size, mtime and ctime; a folder by its mode, plus its inode and mtime when it was listed
(an entry added, removed or renamed changes it); a missing path as missing. `changed`
compares the states of a later moment.

A file read that changed moments before (0.1 s; 3 s where timestamps are whole seconds) may
change again within the file system's timestamp granularity unseen ("racy", as git says):
`finish` then returns None and nothing may be cached. So does a call it cannot place (a path relative to a folder descriptor), and
one that reads beyond the file system (a program run, a connection: the Engine...).
Not seen: what C code reads by itself (pwd, the interpreter's own start-up), which the
caller puts in its key; the interpreter's own files (its prefixes, bytecode) are left out,
and dkenv's loaded modules are recorded by `finish` (an edited source tree misses).
Standard library only, and light: the no-op `up` reads a recording with this module alone.
"""
from __future__ import annotations

import os
import sys
import time

# how long before the recording a file it read must have last changed: more than the file
# system's timestamp granularity (a kernel tick, at most 10 ms; whole seconds on FAT, HFS+
# and some network file systems, whose timestamps end in 0 ns)
RACY_NS = 100_000_000
RACY_COARSE_NS = 3_000_000_000
_WRITES = {"os.rename": (0, 1), "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.chmod": (0,),
           "os.chown": (0,), "os.utime": (0,), "os.symlink": (1,), "os.link": (1,), "os.truncate": (0,),
           "shutil.rmtree": (0,), "shutil.copyfile": (1,), "shutil.copymode": (1,), "shutil.copystat": (1,),
           "shutil.copytree": (1,), "shutil.move": (0, 1), "tempfile.mkstemp": (0,), "tempfile.mkdtemp": (0,)}
_DIR_FD = {"os.rename": 2, "os.remove": 1, "os.rmdir": 1, "os.mkdir": 2, "os.chmod": 2, "os.chown": 3,
           "os.utime": 3, "os.symlink": 2, "os.link": 2}
# what reads beyond this process's view: a program run, a connection (the Engine...)
_BEYOND = ("subprocess.Popen", "os.system", "os.posix_spawn", "os.exec", "os.fork", "os.spawn", "os.startfile",
           "socket.connect", "socket.getaddrinfo", "urllib.Request")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_active: Recorder | None = None
_hooked = False


def state(path: str, how: str = "s") -> str:
    """A path's state as `finish` records it and `changed` compares it; `how`: "s" followed
    (os.stat), "L" not (os.lstat), "D" followed, a folder listed (its entries count)."""
    return _state(path, how)[0]


def _state(path: str, how: str) -> tuple[str, int]:
    """(state, when a change shows in it: the last one, as a time before which any further
    change has another state (a file's, a listed folder's); else 0)."""
    try:
        st = os.lstat(path) if how == "L" else os.stat(path)
    except FileNotFoundError:
        return "-", 0
    except OSError as e:
        return f"E{e.errno}", 0
    if st.st_mode & 0o170000 == 0o040000:  # a folder
        if how != "D":
            return f"d{st.st_mode:o}", 0
        return f"d{st.st_mode:o}:{st.st_ino}:{st.st_mtime_ns}", _settles(st)
    return f"{st.st_mode:o}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}", _settles(st)


def _settles(st) -> int:
    """The last change, plus the file system's timestamp granularity: whole seconds when the
    mtime is (FAT, HFS+, some network file systems), else a kernel tick."""
    return max(st.st_mtime_ns, st.st_ctime_ns) + (RACY_COARSE_NS if st.st_mtime_ns % 1_000_000_000 == 0 else RACY_NS)


def changed(paths: list[tuple[str, str, str]], env: dict[str, str], env_digest: str | None) -> bool:
    """Would the recorded computation read something else now? As `finish` gave them: `paths`
    (path, how, state), `env` (name -> repr of its value, None when unset), the digest of the
    whole environment when it was read."""
    environ = os.environ
    if any(repr(environ.get(name)) != value for name, value in env.items()):
        return True
    if env_digest is not None and env_digest != environ_digest():
        return True
    return any(state(path, how) != was for path, how, was in paths)


def sha256(data: bytes) -> str:
    try:
        from _sha2 import sha256 as digest  # builtin (3.12+): no OpenSSL to load
    except ImportError:
        try:
            from _sha256 import sha256 as digest
        except ImportError:
            from hashlib import sha256 as digest
    return digest(data).hexdigest()


def environ_digest() -> str:
    return sha256(repr(sorted(os.environ.items())).encode())


class Recorder:
    """`with Recorder(skip=...) as r: ...` then `r.finish()`; `skip`: path prefixes left out
    (what the caller checks by itself)."""

    def __init__(self, skip: tuple[str, ...] = ()):
        prefixes = tuple(p.rstrip("/") + "/" for p in {sys.prefix, sys.base_prefix, sys.exec_prefix} if p)
        ours = [p for p in sys.path if os.path.isabs(p) and (p + "/").startswith(prefixes)]  # stdlib, site-packages
        self.skip = tuple(p.rstrip("/") + "/" for p in ours) + tuple(skip)
        self.paths: dict[str, set[str]] = {}  # path -> kinds: r read, w written, l listed, s stat, L lstat
        self.env: dict[str, str | None] = {}
        self.whole_env = False
        self.untrusted = False  # a call relative to a folder descriptor, a program run, a connection
        self.started = time.time_ns()
        self._saved: dict = {}

    def note(self, path, kind: str) -> None:
        if isinstance(path, int) or path is None:
            return
        try:
            path = os.fsdecode(path)
        except TypeError:
            return
        path = os.path.abspath(path)
        if path.startswith(self.skip) or path.endswith(".pyc") or "/__pycache__/" in path:
            return
        self.paths.setdefault(path, set()).add(kind)

    def __enter__(self) -> Recorder:
        global _active, _hooked
        if not _hooked:
            sys.addaudithook(_hook)
            _hooked = True
        self._patch()
        _active = self
        return self

    def __exit__(self, *exc) -> None:
        global _active
        _active = None
        self._unpatch()

    def finish(self) -> tuple[list[tuple[str, str, str]], dict[str, str], str | None] | None:
        """(paths, variables, digest of the whole environment when it was read), for `changed`;
        None when the recording cannot be trusted (see the module's docstring)."""
        if self.untrusted:
            return None
        for module in list(sys.modules.values()):
            name, file = getattr(module, "__name__", None), getattr(module, "__file__", None)
            if isinstance(name, str) and name.split(".")[0] == "dkenv" and file:
                self.note(file, "r")
        paths = []
        for path, kinds in sorted(self.paths.items()):
            hows = (["D" if "l" in kinds else "s"] if kinds - {"L"} else []) + (["L"] if "L" in kinds else [])
            for how in hows:
                was, when = _state(path, how)
                if when > self.started and "w" not in kinds:
                    return None  # read and changed moments ago: it may change again unseen
                paths.append((path, how, was))
        env = {name: repr(value) for name, value in self.env.items()}
        return paths, env, environ_digest() if self.whole_env else None

    def _patch(self) -> None:
        recorder = self
        saved = self._saved = {"stat": os.stat, "lstat": os.lstat, "access": os.access,
                               "getitem": os._Environ.__getitem__, "iter": os._Environ.__iter__}

        def stat(path, *args, dir_fd=None, follow_symlinks=True):
            recorder._place(path, "s" if follow_symlinks else "L", dir_fd)
            return saved["stat"](path, *args, dir_fd=dir_fd, follow_symlinks=follow_symlinks)

        def lstat(path, *args, dir_fd=None):
            recorder._place(path, "L", dir_fd)
            return saved["lstat"](path, *args, dir_fd=dir_fd)

        def access(path, mode, *args, dir_fd=None, **kwargs):
            recorder._place(path, "s", dir_fd)
            return saved["access"](path, mode, *args, dir_fd=dir_fd, **kwargs)

        def getitem(environ, key):
            try:
                value = saved["getitem"](environ, key)
            except KeyError:
                recorder.env[os.fsdecode(key)] = None
                raise
            recorder.env[os.fsdecode(key)] = os.fsdecode(value)
            return value

        def iterate(environ):
            recorder.whole_env = True
            return saved["iter"](environ)

        os.stat, os.lstat, os.access = stat, lstat, access
        os._Environ.__getitem__, os._Environ.__iter__ = getitem, iterate

    def _unpatch(self) -> None:
        saved = self._saved
        if saved:
            os.stat, os.lstat, os.access = saved["stat"], saved["lstat"], saved["access"]
            os._Environ.__getitem__, os._Environ.__iter__ = saved["getitem"], saved["iter"]
            self._saved = {}

    def _place(self, path, kind: str, dir_fd) -> None:
        if dir_fd is not None:
            self.untrusted = True
        else:
            self.note(path, kind)


def _hook(event: str, args: tuple) -> None:
    recorder = _active
    if recorder is None:
        return
    if event == "open":
        path, mode, flags = args
        writes = any(c in mode for c in "wax+") if isinstance(mode, str) else bool((flags or 0) & _WRITE_FLAGS)
        recorder.note(path, "w" if writes else "r")
    elif event in _BEYOND:
        recorder.untrusted = True
    elif event in ("os.listdir", "os.scandir"):
        recorder.note(args[0] if args and args[0] is not None else ".", "l")
    elif event in _WRITES:
        fd_at = _DIR_FD.get(event)
        if fd_at is not None and len(args) > fd_at and args[fd_at] not in (None, -1):
            recorder.untrusted = True
        for index in _WRITES[event]:
            if index < len(args):
                recorder.note(args[index], "w")
