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
SITE = (b"import os, site, sys\n"
        b"site.addsitedir(os.path.join(sys.prefix, 'lib', 'python%d.%d' % sys.version_info[:2], 'site-packages'))\n")


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


def copied(image: str, path: str) -> tarfile.TarFile:
    """`path` of the image, as a tar (read from a created, never started, container)."""
    cid = subprocess.run(["docker", "create", image], check=True, capture_output=True, text=True).stdout.strip()
    try:
        data = subprocess.run(["docker", "cp", f"{cid}:{path}", "-"], check=True, capture_output=True).stdout
    finally:
        subprocess.run(["docker", "rm", "-f", cid], capture_output=True)
    return tarfile.open(fileobj=io.BytesIO(data))


def _read(tar: tarfile.TarFile, into: dict, prefix: str, keep) -> None:
    """Each file and link of `tar` whose path (its first part replaced by `prefix`) `keep` takes."""
    for member in tar.getmembers():
        rest = member.name.split("/", 1)[1] if "/" in member.name else ""
        path = f"{prefix}/{rest}" if rest else prefix
        if not keep(path):
            continue
        if member.isfile():
            into[path] = (tar.extractfile(member).read(), member.mode & 0o777)
        elif member.issym():
            into[path] = (LINK, member.linkname)


def python_packages(channel: Path, image: str, xy: str) -> str:
    """conda's `python` (the interpreter and its standard library) and `pip` (noarch), made
    from the image's Debian Python (/usr/bin/pythonX.Y, /usr/lib/pythonX.Y, its pip); the version.
    Debian's site.py reads PREFIX/local/lib/pythonX.Y/dist-packages (where its pip installs)
    but not lib/pythonX.Y/site-packages, where conda links noarch packages: a sitecustomize.py
    adds that, as a vanilla CPython (conda's) has it."""
    python: dict = {}
    pip: dict = {}
    skip = ("/test/", "/idlelib/", "/tkinter/", "/__pycache__/", "/ensurepip/", "/EXTERNALLY-MANAGED",
            "/dist-packages/", "/site-packages/")
    with copied(image, f"/usr/bin/python{xy}") as tar:
        _read(tar, python, f"bin/python{xy}", lambda p: True)
    with copied(image, f"/usr/lib/python{xy}") as tar:
        _read(tar, python, f"lib/python{xy}", lambda p: not any(s in f"/{p}/" for s in skip))
    with copied(image, "/usr/lib/python3/dist-packages") as tar:
        _read(tar, pip, "site-packages", lambda p: (p + "/").split("/")[1] == "pip"
              or (p + "/").split("/")[1].startswith("pip-") and "/__pycache__/" not in p)
    python.update({"bin/python3": (LINK, f"python{xy}"), "bin/python": (LINK, f"python{xy}"),
                   f"lib/python{xy}/sitecustomize.py": SITE})
    version = subprocess.run(["docker", "run", "--rm", image, f"python{xy}", "-c",
                              "import platform; print(platform.python_version())"],
                             check=True, capture_output=True, text=True).stdout.strip()
    package(channel, "linux-64", "python", version, python)
    dist = next(p.split("/")[1] for p in pip if p.split("/")[1].endswith(".dist-info"))
    package(channel, "noarch", "pip", dist[len("pip-"):-len(".dist-info")], pip, depends=["python"], noarch=True)
    return version
