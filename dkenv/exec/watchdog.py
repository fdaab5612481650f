"""Nothing left running in the container when the host side of a command is killed.

`docker exec` has no kill: when its client dies (a closed terminal kills a TTY client with
SIGHUP), or is left behind by a SIGKILLed dkenv or shim, the command goes on running in the container,
holding its port. So every command gets a watchdog: a small `sh` in a session of its
own, reading a pipe whose only writer is dkenv (or the shim). The writer says `done`
when the command has ended normally; end of file without it means the writer was killed:
the watchdog kills the leftover docker client (dkenv and the shim say `pid N` once they have one)
and runs REAPER in the container, which sends SIGTERM to every process carrying the
command's DKENV_EXEC_TOKEN and SIGKILL to those still there 5 s later.

The REAPER and WATCHER texts are baked into the shims too (shell/shim.sh).
"""
from __future__ import annotations

import os

TYPE_CHECKING = False  # the lean `dkenv exec` imports this module for its texts: no subprocess
if TYPE_CHECKING:
    import subprocess

# in the container, as the command's user: TERM to the token's processes ($1), KILL to those
# left after $2 tenths of a second (default 50: 5 s)
REAPER = ('m() { grep -qz "^DKENV_EXEC_TOKEN=$1\\$" "/proc/$2/environ" 2>/dev/null; }; '
          'p=; for d in /proc/[0-9]*; do m "$1" "${d#/proc/}" && p="$p ${d#/proc/}"; done; '
          '[ -n "$p" ] || exit 0; kill -s TERM $p 2>/dev/null; i=0; '
          'while [ $i -lt "${2:-50}" ]; do sleep 0.1; l=; for x in $p; do m "$1" "$x" && l="$l $x"; done; '
          '[ -n "$l" ] || exit 0; p=$l; i=$((i+1)); done; '
          'for d in /proc/[0-9]*; do m "$1" "${d#/proc/}" && kill -s KILL "${d#/proc/}" 2>/dev/null; done; exit 0')
# on the host, stdin the lifeline: $1 docker, $2 user, $3 container, $4 REAPER, $5 token,
# $6 (the shims) the fifo it was opened from, removed at once
WATCHER = ('[ -z "${6-}" ] || rm -f "$6"; c=; while read -r w; do case $w in done) exit 0 ;; "pid "*) c=${w#pid } ;; esac; done; '
           'if [ -n "$c" ] && grep -qa -- "$5" "/proc/$c/cmdline" 2>/dev/null; then kill -9 "$c" 2>/dev/null; fi; '
           'exec "$1" exec -u "$2" "$3" sh -c "$4" dkenv-reap "$5"')


class Lifeline:
    """The write end of a watchdog's pipe: `done()` after a normal end; dying without it
    makes the watchdog reap the command in the container."""

    def __init__(self, fd: int | None, process: subprocess.Popen | None = None):
        self.fd = fd
        self.process = process  # kept: the watchdog is reaped by the subprocess module, quietly

    def child(self, pid: int) -> None:
        """The docker client's PID: the watchdog kills it when the writer dies first."""
        if self.fd is not None:
            try:
                os.write(self.fd, f"pid {pid}\n".encode())
            except OSError:
                pass

    def done(self) -> None:
        if self.fd is None:
            return
        try:
            os.write(self.fd, b"done\n")
        except OSError:
            pass
        finally:
            os.close(self.fd)
            self.fd = None


def start(docker: str, user: str, container: str, token: str, env: dict[str, str] | None = None) -> Lifeline:
    """A watchdog for the command carrying `token` (no watchdog, and no error, if sh cannot start);
    `env`: its environment, the docker CLI's pinned to the project's engine (execution.cli_environ)."""
    import subprocess

    read_end, write_end = os.pipe()  # both close-on-exec: the docker client inherits neither
    process = None
    try:
        process = subprocess.Popen(["/bin/sh", "-c", WATCHER, "dkenv-watch", docker, user, container, REAPER, token],
                         stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, env=env)
    except OSError:
        os.close(write_end)
        write_end = None
    finally:
        os.close(read_end)
    return Lifeline(write_end, process)
