"""The generated Dockerfile, as pure text.

Layer order (each later layer changes more often than the one before):
base -> extra CA certificates -> apt packages -> setup script -> the host user ->
Python -> /opt/venv -> dependencies from the manifest files only.
The source is never copied in: it is bind-mounted at run time.

Two renderings of one plan: `render`, the classic one every builder builds (pip without
a cache, `.dkenv/Dockerfile`), and `render_buildkit`, the same with the dependency step's
pip and uv caches on BuildKit cache mounts shared by every project of the image's user
(`image/cachemounts.py`), requirements files installed by uv where the installer says so
(`Installer.uv_requirements`), `.dkenv/Dockerfile.buildkit`. What is compiled at build and
where the running environment writes bytecode: image/bytecode.py.
"""
from __future__ import annotations

import dataclasses
import json
import shlex
from dataclasses import dataclass, field

from dkenv import hostuser
from dkenv import installers
from dkenv.detect import basepython as image_python
from dkenv.image import bytecode, cachemounts
from dkenv.installers.base import no_compile
from dkenv.imagepaths import (
    BUILD_DIR,
    BUNDLE,
    CONTEXT_CA,
    CONTEXT_MANIFESTS,
    CONTEXT_SETUP,
    HISTORY_DIR,
    TOOLS,
    VENV,
)

@dataclass
class ImagePlan:
    """Everything the Dockerfile is made of, resolved (no file access needed)."""

    base: str
    python: str | None  # X.Y; None: the base image's own, whatever its version (python:latest)
    python_from: str  # system | uv | image (never auto here)
    install: str  # an installer's name (installers/) or none
    user: hostuser.User
    apt: list[str] = field(default_factory=list)
    setup: bool = False  # a setup script is in the context
    requirements: list[str] = field(default_factory=list)  # pip: files under manifests/
    constraints: list[str] = field(default_factory=list)
    install_args: list[str] = field(default_factory=list)  # decided from the files (uv: --package NAME)
    editables: list[str] = field(default_factory=list)  # editable wheels of the project's packages
    extra_ca: bool = False  # host CA certificates are in the context
    locked: bool = False  # the installer's lock file is in the context (uv: sync --frozen)
    extras: list[str] | None = None  # the extras to install; None: the installer's tool's default
    groups: list[str] | None = None  # the dependency groups to install; None: the tool's default
    hashes: bool = True  # a lock's export installs with pip's hash checking (no VCS or path packages)
    debugpy: bool = False  # [debug] port is set: debugpy in the venv
    cache: bool = False  # the BuildKit rendering: pip's and uv's caches are cache mounts (render_buildkit)
    # where the running environment caches bytecode (image/bytecode.py; image/plan.make sets it for the
    # development image); None: compiled at install, never written at run time (the production image's)
    pycache: str | None = None
    project: str = ""
    version: str = ""  # dkenv's version, in a label


def _run(*lines: str) -> str:
    """A RUN instruction from shell lines joined with && (failing on the first error)."""
    body = " \\\n && ".join(lines)
    return f"RUN set -eu; \\\n    {body}"


def python_packages(plan: ImagePlan) -> list[str]:
    """Debian packages the chosen Python source needs (headers too when plan.apt compiles: detect/basepython.py)."""
    return image_python.apt_packages(plan.python_from, plan.apt)


def apt_section(plan: ImagePlan) -> str:
    packages = sorted({*plan.apt, *python_packages(plan)})
    if not packages:
        return ""
    return _run(
        "apt-get update",
        "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends " + " ".join(packages),
        "rm -rf /var/lib/apt/lists/*",
    )


def ca_section(plan: ImagePlan) -> str:
    if not plan.extra_ca:
        return ""
    return "\n".join([
        "# the host's extra CA certificates (a TLS-inspecting proxy, a corporate CA)",
        f"COPY {CONTEXT_CA}/ /usr/local/share/ca-certificates/",
        "RUN if command -v update-ca-certificates >/dev/null; then update-ca-certificates; \\\n"
        f"    else mkdir -p /etc/ssl/certs && cat /usr/local/share/ca-certificates/*.crt >> {BUNDLE}; fi",
        f"ENV PIP_CERT={BUNDLE} REQUESTS_CA_BUNDLE={BUNDLE} SSL_CERT_FILE={BUNDLE} UV_NATIVE_TLS=1",
    ])


