"""The SDK's way to an ssh:// engine: through the docker CLI, as the CLI itself goes.

The Docker SDK speaks ssh:// only with paramiko installed (even its `use_ssh_client`
mode imports it), and paramiko reads neither ~/.ssh/config as ssh does nor the
agent's every key. So for an ssh:// endpoint dkenv listens on a private unix socket
and relays each connection the SDK opens to `docker system dial-stdio`, run with the
variables that pin the CLI to the same endpoint: the same ssh command, config, keys and
known_hosts as `docker exec`, and by construction the same engine. The relay lives as
long as this process (dkenv is a short-lived command).
"""
from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import threading

_relays: dict[tuple, "Relay"] = {}


class Relay:
    def __init__(self, argv: list[str], environ: dict[str, str]):
        self.argv, self.environ = argv, environ
        self.folder = tempfile.mkdtemp(prefix="dkenv-ssh-")  # 0700: the socket is ours only
        self.path = os.path.join(self.folder, "docker.sock")
        self.last_error = ""
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(16)
        threading.Thread(target=self._accept, daemon=True).start()
        atexit.register(self.close)

    @property
    def url(self) -> str:
        return f"unix://{self.path}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            proc = subprocess.Popen(self.argv, env=self.environ, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, bufsize=0)
        except OSError as e:
            self.last_error = str(e)
            conn.close()
            return
        threading.Thread(target=self._errors, args=(proc,), daemon=True).start()
        threading.Thread(target=_pump_to_process, args=(conn, proc), daemon=True).start()
        try:
            while True:
                data = os.read(proc.stdout.fileno(), 65536)
                if not data:
                    break
                conn.sendall(data)
        except OSError:
            pass
        finally:
            try:  # shutdown, not just close: the pump thread blocked in recv holds the socket open
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()
            proc.kill()
            proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                try:
                    pipe.close()
                except OSError:
                    pass

    def _errors(self, proc) -> None:
        with proc.stderr:
            for line in proc.stderr:
                text = line.decode(errors="replace").strip()
                if text:
                    self.last_error = text

    def close(self) -> None:
        try:
            self.server.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _pump_to_process(conn: socket.socket, proc) -> None:
    try:
        while True:
            data = conn.recv(65536)
            if not data:
                break
            proc.stdin.write(data)
        proc.stdin.close()  # the request is complete: dial-stdio half-closes towards the engine
    except (OSError, ValueError):
        pass


def relay(docker: str, cli_env: dict[str, str]) -> Relay:
    """The relay for one pinned endpoint (made once per process)."""
    key = (docker, tuple(sorted(cli_env.items())))
    if key not in _relays:
        from dkenv.engine import endpoint

        _relays[key] = Relay([docker, "system", "dial-stdio"], endpoint.cli_environ(cli_env))
    return _relays[key]
