"""From a project to what its image is built from: the resolved ImagePlan, the build
context's files, and the hash of all of it that names the image tag."""
from __future__ import annotations

import hashlib
import os
import pwd
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dkenv import __version__, dockerfile, tomltext
from dkenv.errors import ConfigError
from dkenv.project import Project

DATA = Path(__file__).parent / "data"
HOST_CA_DIR = Path("/usr/local/share/ca-certificates")
PYTHON_IMAGES = {"python", "library/python", "docker.io/library/python"}
MANIFESTS = {
    "poetry": ["pyproject.toml", "poetry.lock", "poetry.toml"],
    "pipenv": ["Pipfile", "Pipfile.lock"],
    "uv": ["pyproject.toml", "uv.lock", ".python-version"],
}


@dataclass
class BuildPlan:
    plan: dockerfile.ImagePlan
    files: dict[str, bytes] = field(default_factory=dict)  # context path -> content
    dockerfile: str = ""
    digest: str = ""

    def tag(self, project: Project) -> str:
        return f"{project.image_repo}:{self.digest}"


def host_user() -> dockerfile.User:
    uid, gid = os.getuid(), os.getgid()
    try:
        name = pwd.getpwuid(uid).pw_name
    except KeyError:
        name = os.environ.get("USER", "")
    name = re.sub(r"[^a-z0-9_-]", "", name.lower())[:32]
    if not re.match(r"^[a-z_]", name) or name == "root" and uid != 0:
        name = "dkenv"
    return dockerfile.User(name=name, uid=uid, gid=gid)


def distro_python(base: str) -> str | None:
    """The python3 X.Y the base's Debian/Ubuntu release ships, when the tag says which."""
    tag = base.rsplit(":", 1)[1] if ":" in base.rsplit("/", 1)[-1] else "latest"
    table = tomltext.loads((DATA / "distros.toml").read_text())["python3"]
    for part in re.split(r"[-_]", tag):
        if part in table:
            return table[part]
    return None


def resolve_python_from(base: str, python: str, python_from: str) -> str:
    """auto -> image for python images, system when the release's python3 matches, else uv."""
    if python_from != "auto":
        return python_from
    repo = base.split("@")[0].rsplit(":", 1)[0] if ":" in base.rsplit("/", 1)[-1] else base
    if repo in PYTHON_IMAGES:
        return "image"
    return "system" if distro_python(base) == python else "uv"


def requirement_closure(root: Path, files: list[str]) -> list[str]:
    """Every file reached from `files` through -r/-c lines, as paths relative to root."""
    seen: list[str] = []
    pending: list[tuple[str, str | None]] = [(f, None) for f in files]
    inside = root.resolve()
    while pending:
        rel, includer = pending.pop(0)
        if rel in seen:
            continue
        path = root / rel
        if os.path.isabs(rel) or not path.resolve().is_relative_to(inside):
            what = f"{includer} includes {rel}," if includer else f"requirements file {rel!r} is"
            raise ConfigError(f"dkenv: {what} outside the project {root}")
        if not path.is_file():
            raise ConfigError(f"dkenv: requirements file {rel!r} not found in {root}")
        seen.append(rel)
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            m = re.match(r"^\s*(-r|--requirement|-c|--constraint)[\s=]+(\S+)", line)
            if m:
                target = m.group(2)
                if not os.path.isabs(target):
                    target = os.path.normpath(os.path.join(os.path.dirname(rel), target))
                pending.append((target, rel))
    return seen


def pyproject_requirements(root: Path) -> bytes:
    """PEP 621 dependencies (+ the `dev` dependency group) as a requirements file."""
    data = tomltext.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    deps = list(data.get("project", {}).get("dependencies", []))
    deps += [d for d in data.get("dependency-groups", {}).get("dev", []) if isinstance(d, str)]
    return ("".join(f"{d}\n" for d in deps)).encode()


def host_ca_files(mode: str) -> dict[str, bytes]:
    if mode == "none" or not HOST_CA_DIR.is_dir():
        return {}
    return {f"{dockerfile.CONTEXT_CA}/{p.name}": p.read_bytes()
            for p in sorted(HOST_CA_DIR.glob("*.crt")) if p.is_file()}


