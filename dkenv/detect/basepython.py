"""The image's Python: what a base image can provide, which version and source are chosen
for the project, and the Debian packages that source needs. Pure logic, no Docker.

What a base provides: an official python image the X.Y of its tag (`python_from =
"image"`; no version in the tag, e.g. `python:latest`: its own, unknown until the build);
a Debian/Ubuntu release its python3 (`system`, from distros.toml); uv any CPython of
KNOWN (`uv`). `choose` takes the base's own Python when the project's constraint allows
it, else the newest the constraint allows that the base can get (uv on Debian/Ubuntu
bases); a python image whose version the constraint refuses is an error with the fix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dkenv import imageref, tomltext
from dkenv.manifests.pythonversion import KNOWN, PythonConstraint

DISTROS = Path(__file__).with_name("distros.toml")
_OFFICIAL = ("", "library/", "docker.io/library/")
PYTHON_IMAGES = {f"{prefix}python" for prefix in _OFFICIAL}
DISTRO_IMAGES = {f"{prefix}{name}" for prefix in _OFFICIAL for name in ("debian", "ubuntu")}
DEBIAN_BASE = "debian:trixie-slim"  # the base proposed when a python image cannot do
# Debian packages that compile C: with one of them, the distribution's Python needs its headers
_COMPILER = re.compile(r"^(?:build-essential|gcc|g\+\+|clang|gfortran)(?:-[0-9][0-9.]*)?$")


class Unavailable(ValueError):
    """The base cannot provide a Python the project can use. `problem` says why; the fix is
    phrased for .dkenv.toml (`str()`) and for `dkenv init`'s options (`for_init`)."""

    def __init__(self, problem: str, config_fix: str, init_fix: str, key: str = "python"):
        super().__init__(f"{problem}; {config_fix}")
        self.problem, self.init_fix, self.key = problem, init_fix, key

    def for_init(self) -> str:
        return f"{self.problem}; {self.init_fix}"


@dataclass(frozen=True)
class Choice:
    version: str | None  # X.Y; None: the base image's own Python, its version not in its tag
    python_from: str  # image | system | uv
    reason: str  # why, for `dkenv init`: "python:3.11-slim-bookworm provides it and ... allows it"
    base: str | None = None  # the image to build on, when the choice was of an image (init: one on this machine)


def is_python_image(base: str) -> bool:
    return imageref.split(base)[0] in PYTHON_IMAGES


def image_python(base: str) -> str | None:
    """The X.Y an official python image's tag names: python:3.11-slim-bookworm, python:3.11.7 -> 3.11."""
    repo, tag = imageref.split(base)
    m = re.match(r"^(3\.\d+)(?:\.\d+)?(?![\d.])", tag or "") if repo in PYTHON_IMAGES else None
    return m.group(1) if m else None


def distro_python(base: str) -> str | None:
    """The python3 X.Y the base's Debian/Ubuntu release ships, when the tag says which."""
    tag = imageref.split(base)[1] or "latest"
    table = tomltext.loads(DISTROS.read_text())["python3"]
    for part in re.split(r"[-_]", tag):
        if part in table:
            return table[part]
    return None


def official_image(version: str, like: str | None = None) -> str:
    """An official python image of `version`, in the variant of `like`: another python image's
    (python:3.11-slim -> python:3.10-slim), a Debian image's release (debian:bookworm-slim ->
    python:X.Y-slim-bookworm); else the current Debian stable's slim one (`default_variant`)."""
    repo, tag = imageref.split(like) if like and is_python_image(like) else ("python", None)
    m = re.match(r"^3(?:\.\d+){1,2}(?![\d.])", tag or "")
    if m and not re.search(r"alpine|windows|nanoserver", tag):
        return f"{repo}:{version}{tag[m.end():]}"
    release = debian_release(like) if like else None
    return f"python:{version}-slim-{release}" if release else f"python:{version}{default_variant(version)}"


# The Debian releases official python images are built on, newest first; the first whose
# images exist for a version is proposed (trixie's start at 3.9: 3.8 ended before it)
_RELEASES = (("trixie", "3.9"), ("bookworm", "3.8"))


