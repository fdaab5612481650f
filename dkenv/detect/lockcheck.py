"""Does a lock install on the chosen Python without compiling? Pure: the lock's own file
lists, no network.

A pin whose lock names wheels, none of them for CPython X.Y on this machine's
architecture (manylinux, glibc of a Debian base), builds from its source distribution: it
needs a compiler and headers, and a release made for an older Python often does not build
at all (greenlet 1.1.2 on 3.11). The newest Python its wheels cover says what the lock was
made for. Said by `init` before any build, with the Python to choose or the packages to add.
"""
from __future__ import annotations

import platform
import re
from dataclasses import dataclass, field
from pathlib import Path

from dkenv.manifests import locks

_WHEEL = re.compile(r"^(?P<name>.+?)-(?P<version>[^-]+)(?:-\d[^-]*)?-(?P<py>[^-]+)-(?P<abi>[^-]+)-(?P<plat>[^-]+)\.whl$")
_CP = re.compile(r"^cp3(\d+)$")


@dataclass
class LockReport:
    lock: str  # the lock file's name
    python: str  # "3.11"
    from_source: list[tuple[str, str, str | None]] = field(default_factory=list)  # (name, version, newest X.Y with wheels)

    @property
    def made_for(self) -> str | None:
        """The newest Python every pin that builds here had wheels for: what the lock was made for."""
        found = [v for _, _, v in self.from_source if v]
        return min(found, key=lambda v: tuple(map(int, v.split(".")))) if found else None

    def message(self) -> str:
        names = ", ".join(f"{n} {v}" for n, v, _ in self.from_source)
        text = (f"{self.lock} pins {len(self.from_source)} package(s) with no wheel for CPython {self.python} "
                f"on {_arch()}: {names}; they build from source (a compiler and headers in image.apt), "
                f"and a release made for an older Python may not build at all")
        if self.made_for:
            text += (f". Their wheels stop at Python {self.made_for}: the lock was made for it; choose "
                     f"`image.python = \"{self.made_for}\"` (a base that has it), or update the lock for {self.python}")
        return text


def _arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)


def _platform_ok(plat: str, arch: str) -> bool:
    """A pure wheel, or a glibc Linux one for this architecture (Debian bases: manylinux)."""
    return any(p == "any" or (p.startswith("manylinux") and p.endswith("_" + arch)) for p in plat.split("."))


def _python_ok(py: str, abi: str, minor: int) -> bool:
    """CPython 3.minor can install it: pure Python 3, its own cp3X, or the stable ABI of an
    earlier 3.X."""
    for tag in py.split("."):
        if tag.startswith("py3") and abi == "none":
            return True
        cp = _CP.match(tag)
        if cp and (int(cp.group(1)) == minor or (abi == "abi3" and int(cp.group(1)) <= minor)):
            return True
    return False


def _newest_cpython(wheels: list[str], arch: str) -> int | None:
    """The newest 3.X among this platform's CPython wheels."""
    minors = [int(cp.group(1)) for name in wheels if (m := _WHEEL.match(name)) and _platform_ok(m["plat"], arch)
              for tag in m["py"].split(".") if (cp := _CP.match(tag))]
    return max(minors) if minors else None


def _applies(markers: str, python: str) -> bool:
    """The pin's markers hold in a Linux container with CPython `python`."""
    if not markers.strip():
        return True
    from packaging.markers import InvalidMarker, Marker

    try:
        return Marker(markers).evaluate({"python_version": python, "python_full_version": python + ".0",
                                         "sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
                                         "platform_python_implementation": "CPython",
                                         "implementation_name": "cpython"})
    except (InvalidMarker, ValueError, KeyError):
        return True


def check(lock: Path, python: str, arch: str | None = None) -> LockReport:
    """The pins of `lock` that have wheels in the lock, none for CPython `python` ("3.11")."""
    arch = arch or _arch()
    minor = int(python.split(".")[1])
    report = LockReport(lock.name, python)
    for pin in locks.pins(lock):
        wheels = [f for f in pin.files or () if f.endswith(".whl")]
        if not wheels or not _applies(pin.markers, python):
            continue  # no file names (Pipfile.lock), sdists only, or not for Linux/this Python
        if not any((m := _WHEEL.match(name)) and _platform_ok(m["plat"], arch) and _python_ok(m["py"], m["abi"], minor)
                   for name in wheels):
            newest = _newest_cpython(wheels, arch)
            report.from_source.append((pin.name, pin.version, f"3.{newest}" if newest else None))
    return report


def lock_of(folder: Path, install: str) -> Path | None:
    """The lock file the installer named `install` would install from in `folder`, when there."""
    from dkenv import installers

    installer = installers.get(install) if install in installers.names() else None
    lock = folder / installer.lock_file if installer is not None and installer.lock_file else None
    return lock if lock is not None and lock.is_file() else None


COMPILERS = ("build-essential", "gcc", "g++", "clang")


def before_build(lock: Path, python: str | None, apt: list[str]) -> str | None:
    """Before building an image whose lock pins packages with no wheel for its Python and no
    compiler in `image.apt`: the message that stops it (their build can only fail, in a
    compiler's words), else None."""
    if python is None or not lock.is_file() or any(p in COMPILERS for p in apt):
        return None
    report = check(lock, python)
    if not report.from_source:
        return None
    return (f"dkenv: {report.message()}. Nothing was built: with no compiler in image.apt they cannot build; "
            f"add build-essential and their headers to image.apt to try, or use the Python the lock was made for")
