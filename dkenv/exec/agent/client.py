"""The client of the dkenv agent (server.py): hands one command, with this process's own
stdin, stdout and stderr, to the agent in the project container, and returns its status.

`dkenv exec` imports it (`call`); the shims run it as a file, with builtin modules only
(`_socket`, `_signal`, `posix`: `python3 -I -S` starts in about 8 ms, `import socket` alone
would double that):

    python3 -I -S client.py SHIM SKIP SOCKET CWD USER [-e NAME[=VALUE]]... -- ARGV...

The protocol makes falling back safe: the command starts only after the client's `G`,
which it sends once the agent said `R`. Before that (no socket, refused, another UID
listening or connecting, a timeout), nothing ran: `call` returns None and the caller uses
`docker exec`; the shim's client runs SHIM again (ARGV without its first SKIP words, with
DKENV_AGENT=fallback), which goes to `docker exec` and leaves any rehash to the first shim.
After `G`, SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGWINCH are forwarded to the command's
process group; this process dying closes the socket, which ends the command. A shim that
stays to rehash after the command (`pip`) sets DKENV_AGENT_PARENT to its PID: when that
shim is killed, this client sees it gone (checked every WATCH seconds) and ends too, as the
command would have died with it had it run on the host.
"""
import _signal
import _socket
import posix
import sys

VERSION = b"dkenv-agent-1"
HANDSHAKE_TIMEOUT = 3.0
FORWARDED = (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP, _signal.SIGQUIT, _signal.SIGWINCH)
SWITCH = b"DKENV_AGENT"  # "0": never use the agent; "fallback": a shim run again by this client
LOST = 137  # the agent went away mid-command: the container stopped (docker exec says 137 too)
PARENT = b"DKENV_AGENT_PARENT"  # the PID of a shim that waits for this client
WATCH = 0.5  # seconds between checks that that shim is still there


def call(path, cwd, pairs, argv, user, parent=None):
    """Run `argv` (bytes) through the agent at socket `path`: its exit status, or None when
    the agent did not take it (nothing was started). `parent`: a PID whose end ends the
    command (the waiting shim's)."""
    fds, opened = _stdio()  # first: a socket must not take the number of a closed stdin
    try:
        sock = _connect(path)
        if sock is None:
            return None
        try:
            return _call(sock, fds, _request(cwd, pairs, argv, user), parent)
        finally:
            sock.close()
    finally:
        for fd in opened:
            posix.close(fd)


def _call(sock, fds, request, parent=None):
    state = {"go": False, "pending": [], "parent": parent}

    def on_signal(signum, frame):
        if state["go"]:
            _send(sock, b"K %d\n" % signum)
        else:
            state["pending"].append(signum)

    previous = {}
    for signum in FORWARDED:
        if _signal.getsignal(signum) != _signal.SIG_IGN:  # nohup's SIGHUP stays ignored
            previous[signum] = _signal.signal(signum, on_signal)
    try:
        return _session(sock, state, fds, request)
    finally:
        for signum, handler in previous.items():
            _signal.signal(signum, handler)


def _connect(path):
    """A connection to an agent of this UID, or None (missing, stale, a link rather than a
    socket, or someone else's)."""
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    folder = None
    try:
        if posix.lstat(path).st_mode & 0o170000 != 0o140000:  # a socket, not a link the container made
            raise OSError("not a socket")
        sock.settimeout(HANDSHAKE_TIMEOUT)
        if len(path) > 100:  # sun_path holds 108 bytes: go through the folder's descriptor
            head, _, name = path.rpartition(b"/")
            folder = posix.open(head or b"/", posix.O_RDONLY | posix.O_DIRECTORY | posix.O_CLOEXEC)
            path = b"/proc/self/fd/%d/%s" % (folder, name)
        sock.connect(path)
        cred = sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, 12)
        if int.from_bytes(cred[4:8], sys.byteorder) != posix.getuid():
            raise OSError("the agent runs as another user")
    except OSError:
        sock.close()
        return None
    finally:
        if folder is not None:
            posix.close(folder)
    return sock