def default_variant(version: str) -> str:
    """The tag suffix of a version's official image on the newest Debian release it has."""
    minor = tuple(map(int, version.split(".")[:2]))
    return next((f"-slim-{name}" for name, first in _RELEASES if minor >= tuple(map(int, first.split(".")))),
                "-slim-bookworm")


def debian_release(image: str) -> str | None:
    """The Debian release a debian image's tag names (debian:bookworm-slim -> bookworm), else None."""
    repo, tag = imageref.split(image)
    if repo not in {f"{prefix}debian" for prefix in _OFFICIAL}:
        return None
    return next((name for name, _ in _RELEASES if name in re.split(r"[-_]", tag or "")), None)


def resolve_python_from(base: str, python: str, python_from: str) -> str:
    """For an explicit version: auto -> image for python images, system when the release's python3 matches, else uv."""
    if python_from != "auto":
        return python_from
    if is_python_image(base):
        return "image"
    return "system" if distro_python(base) == python else "uv"


def conflict(base: str, python: str | None, python_from: str) -> Unavailable | None:
    """Why `base` cannot provide `python` (None: chosen later) from `python_from`, or None
    when it can or nobody can tell before the build (which checks the version)."""
    if python_from == "image" and imageref.split(base)[0] in DISTRO_IMAGES:
        return Unavailable(f'python_from is "image" but {base} has no Python of its own',
                           'remove python_from ("auto" installs one with apt or uv)', "", key="python_from")
    if python is None:
        return None
    mode = resolve_python_from(base, python, python_from)
    own = image_python(base) if mode == "image" else distro_python(base) if mode == "system" else None
    if own is None or own == python:
        return None
    if mode == "image":
        uv = ' with python_from = "uv"' if python_from == "image" else f" (uv then installs {python})"
        return Unavailable(f"{base} provides Python {own}, not {python}",
                           f'use base = "{official_image(python, base)}", or a Debian base such as "{DEBIAN_BASE}"{uv}',
                           f"use --base {official_image(python, base)}, or --base {DEBIAN_BASE} (uv then installs "
                           f"{python})")
    return Unavailable(f'python_from is "system" but {base} ships Python {own}, not {python}',
                       f'set python_from = "uv" (or remove it: "auto" then uses uv), or choose a base whose release '
                       f"ships {python}", "", key="python_from")


def choose(constraint: PythonConstraint | None, base: str, python_from: str = "auto",
           host: str | None = None) -> Choice:
    """The Python for a project that does not set image.python (see the module docstring).

    Without a constraint: the base's own, else the host's X.Y (`host`) through uv.
    Raises Unavailable when nothing the base can get is allowed.
    """
    allowed = _allowed(constraint)
    said = f"{constraint} {constraint.verb} it" if constraint else "nothing in the project names a version"
    if python_from == "image" or python_from == "auto" and is_python_image(base):
        return _from_image(constraint, base, python_from, allowed, said)
    own = distro_python(base)
    if python_from != "uv" and own and (constraint is None or constraint.allows(own)):
        return Choice(own, "system", f"{base} ships it as python3 {_and(constraint, said)}")
    if python_from == "system":
        if own is None:
            return Choice(None, "system", f"{base}'s python3 (its release is not one dkenv knows: the build "
                                          "uses the one apt installs)")
        raise Unavailable(f"{base} ships Python {own}, which {constraint} does not allow",
                          f'set python_from = "uv" (or remove it: "auto" then has uv install {allowed[-1]})',
                          "", key="python_from")
    ships = f" (its python3 is {own})" if own else ""
    if constraint is None:
        version = own or (host if host in KNOWN else KNOWN[-1])
        return Choice(version, "uv", f"uv installs it on {base}: "
                      + (f"the release's own version ({said})" if own else f"the host's version ({said})"))
    version = allowed[-1]
    why = said if constraint.pinned or len(allowed) == 1 else f"the newest that {constraint} allows"
    return Choice(version, "uv", f"uv installs it on {base}{ships}: {why}")


def present_pythons(references: list[str]) -> dict[str, str]:
    """Official python images (`python:X.Y...`) among image references -> X.Y: the reference
    to build on, a Debian slim variant preferred (the newest Debian first)."""
    found: dict[str, str] = {}
    for ref in sorted(references, key=lambda r: (not r.endswith(("-slim-trixie", "-slim-bookworm", "-slim")),
                                                 "trixie" not in r, r)):
        version = image_python(ref) if is_python_image(ref) else None
        if version and version.count(".") == 1 and version in KNOWN and "alpine" not in ref and "windows" not in ref:
            found.setdefault(version, ref)
    return found


