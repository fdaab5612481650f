"""A local conda channel made by the tests (no conda channel is reachable here): packages
as `.tar.bz2` archives with info/index.json and info/paths.json, and a repodata.json per
subdir (linux-64, noarch), as conda and rattler read them. `python_package` packages the
CPython of a local image (its /usr/local) as conda's `python`."""
from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tarfile
from pathlib import Path

SUBDIRS = ("linux-64", "noarch")
LINK = "link"  # files[path] = (LINK, target): a symbolic link


def _member(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), mode, 0
    tar.addfile(info, io.BytesIO(data))


def package(channel: Path, subdir: str, name: str, version: str, files: dict, depends=(),
            noarch: bool = False) -> str:
    """Add a package; files: path -> bytes, (bytes, mode) or (LINK, target). Its file name."""
    index = {"name": name, "version": version, "build": "0", "build_number": 0, "depends": list(depends),
             "subdir": subdir, "timestamp": 1700000000000, "license": "MIT"}
    if noarch:
        index["noarch"] = "python"
    paths = []
    for path, content in sorted(files.items()):
        if isinstance(content, tuple) and content[0] == LINK:
            paths.append({"_path": path, "path_type": "softlink"})
            continue
        data = content[0] if isinstance(content, tuple) else content
        paths.append({"_path": path, "path_type": "hardlink", "sha256": hashlib.sha256(data).hexdigest(),
                      "size_in_bytes": len(data)})
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:bz2", compresslevel=1) as tar:
        _member(tar, "info/index.json", json.dumps(index).encode())
        _member(tar, "info/paths.json", json.dumps({"paths": paths, "paths_version": 1}).encode())
        _member(tar, "info/files", "".join(f"{p}\n" for p in sorted(files)).encode())
        for path, content in sorted(files.items()):
            if isinstance(content, tuple) and content[0] == LINK:
                info = tarfile.TarInfo(path)
                info.type, info.linkname, info.mtime = tarfile.SYMTYPE, content[1], 0
                tar.addfile(info)
            elif isinstance(content, tuple):
                _member(tar, path, content[0], content[1])
            else:
                _member(tar, path, content)
    data = buffer.getvalue()
    filename = f"{name}-{version}-0.tar.bz2"
    for sub in SUBDIRS:
        (channel / sub).mkdir(parents=True, exist_ok=True)
    (channel / subdir / filename).write_bytes(data)
    repodata = channel / subdir / "repodata.json"
    doc = (json.loads(repodata.read_text()) if repodata.exists()
           else {"info": {"subdir": subdir}, "packages": {}, "packages.conda": {}, "repodata_version": 1})
    doc["packages"][filename] = dict(index, md5=hashlib.md5(data).hexdigest(),
                                     sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    repodata.write_text(json.dumps(doc, indent=1))
    for sub in SUBDIRS:
        if not (channel / sub / "repodata.json").exists():
            (channel / sub / "repodata.json").write_text(json.dumps(
                {"info": {"subdir": sub}, "packages": {}, "packages.conda": {}, "repodata_version": 1}))
    return filename


def usr_local(image: str) -> tarfile.TarFile:
    """The image's /usr/local, as a tar (read from a created, never started, container)."""
    cid = subprocess.run(["docker", "create", image], check=True, capture_output=True, text=True).stdout.strip()
    try:
        data = subprocess.run(["docker", "cp", f"{cid}:/usr/local", "-"], check=True, capture_output=True).stdout
    finally:
        subprocess.run(["docker", "rm", "-f", cid], capture_output=True)
    return tarfile.open(fileobj=io.BytesIO(data))


def python_packages(channel: Path, image: str, xy: str) -> str:
    """conda's `python` (the interpreter, its shared library and standard library) and `pip`
    (noarch) made from the image's /usr/local; the python version."""
    python, pip = {}, {}
    skip = ("/test/", "/idlelib/", "/tkinter/", "/__pycache__/", "/ensurepip/", "/lib2to3/tests/")
    with usr_local(image) as tar:
        for member in tar.getmembers():
            path = member.name.split("/", 1)[1] if "/" in member.name else ""
            site = f"lib/python{xy}/site-packages/"
            if any(s in f"/{path}" for s in skip):
                continue
            if path.startswith(site + "pip/") or path.startswith(site + "pip-"):
                target, rel = pip, "site-packages/" + path[len(site):]
            elif path.startswith(site):
                continue  # setuptools, wheel: not conda's python
            elif path in (f"bin/python{xy}", f"lib/libpython{xy}.so.1.0") or path.startswith(f"lib/python{xy}/"):
                target, rel = python, path
            else:
                continue
            if member.isfile():
                target[rel] = (tar.extractfile(member).read(), member.mode & 0o777)
            elif member.issym():
                target[rel] = (LINK, member.linkname)
    python.update({"bin/python3": (LINK, f"python{xy}"), "bin/python": (LINK, f"python{xy}")})
    version = subprocess.run(["docker", "run", "--rm", image, "python3", "-c",
                              "import platform; print(platform.python_version())"],
                             check=True, capture_output=True, text=True).stdout.strip()
    package(channel, "linux-64", "python", version, python)
    dist = next(p.split("/")[1] for p in pip if p.split("/")[1].endswith(".dist-info"))
    pip_version = dist[len("pip-"):-len(".dist-info")]
    package(channel, "noarch", "pip", pip_version, pip, depends=["python"], noarch=True)
    return version