def user_section(user: hostuser.User, pycache: str | None = None) -> str:
    """Create the host user, whatever the base already has at that UID, GID or name (and
    the bytecode cache's folder, `pycache`, theirs)."""
    if user.uid == 0:
        return ""
    q = shlex.quote
    script = " \\\n && ".join([
        f"uid={user.uid} gid={user.gid} name={q(user.name)} home={q(user.home)}",
        # a user already at the UID (ubuntu:24.04's `ubuntu` at 1000) or with the name gives way
        'old=$(getent passwd "$uid" | cut -d: -f1 || true)',
        'if [ -n "$old" ]; then userdel -r "$old" 2>/dev/null || userdel "$old"; fi',
        'if getent passwd "$name" >/dev/null; then userdel -r "$name" 2>/dev/null || userdel "$name"; fi',
        # a group already at the GID is reused; otherwise one is made
        'if ! getent group "$gid" >/dev/null; then'
        ' gname="$name"; if getent group "$gname" >/dev/null; then gname="dkenv-$gid"; fi;'
        ' groupadd -g "$gid" "$gname"; fi',
        'useradd -m -u "$uid" -g "$gid" -d "$home" -s /bin/bash "$name"',
        'test "$(id -u "$name"):$(id -g "$name")" = "$uid:$gid"',
        *bytecode.make_dir(pycache),
    ])
    return f"# the host user, so files written in the container belong to them on the host\nRUN set -eu; \\\n    {script}"


def python_section(plan: ImagePlan) -> str:
    """Install Python (uv) or check the one there (system, image); make /opt/venv."""
    want = plan.python
    check = (
        'have=$("$py" -c "import sys; print(\'%d.%d\' % sys.version_info[:2])")',
        f'if [ "$have" != {want} ]; then echo "dkenv: the base image\'s Python is $have, not {want}: '
        f'set image.python_from = \\"uv\\" in .dkenv.toml, or choose another image.base" >&2; exit 1; fi',
    )
    # the build folder too: pipenv, uv and poetry write there (a lock) as the host user
    build_dir = f" {BUILD_DIR}" if plan.install != "none" else ""
    venv_dirs = f"install -d -o {plan.user.uid} -g {plan.user.gid} {VENV} {HISTORY_DIR}{build_dir}"
    if _makes_env(plan):
        return own_env_section(plan, venv_dirs)
    if plan.python_from == "uv":
        return "\n".join([
            "# uv (from PyPI) installs the requested CPython",
            "ENV UV_PYTHON_INSTALL_DIR=/opt/python UV_PYTHON_PREFERENCE=only-managed",
            _run(f"python3 -m venv {TOOLS}", f"{TOOLS}/bin/pip install --no-cache-dir uv",
                 f"{TOOLS}/bin/uv python install {want}", "chmod -R a+rX /opt/python", venv_dirs),
            f"USER {plan.user.uid}:{plan.user.gid}",
            f"# the project's virtualenv {VENV}",
            _run(f"{TOOLS}/bin/uv venv --seed --python {want} {VENV}", *bytecode.stdlib(plan.pycache)),
        ])
    find = (f"py=$(command -v python{want} || command -v python3 || command -v python || true)",
            f'if [ -z "$py" ]; then echo "dkenv: no python{want} or python3 in the base image" >&2; exit 1; fi')
    if want is None:  # the image's own, whatever its version: nothing to check it against
        find = ("py=$(command -v python3 || command -v python || true)",
                'if [ -z "$py" ]; then echo "dkenv: no python3 or python in the base image" >&2; exit 1; fi')
        check = ()
    source = "base image" if plan.python_from == "image" else "distribution (apt)"
    return "\n".join([
        f"# Python {want} from the {source}" if want else f"# Python from the {source}, whatever its version",
        _run(*find, *check, venv_dirs),
        f"USER {plan.user.uid}:{plan.user.gid}",
        f"# the project's virtualenv {VENV}",
        _run(*find, f'"$py" -m venv {VENV}', f"{VENV}/bin/python -m pip --version >/dev/null",
             *bytecode.stdlib(plan.pycache)),
    ])


def _makes_env(plan: ImagePlan) -> bool:
    return plan.install != "none" and installers.get(plan.install).makes_env


def own_env_section(plan: ImagePlan, venv_dirs: str) -> str:
    """An installer that makes the environment at /opt/venv with its own Python (conda): the
    base image's Python runs its tools only, whatever its version; /opt/venv is left empty."""
    return "\n".join([
        f"# Python from the base image, for the installer's tools; the project's Python is its "
        f"{plan.install} environment's, at {VENV}",
        _run(*BASE_PYTHON, venv_dirs),
        f"USER {plan.user.uid}:{plan.user.gid}",
    ])