def _request(cwd, pairs, argv, user):
    body = b"\0".join([VERSION, user, b"", cwd, b"%d" % len(pairs), *pairs, *argv])
    return len(body).to_bytes(4, "big") + body


def _stdio():
    """fds 0-2, a closed one replaced by /dev/null (as docker exec would give an empty stream),
    and the descriptors opened for that."""
    fds, opened = [], []
    for fd in (0, 1, 2):
        try:
            posix.fstat(fd)
            fds.append(fd)
        except OSError:
            null = posix.open(b"/dev/null", posix.O_RDWR | posix.O_CLOEXEC)
            fds.append(null)
            opened.append(null)
    return fds, opened


def _session(sock, state, fds, request):
    rights = b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in fds)
    lines = _Lines(sock)
    try:
        sent = sock.sendmsg([request[:65536]], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, rights)])
        sock.sendall(request[sent:])
        ready = lines.next()
    except OSError:
        return None
    if ready != b"R":
        return None
    interrupted = [s for s in state["pending"] if s != _signal.SIGWINCH]
    if interrupted:
        return 128 + interrupted[0]  # interrupted before anything started
    try:
        sock.settimeout(None)
        sock.sendall(b"G")
        state["go"] = True
        for signum in state["pending"]:
            _send(sock, b"K %d\n" % signum)
        if state["parent"] is not None:
            sock.settimeout(WATCH)
        while True:
            try:
                line = lines.next()
            except _socket.timeout:
                if posix.getppid() != state["parent"]:
                    return 128 + _signal.SIGKILL  # the shim was killed: closing the socket ends the command
                continue
            if line is None:
                break
            if line.startswith(b"X ") and line[2:].isdigit():
                return int(line[2:])
    except OSError:
        pass
    _say(b"dkenv: lost the agent while the command ran (the project container stopped?)\n")
    return LOST


class _Lines:
    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""

    def next(self):
        """The next line without its newline; None at the end."""
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line


def _send(sock, data):
    try:
        sock.sendall(data)
    except OSError:
        pass


def _say(message):
    try:
        posix.write(2, message)
    except OSError:
        pass


def _pair(spec):
    """`NAME=VALUE` as given; `NAME` alone takes this process's value (skipped when unset)."""
    if b"=" in spec:
        return spec
    value = posix.environ.get(spec)
    return None if value is None else spec + b"=" + value


def main(argv):
    """The shims' entry: the command's status, or the shim run again when the agent did not
    take it."""
    encoding, errors = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()
    args = [arg.encode(encoding, errors) for arg in argv[1:]]
    shim, skip, path, cwd, user = args[:5]
    rest, pairs = args[5:], []
    while rest and rest[0] != b"--":
        pair = _pair(rest[1]) if rest[0] == b"-e" and len(rest) > 1 else None
        if pair is not None:
            pairs.append(pair)
        rest = rest[2:]
    command = rest[1:]
    if not command:
        _say(b"dkenv: client.py SHIM SKIP SOCKET CWD USER [-e NAME[=VALUE]]... -- ARGV...\n")
        return 2
    parent = posix.environ.get(PARENT, b"")
    parent = int(parent) if parent.isdigit() and int(parent) == posix.getppid() else None
    try:
        code = call(path, cwd, pairs, command, user, parent)
    except KeyboardInterrupt:  # before the handlers were in place: nothing started
        return 130
    if code is not None:
        return code
    env = dict(posix.environ)
    env.pop(PARENT, None)
    env[SWITCH] = b"fallback"
    try:
        posix.execve(shim, [shim, *command[int(skip):]], env)
    except OSError as e:
        _say(b"dkenv: cannot run %s again: %s\n" % (shim, e.strerror.encode()))
    return 126


if __name__ == "__main__":
    sys.exit(main(sys.argv))
