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
from dkenv.detect.basepython import official_image

_WHEEL = re.compile(r"^(?P<name>.+?)-(?P<version>[^-]+)(?:-\d[^-]*)?-(?P<py>[^-]+)-(?P<abi>[^-]+)-(?P<plat>[^-]+)\.whl$")
_CP = re.compile(r"^cp3(\d+)$")


@dataclass
class LockReport:
    lock: str  # the lock file's name
    python: str  # "3.11"
    from_source: list[tuple[str, str, str | None]] = field(default_factory=list)  # (name, version, newest X.Y with wheels)
    # (name, version) of pins with compiled wheels for other systems only and an sdist: on Linux
    # they build from source whatever the Python (saleor's pywatchman: macOS wheels); init gives
    # them their build packages
    no_linux_wheel: list[tuple[str, str]] = field(default_factory=list)

    @property
    def made_for(self) -> str | None:
        """The newest Python every pin that builds here had wheels for: what the lock was made for."""
        found = [v for _, _, v in self.from_source if v]
        return min(found, key=lambda v: tuple(map(int, v.split(".")))) if found else None

    @property
    def build_packages(self) -> list[str]:
        """What pip needs in image.apt to build them from source (needs.source_build_packages)."""
        from dkenv.detect import needs
        from dkenv.manifests.dependencies import normalize

        return needs.source_build_packages([normalize(name) for name, _, _ in self.from_source])

    def headline(self) -> str:
        """The first line: what the lock was made for, and how many pins do not fit."""
        count = f"{len(self.from_source)} of its pins {'have' if len(self.from_source) > 1 else 'has'}"
        if self.made_for:
            return f"{self.lock} was made for Python {self.made_for}: {count} no wheel for Python {self.python}"
        return f"{self.lock}: {count} no wheel for Python {self.python} on {_arch()}"

    def details(self) -> list[str]:
        """The pins, the build packages, the Python to choose."""
        names = ", ".join(f"{n} {v}" for n, v, _ in self.from_source)
        lines = [f"{names}: built from source they need {', '.join(self.build_packages)} in image.apt, "
                 f"and a release made for an older Python may not build at all"]
        if self.made_for:
            lines.append(f"their wheels stop at Python {self.made_for}: choose `image.python = \"{self.made_for}\"` "
                         f"(a base that has it, e.g. {official_image(self.made_for)}), "
                         f"or update the lock for {self.python}")
        else:
            lines.append(f"or update the lock for {self.python}")
        return lines

    def message(self) -> str:
        """All of it on one line (init's note)."""
        return "; ".join([self.headline(), *self.details()])


def _arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)


def _platform_ok(plat: str, arch: str) -> bool:
    """A pure wheel, or a glibc Linux one for this architecture (Debian bases: manylinux)."""
    return any(p == "any" or (p.startswith("manylinux") and p.endswith("_" + arch)) for p in plat.split("."))


def _linux_or_any(plat: str) -> bool:
    return any(p == "any" or p.startswith(("manylinux", "musllinux", "linux")) for p in plat.split("."))


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


def _binary(wheels: list[str]) -> bool:
    """Some wheel is for CPython only (cp3X, any platform): the package has compiled code."""
    return any((m := _WHEEL.match(name)) and any(_CP.match(tag) for tag in m["py"].split(".")) for name in wheels)


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
    return check_pins(lock.name, locks.pins(lock), python, arch)


def check_pins(name: str, pins: list[locks.Pin], python: str, arch: str | None = None) -> LockReport:
    """The `pins` (of the file `name`: a lock, or pinned requirements with the files PyPI
    names, detect/pinwheels.py) that have wheels, none for CPython `python`."""
    arch = arch or _arch()
    minor = int(python.split(".")[1])
    report = LockReport(name, python)
    by_name: dict[str, list[locks.Pin]] = {}
    for pin in pins:
        if _applies(pin.markers, python):  # not for Linux/this Python: left out
            by_name.setdefault(pin.name, []).append(pin)
    for group in by_name.values():  # a lock forked by platform or source (uv.lock: torch's darwin and +cpu
        misfits = [_misfit(pin, arch, minor) for pin in group]  # entries): one entry installing is enough
        here = [m for m in misfits if m != _ELSEWHERE]
        if not here:
            report.no_linux_wheel += list(dict.fromkeys((p.name, p.version) for p in group
                                                        if any(f.endswith((".tar.gz", ".zip")) for f in p.files or ())))
        elif all(here):
            said: dict[tuple[str, str], str | None] = {}
            for pin_name, version, newest in here:  # each version once, with the newest 3.X any entry has
                said[(pin_name, version)] = said.get((pin_name, version)) or newest
            report.from_source += [(n, v, newest) for (n, v), newest in said.items()]
    return report


_ELSEWHERE = ("", "", None)  # _misfit: compiled wheels for other systems only (Windows, macOS)


def _misfit(pin: locks.Pin, arch: str, minor: int) -> tuple[str, str, str | None] | None:
    """(name, version, the newest 3.X it has wheels for) when the pin has compiled wheels and
    none for this platform and 3.`minor`; _ELSEWHERE when its wheels are all for other
    systems (pywin32; what Linux does with it is its sdist's, if any); None when it installs,
    or nobody can tell: no file names (Pipfile.lock), sdists only, pure (py2-only wheels:
    its sdist installs anywhere)."""
    wheels = [f for f in pin.files or () if f.endswith(".whl")]
    if not wheels or not _binary(wheels):
        return None
    if not any((m := _WHEEL.match(name)) and _linux_or_any(m["plat"]) for name in wheels):
        return _ELSEWHERE
    if any((m := _WHEEL.match(name)) and _platform_ok(m["plat"], arch) and _python_ok(m["py"], m["abi"], minor)
           for name in wheels):
        return None
    newest = _newest_cpython(wheels, arch)
    return pin.name, pin.version, f"3.{newest}" if newest else None


def lock_of(folder: Path, install: str) -> Path | None:
    """The lock file the installer named `install` would install from in `folder`, when there."""
    from dkenv import installers

    installer = installers.find(install)
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
    return "\n  ".join([f"dkenv: {report.headline()}, and image.apt has no compiler: nothing was built",
                        *report.details()])


def source_builds(found, report: LockReport) -> str | None:
    """For `init`: the build packages of the pins with wheels for other systems only, added to
    `found` (a detection.Detection)'s image.apt: on Linux they build from source whatever the
    Python (saleor's pywatchman: macOS wheels and an sdist). What to say, or None."""
    if not report.no_linux_wheel:
        return None
    from dkenv.detect import needs
    from dkenv.manifests.dependencies import normalize

    names = [normalize(name) for name, _ in report.no_linux_wheel]
    packages = needs.source_build_packages(names)
    for package in packages:
        found.apt_for[package] = sorted(set(found.apt_for.get(package, [])) | set(names))
    found.apt = sorted(set(found.apt) | set(packages))
    pins = ", ".join(f"{name} {version}" for name, version in report.no_linux_wheel)
    return (f"apt: {' '.join(packages)} for {pins} ({report.lock} has its wheels for other systems only: "
            f"on Linux it builds from source)")