BASE_PYTHON = ("py=$(command -v python3 || command -v python || true)",
               'if [ -z "$py" ]; then echo "dkenv: no python3 or python in the base image" >&2; exit 1; fi')


def tools_section(plan: ImagePlan, tools: tuple[str, ...]) -> list[str]:
    """The installer's own tools, in a venv of their own (uv's Python install made it already),
    made by the base image's Python when the installer makes the project's environment."""
    if not tools or plan.python_from == "uv" and set(tools) <= {"uv"}:
        return []
    make = ((*BASE_PYTHON, f'test -x {TOOLS}/bin/python || "$py" -m venv {TOOLS}') if _makes_env(plan)
            else (f"test -x {TOOLS}/bin/python || {VENV}/bin/python -m venv {TOOLS}",))
    return [f"# the installer's tools ({' '.join(tools)}), apart from the project's venv",
            "USER root",
            _run(*make,
                 f"{TOOLS}/bin/pip install --no-cache-dir " + " ".join(shlex.quote(t) for t in tools)),
            f"USER {plan.user.uid}:{plan.user.gid}"]


def install_section(plan: ImagePlan) -> str:
    """Dependencies from the manifests only (the source is mounted at run time)."""
    if plan.install == "none":
        return "# dependencies: none (install = \"none\")"
    installer = installers.get(plan.install)
    return "\n".join([
        *tools_section(plan, installer.tools_for(plan)),
        f"WORKDIR {BUILD_DIR}",
        f"COPY --chown={plan.user.uid}:{plan.user.gid} {CONTEXT_MANIFESTS}/ {BUILD_DIR}/",
        f"# dependencies ({plan.install}{_by(plan, installer)})",
        cachemounts.run(plan.user, installer.steps(plan), compile_bytecode=not plan.pycache) if plan.cache
        else _run(*installer.steps(plan)),
    ])


def _by(plan: ImagePlan, installer) -> str:
    """", uv pip, cached": what the BuildKit rendering's step installs with, for its label."""
    if not plan.cache:
        return ""
    return ", uv pip, cached" if installer.uv_requirements else ", cached"


def debug_section(plan: ImagePlan) -> str:
    if not plan.debugpy:
        return ""
    return ("# the debugger ([debug] port): `dkenv debug` runs commands under debugpy\n"
            f"RUN {VENV}/bin/{'python -m pip' if _makes_env(plan) else 'pip'} install --no-cache-dir"
            f"{no_compile(plan)} debugpy")


def render_buildkit(plan: ImagePlan) -> str:
    """The BuildKit rendering of `plan` (the module's docstring)."""
    return render(dataclasses.replace(plan, cache=True))


def render(plan: ImagePlan) -> str:
    labels = {"dkenv.version": plan.version}
    parts = [
        "# Generated by dkenv from .dkenv.toml; edit .dkenv.toml, not this file.",
        "# The project's source is not copied in: it is bind-mounted at the same path at run time.",
        "# BuildKit's variant, pip's and uv's caches kept in cache mounts across builds: "
        "DOCKER_BUILDKIT=1 docker build -f .dkenv/Dockerfile.buildkit .dkenv" if plan.cache else "",
        f"FROM {plan.base}",
        "USER root",
        f"ENV PYTHONUNBUFFERED=1 {bytecode.BUILD_ENV} PIP_DISABLE_PIP_VERSION_CHECK=1 LANG=C.UTF-8",
        ca_section(plan),
        "# system packages (image.apt)" if plan.apt else "# system packages for Python (apt)" if python_packages(plan)
        else "",
        apt_section(plan),
        f"# the setup script (image.setup), run as root\nCOPY {CONTEXT_SETUP} /tmp/dkenv-setup.sh\nRUN sh /tmp/dkenv-setup.sh && rm -f /tmp/dkenv-setup.sh"
        if plan.setup else "",
        user_section(plan.user, plan.pycache),
        python_section(plan),
        f"ENV VIRTUAL_ENV={VENV} PATH={VENV}/bin:$PATH HOME={plan.user.home} HISTFILE={HISTORY_DIR}/bash_history",
        install_section(plan),
        debug_section(plan),
        bytecode.runtime_env(plan.pycache),
        "WORKDIR /",
        f"USER {plan.user.uid}:{plan.user.gid}",
        "LABEL " + " ".join(f"{k}={json.dumps(v)}" for k, v in labels.items()),
    ]
    return "\n".join(p for p in parts if p) + "\n"