class _Detected:
    """dkenv.detect's findings, inspected only when the config leaves something to detect."""

    def __init__(self, root: Path):
        self.root = root
        self._found = None

    def __getattr__(self, name):
        if self._found is None:
            from dkenv import detect

            self._found = detect.inspect(self.root)
        return getattr(self._found, name)


def make(project: Project) -> BuildPlan:
    """Resolve the project's image: plan, context files, Dockerfile text and digest."""
    cfg = project.config
    found = _Detected(project.root)
    python = cfg.image.python or found.python or "%d.%d" % sys.version_info[:2]
    install = cfg.image.install if cfg.image.install != "auto" else found.manager
    files: dict[str, bytes] = {}
    requirements: list[str] = []
    constraints: list[str] = []
    if install == "pip":
        wanted = cfg.image.requirements or found.requirements
        if not wanted:
            raise ConfigError(f"dkenv: {cfg.path}: image.install is pip but no requirements file was found; "
                              "set image.requirements")
        wanted_constraints = [] if cfg.image.requirements else list(getattr(found, "constraints", []))
        closure = requirement_closure(project.root, wanted + wanted_constraints)
        for rel in closure:
            files[f"{dockerfile.CONTEXT_MANIFESTS}/{rel}"] = (project.root / rel).read_bytes()
        requirements, constraints = wanted, wanted_constraints
    elif install == "pyproject":
        files[f"{dockerfile.CONTEXT_MANIFESTS}/dkenv-requirements.txt"] = pyproject_requirements(project.root)
    elif install in MANIFESTS:
        for rel in MANIFESTS[install]:
            if (project.root / rel).is_file():
                files[f"{dockerfile.CONTEXT_MANIFESTS}/{rel}"] = (project.root / rel).read_bytes()
        if not any(k.endswith(MANIFESTS[install][0]) for k in files):
            raise ConfigError(f"dkenv: image.install is {install} but {MANIFESTS[install][0]} is missing")
    if cfg.image.setup:
        files[dockerfile.CONTEXT_SETUP] = (project.root / cfg.image.setup).read_bytes()
    files.update(host_ca_files(cfg.image.extra_ca))
    shipped = distro_python(cfg.image.base)
    if cfg.image.python_from == "system" and shipped and shipped != python:
        raise ConfigError(f"dkenv: {cfg.path}: image.python_from is \"system\" but {cfg.image.base} ships "
                          f"Python {shipped}, not {python}; use python_from = \"uv\" or another image.base")
    plan = dockerfile.ImagePlan(
        base=cfg.image.base, python=python,
        python_from=resolve_python_from(cfg.image.base, python, cfg.image.python_from),
        install=install, user=host_user(), apt=list(cfg.image.apt), setup=bool(cfg.image.setup),
        requirements=requirements, constraints=constraints,
        extra_ca=any(k.startswith(dockerfile.CONTEXT_CA + "/") for k in files),
        locked=any(k.endswith(("/uv.lock", "/poetry.lock", "/Pipfile.lock")) for k in files),
        debugpy=bool(cfg.debug.port), project=project.name, version=__version__,
    )
    text = dockerfile.render(plan)
    return BuildPlan(plan=plan, files=files, dockerfile=text, digest=digest(text, files))


def digest(text: str, files: dict[str, bytes]) -> str:
    """The image tag: a hash of the Dockerfile, every context file and dkenv's version."""
    h = hashlib.sha256(f"dkenv {__version__}\n".encode())
    h.update(text.encode())
    for name in sorted(files):
        h.update(f"\0{name}\0{len(files[name])}\0".encode())
        h.update(files[name])
    return h.hexdigest()[:12]


def write_context(build: BuildPlan, folder: Path) -> None:
    """Lay the build context out in `folder` (a fresh temporary directory)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "Dockerfile").write_text(build.dockerfile)
    for name, content in build.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (folder / dockerfile.CONTEXT_MANIFESTS).mkdir(exist_ok=True)