def choose_image(constraint: PythonConstraint | None, host: str, present: dict[str, str] | None = None,
                 fitting: set[str] | None = None, fitting_why: str = "", like: str | None = None) -> Choice:
    """For `dkenv init` without --base: the newest python image already on this machine that
    the constraint allows (`present`: X.Y -> its reference, present_pythons), nothing to
    pull; else the official python image of the host's X.Y when the constraint allows it
    (or there is none), else of the newest it allows. `fitting`: the X.Y the project's pins
    install on without building (detect/pinwheels.py; None: unknown), preferred while any
    allowed one is among them, `fitting_why` then said. An image to pull is of the variant of
    `like` (the project's own Dockerfile's python image: its Debian release), else official_image's."""
    allowed = _allowed(constraint)
    narrowed = [v for v in allowed if fitting is not None and v in fitting]
    pins = f", {fitting_why}" if narrowed and narrowed != allowed else ""
    allowed = narrowed or allowed
    usable = sorted((v for v in (present or {}) if v in allowed), key=lambda v: tuple(map(int, v.split("."))))
    if usable:
        version = usable[-1]
        why = f"the newest Python image on this machine{' that ' + str(constraint) + ' allows' if constraint else ''}"
        return Choice(version, "image", f"{present[version]} provides it: {why}{pins}", base=present[version])
    if constraint is None:
        version = host if host in allowed else allowed[-1]
        why = "the host's version (nothing in the project names one)" if version == host else "the newest"
    elif host in allowed and not constraint.pinned:
        version, why = host, f"the host's version, which {constraint} allows"
    else:
        version = allowed[-1]
        why = f"{constraint} {constraint.verb} it" if constraint.pinned or len(allowed) == 1 \
            else f"the newest that {constraint} allows"
    image = official_image(version, like)
    return Choice(version, "image", f"{image} provides it: {why}{pins}", base=image)


def _from_image(constraint, base, python_from, allowed, said) -> Choice:
    own = image_python(base)
    if own is None:
        return Choice(None, "image", f"{base}'s own (its tag names no version: the build uses the one it holds)")
    if constraint is None or constraint.allows(own):
        return Choice(own, "image", f"{base} provides it {_and(constraint, said)}")
    want = allowed[-1]
    uv = ' with python_from = "uv"' if python_from == "image" else f" (uv then installs {want})"
    raise Unavailable(f"{base} provides Python {own}, which {constraint} does not allow",
                      f'use base = "{official_image(want, base)}", or a Debian base such as "{DEBIAN_BASE}"{uv}',
                      f"use --base {official_image(want, base)}, or --base {DEBIAN_BASE} (uv then installs {want})",
                      key="base")


def _and(constraint: PythonConstraint | None, said: str) -> str:
    return f"and {said}" if constraint else f"({said})"


def _allowed(constraint: PythonConstraint | None) -> list[str]:
    if constraint is None:
        return list(KNOWN)
    allowed = constraint.allowed()
    if not allowed:
        raise Unavailable(f"{constraint} allows none of the Pythons dkenv can provide ({KNOWN[0]} to {KNOWN[-1]})",
                          "set image.python to the version to use", "pass --python X.Y")
    return allowed


def compiles(apt: list[str]) -> bool:
    """Does the apt list install a C compiler (build-essential, gcc, g++, clang, gfortran, gcc-12...)?"""
    return any(_COMPILER.match(re.split(r"[=:]", package, maxsplit=1)[0]) for package in apt)


def apt_packages(python_from: str, apt: list[str]) -> list[str]:
    """The Debian packages the Python source needs, besides `apt`: python3 and venv for the
    distribution's Python (and uv's pip); its headers (python3-dev) when `apt` brings a compiler.
    uv's CPython (python-build-standalone) and the official images' ship their own headers."""
    if python_from == "system":
        return ["python3", "python3-venv", *(["python3-dev"] if compiles(apt) else [])]
    if python_from == "uv":
        return ["python3", "python3-venv"]
    return []
