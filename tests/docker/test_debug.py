"""`dkenv debug`: debugpy in the project container, reached by a debugger on 127.0.0.1."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from tests.conftest import REPO, make_project
from tests.docker.conftest import SLIM_PYTHON, free_port
from tests.helpers import wait_until

pytestmark = pytest.mark.docker

CONFIG = SLIM_PYTHON + """\
[run]
command = "python app.py"
[debug]
port = {port}
"""
APP = "import sys\nprint('ran after the debugger attached', flush=True)\nsys.exit(7)\n"


class Dap:
    """The Debug Adapter Protocol as an editor speaks it: Content-Length framed JSON."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buffer = b""
        self.seq = 0

    def send(self, command: str, **arguments) -> int:
        self.seq += 1
        body = json.dumps({"seq": self.seq, "type": "request", "command": command, "arguments": arguments})
        self.sock.sendall(f"Content-Length: {len(body)}\r\n\r\n{body}".encode())
        return self.seq

    def receive(self) -> dict:
        while b"\r\n\r\n" not in self.buffer:
            self.read_more()
        header, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        length = int(header.split(b":")[1])
        while len(self.buffer) < length:
            self.read_more()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return json.loads(body)

    def read_more(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the debug adapter closed the connection")
        self.buffer += chunk

    def until(self, predicate) -> dict:
        while True:
            message = self.receive()
            if predicate(message):
                return message


def initialized(port: int) -> Dap | None:
    """A connected, initialized session, or None: the published port accepts before debugpy listens."""
    try:
        dap = Dap(port)
        seq = dap.send("initialize", adapterID="debugpy", clientID="dkenv-tests", pathFormat="path",
                       linesStartAt1=True, columnsStartAt1=True)
        reply = dap.until(lambda m: m.get("type") == "response" and m.get("request_seq") == seq)
    except (ConnectionError, OSError):
        return None
    assert reply["success"] is True, reply
    return dap


def attach(port: int, proc: subprocess.Popen) -> Dap:
    """Connect and initialize, once `dkenv debug` (`proc`) has debugpy listening."""
    return wait_until(lambda: initialized(port), f"debugpy to answer on 127.0.0.1:{port}", within=120,
                      alive=proc, every=0.5)


def test_a_debugger_attaches_on_127_0_0_1_and_the_program_runs(docker_engine):
    port = free_port()
    project = make_project("debug", {".dkenv.toml": CONFIG.format(port=port), "app.py": APP})
    project.dkenv("up")
    proc = subprocess.Popen([sys.executable, "-m", "dkenv", "debug", "--wait"], cwd=project.root,
                            env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        dap = attach(port, proc)
        seq = dap.send("attach", justMyCode=True,
                       pathMappings=[{"localRoot": str(project.root), "remoteRoot": str(project.root)}])
        dap.until(lambda m: m.get("type") == "event" and m.get("event") == "initialized")
        dap.send("configurationDone")
        dap.until(lambda m: m.get("type") == "response" and m.get("request_seq") == seq)
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 7, err
    assert b"ran after the debugger attached" in out
    assert f"debugpy listens on 127.0.0.1:{port}".encode() in err

