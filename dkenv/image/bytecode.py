"""The development image's bytecode policy, as pure text (docs/design.md, "Bytecode").

Where the image's Python is known to be 3.8 or newer, nothing is compiled at build (pip
with `--no-compile`, no `UV_COMPILE_BYTECODE`, no `compileall` in the incremental step)
and the running environment writes the bytecode of what it imports under
PYTHONPYCACHEPREFIX, the image user's `~/.cache/pycache`: in the container's own layer,
never beside the bind-mounted source (which the host runs) and never in the image. The
build itself writes none (PYTHONDONTWRITEBYTECODE=1 until its last step), so no build
step's Python leaves bytecode in a layer.

Elsewhere (`image.python` unset on a base whose Python version is unknown, such as
`python:latest`; a Python older than 3.8, which ignores the prefix; an installer that
makes its own environment with its own Python, conda) the prefix may not work, and a
Python that ignores it would write `__pycache__` into the mounted source: there the image
keeps PYTHONDONTWRITEBYTECODE=1 and compiles every package at install, as before. The
production image (production/) always compiles at install: its ImagePlan has no prefix.
"""
from __future__ import annotations

from dkenv import hostuser, installers
from dkenv.imagepaths import VENV

PYCACHE = ".cache/pycache"  # under the image user's home
BUILD_ENV = "PYTHONDONTWRITEBYTECODE=1"  # while the image is built: no build step writes bytecode


def prefix(python: str | None, install: str, user: hostuser.User) -> str | None:
    """PYTHONPYCACHEPREFIX of a development image with this Python (X.Y; None: the base
    image's own, whatever its version), installer and user; None where it may not work."""
    if python is None or tuple(int(p) for p in python.split(".")[:2]) < (3, 8):
        return None
    if install != "none" and installers.get(install).makes_env:
        return None  # the project's Python is the installer's environment's, of any version
    return f"{user.home}/{PYCACHE}"


def runtime_env(pycache: str | None) -> str:
    """The image's last ENV: the running environment writes bytecode, under the prefix."""
    if not pycache:
        return ""
    return ("# bytecode: written on first import by the running environment, under PYTHONPYCACHEPREFIX in the\n"
            "# container's own layer, never beside the mounted source nor in the image (docs/design.md)\n"
            f"ENV PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX={pycache}")


def make_dir(pycache: str | None) -> list[str]:
    """The shell line (in the user section, as root) that makes the prefix the user's: a
    read-only mount under `~/.cache` (an IDE's) would otherwise make that folder root's."""
    if not pycache:
        return []
    return [f'install -d -o "$uid" -g "$gid" "$home/.cache" "$home/{PYCACHE}"']


# the start of the project container's shell (exec/agent.entrypoint): the venv's packages
# compiled under the prefix in the background, niced, its output dropped; nothing where the
# image keeps PYTHONDONTWRITEBYTECODE (no prefix, or the container's env set it again)
WARM_UP = ('if [ -n "${PYTHONPYCACHEPREFIX:-}" ] && [ -z "${PYTHONDONTWRITEBYTECODE:-}" ] '
           '&& [ -x "${VIRTUAL_ENV:-/nonexistent}/bin/python" ]; then '
           '(n=; if command -v nice >/dev/null 2>&1; then n="nice -n 19"; fi; '
           '$n "$VIRTUAL_ENV/bin/python" -m compileall -q -j 0 '
           "-x '/site-packages/(pip|setuptools|_distutils_hack|wheel)/' "
           '"$VIRTUAL_ENV"/lib/python*/site-packages >/dev/null 2>&1 &); fi; ')


def stdlib(pycache: str | None) -> list[str]:
    """The shell line (in the venv's RUN, as the image's user) compiling the standard library
    into the prefix; none without one. Best effort: a file that does not compile is left to
    the import that needs it."""
    if not pycache:
        return []
    where = f"$({VENV}/bin/python -c 'import sysconfig; print(sysconfig.get_path(\"stdlib\"))')"
    skip = "'/(test|tests|idlelib|tkinter|turtledemo|lib2to3|ensurepip|site-packages|dist-packages)/'"
    return [f'PYTHONPYCACHEPREFIX={pycache} {VENV}/bin/python -m compileall -q -j 0 -x {skip} "{where}" '
            ">/dev/null 2>&1 || true"]
