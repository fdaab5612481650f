"""A read-only Docker registry on 127.0.0.1 for the tests, serving images of this machine.

Nothing can be pulled from a public registry here, but the Engine treats 127.0.0.0/8 as
an insecure registry it may reach over HTTP: this serves the Registry v2 API's reads
(`/v2/`, manifests, blobs) for images taken from the local Engine with `docker save`, so
`dkenv up` pulls `127.0.0.1:PORT/dkenv-test/NAME:TAG` for real, layer by layer.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import tarfile
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
CONFIG = "application/vnd.docker.container.image.v1+json"
LAYER = "application/vnd.docker.image.rootfs.diff.tar"  # uncompressed: the digest is the diff ID


class Registry:
    """`add(local_image, name, tag)`, then pull `registry.ref(name, tag)`; `stop()` at the end."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="dkenv-registry-"))
        self.blobs: dict[str, Path] = {}
        self.manifests: dict[tuple[str, str], bytes] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def ref(self, name: str, tag: str) -> str:
        return f"127.0.0.1:{self.port}/{name}:{tag}"

    def add(self, image: str, name: str, tag: str) -> None:
        archive = self.folder / "saved.tar"
        subprocess.run(["docker", "save", "-o", str(archive), image], check=True)
        with tarfile.open(archive) as tar:
            entry = json.load(tar.extractfile("manifest.json"))[0]
            config = self._blob(tar, entry["Config"])
            layers = [self._blob(tar, path) for path in entry["Layers"]]
        archive.unlink()
        manifest = {"schemaVersion": 2, "mediaType": MANIFEST,
                    "config": {"mediaType": CONFIG, "size": config[1], "digest": config[0]},
                    "layers": [{"mediaType": LAYER, "size": size, "digest": digest} for digest, size in layers]}
        self.manifests[(name, tag)] = json.dumps(manifest).encode()

    def _blob(self, tar: tarfile.TarFile, member: str) -> tuple[str, int]:
        source = tar.extractfile(member)
        target = self.folder / "blob.tmp"
        sha = hashlib.sha256()
        with open(target, "wb") as out:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                sha.update(chunk)
                out.write(chunk)
        digest = f"sha256:{sha.hexdigest()}"
        path = self.folder / digest.replace(":", "-")
        target.replace(path)
        self.blobs[digest] = path
        return digest, path.stat().st_size

    def stop(self) -> None:
        self.server.shutdown()
        for path in self.folder.iterdir():
            path.unlink()
        self.folder.rmdir()

    def _handler(self):
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_HEAD(self) -> None:
                self.do_GET(body=False)

            def do_GET(self, body: bool = True) -> None:
                path = self.path.split("?")[0]
                if path in ("/v2/", "/v2"):
                    return self._send(b"{}", "application/json", body)
                name, kind, ref = _split(path)
                if kind == "manifests" and (name, ref) in registry.manifests:
                    data = registry.manifests[(name, ref)]
                    return self._send(data, MANIFEST, body, f"sha256:{hashlib.sha256(data).hexdigest()}")
                if kind == "manifests":
                    found = [m for m in registry.manifests.values()
                             if f"sha256:{hashlib.sha256(m).hexdigest()}" == ref]
                    if found:
                        return self._send(found[0], MANIFEST, body, ref)
                if kind == "blobs" and ref in registry.blobs:
                    return self._send(registry.blobs[ref].read_bytes(), "application/octet-stream", body, ref)
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _send(self, data: bytes, kind: str, body: bool, digest: str = "") -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Docker-Distribution-API-Version", "registry/2.0")
                if digest:
                    self.send_header("Docker-Content-Digest", digest)
                self.end_headers()
                if body:
                    self.wfile.write(data)

        return Handler


def _split(path: str) -> tuple[str, str, str]:
    """"/v2/dkenv-test/redis/manifests/7" -> ("dkenv-test/redis", "manifests", "7")."""
    parts = path.strip("/").split("/")[1:]
    for kind in ("manifests", "blobs"):
        if kind in parts:
            i = len(parts) - 1 - parts[::-1].index(kind)
            return "/".join(parts[:i]), kind, "/".join(parts[i + 1:])
    return "", "", ""
