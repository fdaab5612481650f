"""Editable installs of the project's own packages, made without their source.

The source is not in the build context (it is mounted at run time, at the same absolute
path), so a build backend cannot make an editable wheel at build time. dkenv makes it
instead, from the package's `pyproject.toml`: a wheel holding a `.pth` file that puts the
package's import folder (the host path) on `sys.path`, its metadata and its entry
points, the shape a PEP 660 backend gives `pip install -e`. Installed with `--no-deps`
after the dependencies, it makes the package importable from any folder and its console
scripts exist, as `uv sync` or `pip install -e .` would.

Pure: pyproject data and paths in, wheel bytes out; the same input gives the same bytes.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import zipfile
from pathlib import Path, PurePosixPath

from dkenv import declared
from dkenv.manifests.dependencies import normalize, valid_name

_DATE = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: a reproducible wheel, a stable image tag


def import_roots(folder: Path, pyproject: dict) -> list[Path]:
    """The folders the package's modules are imported from: the src layout's `src/`, the
    flat layout's folder itself, or what the build backend's settings name."""
    tool = pyproject.get("tool") if isinstance(pyproject.get("tool"), dict) else {}
    named = _backend_roots(pyproject, tool)
    if not named:
        named = ["src"] if declared.path(folder / "src").is_dir() else ["."]
    roots = []
    for rel in named:
        path = Path(os.path.normpath(folder / rel))  # not resolved: the mount is at the unresolved path
        if declared.path(path).is_dir() and path.is_relative_to(folder) and path not in roots:
            roots.append(path)
    return roots or [folder]


def _backend_roots(pyproject: dict, tool: dict) -> list[str]:
    """Import folders named by uv_build, hatch, setuptools, poetry or pdm settings."""
    backend = str((pyproject.get("build-system") or {}).get("build-backend", ""))
    roots: list[str] = []
    if backend.startswith("uv_build"):
        roots.append(str(_get(tool, "uv", "build-backend", "module-root") or "src"))
    hatch = _get(tool, "hatch", "build", "targets", "wheel", "packages") or _get(tool, "hatch", "build", "packages")
    roots += [str(PurePosixPath(p).parent) for p in _strings(hatch)]
    package_dir = _get(tool, "setuptools", "package-dir")
    if isinstance(package_dir, dict) and isinstance(package_dir.get(""), str):
        roots.append(package_dir[""])
    roots += _strings(_get(tool, "setuptools", "packages", "find", "where"))
    for entry in _get(tool, "poetry", "packages") or []:
        if isinstance(entry, dict) and isinstance(entry.get("include"), str):
            roots.append(str(entry.get("from", ".")))
    if isinstance(_get(tool, "pdm", "build", "package-dir"), str):
        roots.append(_get(tool, "pdm", "build", "package-dir"))
    return list(dict.fromkeys(roots))


def _get(data, *keys):
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _strings(value) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def packaged(pyproject: dict) -> str | None:
    """The distribution name of a folder's own package, when it is one its tools would install
    (a build system and a name; not Poetry's package-mode = false, PDM's distribution =
    false or uv's package = false); else None."""
    tool = pyproject.get("tool") if isinstance(pyproject.get("tool"), dict) else {}
    if "build-system" not in pyproject:
        return None
    if False in (_get(tool, "poetry", "package-mode"), _get(tool, "pdm", "distribution"), _get(tool, "uv", "package")):
        return None
    name = _get(pyproject, "project", "name") or _get(tool, "poetry", "name")
    return name if isinstance(name, str) and valid_name(name) else None


def wheel_name(name: str) -> str:
    """A distribution name as wheel file names spell it."""
    return normalize(name).replace("-", "_")


def wheel_version(version) -> str:
    """A version as wheel file names and metadata spell it (PEP 440, normalized: 1.0-dev is
    1.0.dev0); "0" when there is none or it is not a version."""
    from packaging.version import InvalidVersion, Version

    try:
        return str(Version(version)) if isinstance(version, str) else "0"
    except InvalidVersion:
        return "0"


def editable_wheel(name: str, version: str | None, folder: Path, pyproject: dict) -> tuple[str, bytes]:
    """(file name, bytes) of an editable wheel of the package `name` whose folder is `folder`."""
    project = pyproject.get("project") if isinstance(pyproject.get("project"), dict) else {}
    version = wheel_version(version or project.get("version"))
    dist = wheel_name(name)
    info = f"{dist}-{version}.dist-info"
    files = {
        f"__editable__.{dist}.pth": "".join(f"{p}\n" for p in import_roots(folder, pyproject)),
        f"{info}/METADATA": _metadata(name, version, project),
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: dkenv\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    entry_points = _entry_points(project)
    if entry_points:
        files[f"{info}/entry_points.txt"] = entry_points
    return f"{dist}-{version}-py3-none-any.whl", _packed(files, f"{info}/RECORD")


def _metadata(name: str, version: str, project: dict) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {d}" for d in _strings(project.get("dependencies")) if "\n" not in d]
    return "\n".join(lines) + "\n"


def _entry_points(project: dict) -> str:
    groups = {"console_scripts": project.get("scripts"), "gui_scripts": project.get("gui-scripts")}
    extra = project.get("entry-points")
    groups.update(extra if isinstance(extra, dict) else {})
    text = ""
    for group, entries in groups.items():
        if isinstance(entries, dict) and entries:
            text += f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in entries.items()
                                                if isinstance(v, str) and "\n" not in f"{k}{v}") + "\n"
    return text


def _hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def relocated(wheel: bytes, host_root: Path, image_root: str) -> bytes:
    """The same wheel with its `.pth` lines naming the source where the production image
    copies it (`image_root`, e.g. /app) instead of the host folder `host_root`: the
    project's own package, installed without a second copy of its code."""
    files: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(wheel)) as source:
        for name in source.namelist():
            files[name] = source.read(name).decode()
    host = str(host_root).rstrip("/")
    for name in [n for n in files if n.endswith(".pth")]:
        lines = []
        for line in files[name].splitlines():
            if line == host or line.startswith(host + "/"):
                line = image_root.rstrip("/") + line[len(host):]
            lines.append(line)
        files[name] = "".join(f"{line}\n" for line in lines)
    return _packed(files, next(n for n in files if n.endswith(".dist-info/RECORD")))


def _packed(files: dict[str, str], record: str) -> bytes:
    """The wheel of `files`, its `record` (RECORD) listing every other file's hash and size
    (written last when new), with fixed timestamps."""
    files[record] = "".join(f"{path},{_hash(text.encode())},{len(text.encode())}\n"
                            for path, text in files.items() if path != record) + f"{record},,\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, text in files.items():
            entry = zipfile.ZipInfo(path, date_time=_DATE)
            entry.external_attr = 0o644 << 16
            wheel.writestr(entry, text, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
