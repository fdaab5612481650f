"""dkenv/engine/sshrelay.py: every connection to the relay's socket is piped to its own
process, both ways, and each end's close reaches the other (an HTTP hijack ends on EOF)."""
from __future__ import annotations

import os
import socket
import stat

from dkenv.engine import sshrelay
from tests.helpers import wait_until


def test_bytes_go_both_ways_and_eof_comes_back():
    relay = sshrelay.Relay(["cat"], dict(os.environ))
    try:
        assert stat.S_IMODE(os.stat(relay.folder).st_mode) == 0o700  # nobody else's connection
        assert relay.url == f"unix://{relay.path}"
        for _ in range(2):  # a process per connection
            s = socket.socket(socket.AF_UNIX)
            s.settimeout(10)
            s.connect(relay.path)
            data = os.urandom(200_000)
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)  # cat ends at EOF: the relay must then close our side
            got = b""
            while chunk := s.recv(65536):
                got += chunk
            assert got == data
            s.close()
    finally:
        relay.close()
    assert not os.path.exists(relay.folder)


def test_a_process_that_ends_closes_the_connection_while_we_still_could_write():
    relay = sshrelay.Relay(["sh", "-c", "echo done; echo why >&2"], dict(os.environ))
    try:
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(10)
        s.connect(relay.path)
        got = b""
        while chunk := s.recv(100):
            got += chunk
        s.close()
        assert got == b"done\n"
        wait_until(lambda: relay.last_error, "the relay to read the process's stderr")  # in a thread of its own
    finally:
        relay.close()
    assert relay.last_error == "why"
