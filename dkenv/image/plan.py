"""From a project to what its image is built from: the resolved ImagePlan, the build
context's files, and the hash of all of it that names the image tag. Reads the
project's files, each declared where it is read (dkenv/declared.py: the manifests, image.setup,
the host's CA files, and what detection looked at when the config leaves the installer or
the Python to "auto"); never calls Docker."""
from __future__ import annotations

import functools
import hashlib
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dkenv import __version__, declared, fileio, hostuser
from dkenv.errors import ConfigError
from dkenv.image import bytecode, dockerfile
from dkenv import installers
from dkenv.detect import basepython as image_python
from dkenv.imagepaths import CONTEXT_CA, CONTEXT_MANIFESTS, CONTEXT_SETUP
from dkenv.project.project import Project

HOST_CA_DIR = Path("/usr/local/share/ca-certificates")


@dataclass
class BuildInputs:
    """Everything an image build needs: the resolved ImagePlan, the context files, the
    Dockerfile text and the digest that names the tag."""

    image: dockerfile.ImagePlan
    files: dict[str, bytes] = field(default_factory=dict)  # context path -> content
    dockerfile: str = ""
    digest: str = ""
    buildkit: str = ""  # the BuildKit rendering (dockerfile.render_buildkit); "": the classic text only

    def tag(self, project: Project) -> str:
        return f"{project.image_repo}:{self.digest}"


def host_ca_files(mode: str) -> dict[str, bytes]:
    if mode == "none" or not declared.path(HOST_CA_DIR).is_dir():
        return {}
    return {f"{CONTEXT_CA}/{p.name}": declared.path(p).read_bytes()
            for p in sorted(declared.glob(HOST_CA_DIR, "*.crt")) if p.is_file()}


def make(project: Project, user: hostuser.User | None = None, *, without_lock: bool = False) -> BuildInputs:
    """Resolve the project's image: plan, context files, Dockerfile text and digest. `user`
    is the image's user as the engine wants it (engine/identity.py: root on a rootless
    engine); by default the host user. It is in the Dockerfile, so in the tag.
    `without_lock`: the image that resolves anew, as if the project had no lock (`dkenv lock --force`)."""
    cfg = project.config
    folder = project.app_dir  # image.workdir: the app's manifests
    detected = functools.lru_cache(maxsize=1)(lambda: _inspect(folder))
    python, python_from = _python(project, detected)
    install = cfg.image.install if cfg.image.install != "auto" else detected().manager
    inputs = installers.Inputs()
    if install != "none":
        inputs = installers.get(install).inputs(folder, list(cfg.image.requirements), detected,
                                                extras=cfg.image.extras, groups=cfg.image.groups)
        installers.get(install).own_package(folder, inputs)
    elif cfg.image.extras or cfg.image.groups:
        why = " (nothing to install was detected)" if cfg.image.install == "auto" else ""
        raise ConfigError(f"dkenv: {cfg.path}: image.extras and image.groups do not apply: "
                          f"install is \"none\"{why}")
    files = dict(inputs.files)
    if cfg.image.setup:
        files[CONTEXT_SETUP] = setup_script(project)
    files.update(host_ca_files(cfg.image.extra_ca))
    lock = installers.get(install).lock_file if install != "none" else None
    if without_lock and lock and files.pop(f"{CONTEXT_MANIFESTS}/{lock}", None) is not None:
        inputs.hashes = False  # as an installer without a lock: no hashes to check
    user = user or hostuser.current()
    image = dockerfile.ImagePlan(
        base=cfg.image.base, python=python, python_from=python_from,
        install=install, user=user, apt=list(cfg.image.apt), setup=bool(cfg.image.setup),
        requirements=inputs.requirements, constraints=inputs.constraints,
        install_args=inputs.args, editables=inputs.editables,
        extra_ca=any(k.startswith(CONTEXT_CA + "/") for k in files),
        locked=bool(lock) and f"{CONTEXT_MANIFESTS}/{lock}" in files,
        extras=inputs.extras, groups=inputs.groups, hashes=inputs.hashes,
        debugpy=bool(cfg.debug.port), project=project.name, version=__version__,
        pycache=bytecode.prefix(python, install, user),
    )
    text = dockerfile.render(image)
    # the tag names the environment the classic text describes: the BuildKit text installs the
    # same (from a cache), so either route's image answers for it
    return BuildInputs(image=image, files=files, dockerfile=text, digest=digest(text, files),
                       buildkit=dockerfile.render_buildkit(image))


def setup_script(project: Project) -> bytes:
    """image.setup's content, read only when the file opened really is inside the project
    (checked at load, and again here: a link swapped in since is refused)."""
    path = declared.path(project.root / project.config.image.setup)
    try:
        return fileio.read_inside(path, project.root)
    except ValueError as e:
        raise ConfigError(f"dkenv: image.setup {path} is {e} once its links are followed, outside the project "
                          f"{project.root}") from None
    except OSError as e:
        raise ConfigError(f"dkenv: cannot read image.setup {path}: {e.strerror or e}") from None


def _python(project: Project, detected) -> tuple[str | None, str]:
    """(X.Y or None for the image's own, python_from): image.python as set (config load
    checked the base can provide it), else chosen for the project's constraint (detect/basepython.py)."""
    image = project.config.image
    if image.python:
        return image.python, image_python.resolve_python_from(image.base, image.python, image.python_from)
    try:
        choice = image_python.choose(detected().python_constraint, image.base, image.python_from,
                                     host="%d.%d" % sys.version_info[:2])
    except image_python.Unavailable as e:
        raise ConfigError(f"dkenv: {project.config.path}: image.python is not set and {e}") from None
    return choice.version, choice.python_from


def _inspect(root: Path):
    from dkenv.detect.detection import for_image

    return for_image(root)


def digest(text: str, files: dict[str, bytes]) -> str:
    """The image tag: a hash of the Dockerfile, every context file and dkenv's version."""
    h = hashlib.sha256(f"dkenv {__version__}\n".encode())
    h.update(text.encode())
    for name in sorted(files):
        h.update(f"\0{name}\0{len(files[name])}\0".encode())
        h.update(files[name])
    return h.hexdigest()[:12]


def write_context(build: BuildInputs, folder: Path) -> None:
    """Lay the build context out in `folder` (a fresh temporary directory)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "Dockerfile").write_text(build.dockerfile)
    for name, content in build.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (folder / CONTEXT_MANIFESTS).mkdir(exist_ok=True)
