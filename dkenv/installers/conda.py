"""conda: an `environment.yml` (and optionally `conda-lock.yml`) made into the project's
environment at /opt/venv, Python included: the environment's Python, not the base
image's, is the one `dkenv exec`, the shims and the agent run (the same paths a venv
has: bin/python, lib/pythonX.Y/site-packages).

The tool is py-rattler (PyPI), installed in the tools venv with the base image's Python:
no conda, mamba or micromamba binary is needed, and channels are reached as conda
would (names, URLs, local folders). The step runs scripts/conda_env.py (copied into
the build context) on a spec dkenv writes from environment.yml: solved from its
channels and match specs, or exactly the records of conda-lock.yml for the image's
platform when there is one; then the `pip:` list (or the lock's pip packages, pinned
and hashed) installed with the environment's own pip.

A channel that is a folder of the project (`./channel`, or its absolute path or file://
URL) is copied into the build context, so the build reaches it; a folder outside the
project cannot be (a ConfigError). environment.yml has no extras or groups; its
`variables:` are not set in the container (init says so: [env] in .dkenv.toml does it).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from dkenv import declared
from dkenv.errors import ConfigError
from dkenv.imagepaths import BUILD_DIR, CONTEXT_MANIFESTS, TOOLS, VENV
from dkenv.installers.base import Folder, Found, Inputs, Installer, no_compile, read_manifest
from dkenv.installers.failures import Diagnosis, find
from dkenv.manifests import condaenv
from dkenv.manifests.dependencies import merge
from dkenv.manifests.requirements import RequirementsReader, closure

SCRIPT = "dkenv-conda-env.py"  # scripts/conda_env.py, in the build folder
SPEC = "dkenv-conda.json"
PIP_FILE = "dkenv-conda-pip.txt"  # what pip installs into the environment, written by the script
CHANNELS = "dkenv-conda-channels"  # the project's local channels, copied: CHANNELS/N/
ENV_PIP = f"{VENV}/bin/python -m pip install"


class Conda(Installer):
    name = "conda"
    priority = 45  # after pip's requirements files: a project with both kept pip before conda existed
    tools = ("py-rattler",)
    manifests = (condaenv.FILES[0], condaenv.LOCK)
    lock_file = condaenv.LOCK
    selects = ()
    declared_in = condaenv.FILES[0]
    add_command = f"{ENV_PIP} --no-cache-dir"
    makes_env = True

    def claims(self, folder: Folder) -> bool:
        return any(declared.path(folder.root / f).is_file() for f in (*condaenv.FILES, condaenv.LOCK))

    def read(self, folder: Folder) -> Found:
        path, env = load(folder.root)
        names: dict[str, set[str]] = {name: set() for name in env.conda_names()}
        merge(names, condaenv.pip_names(env, folder.pythons))
        includes = [f for f in env.includes() if declared.path(folder.root / f).is_file()]
        if includes:
            merge(names, RequirementsReader(folder.root, folder.pythons).read(*includes).requirements)
        lock = f" and {condaenv.LOCK}" if declared.path(folder.root / condaenv.LOCK).is_file() else ""
        where = path.name if path else condaenv.LOCK
        channels = ", ".join(condaenv.channels(env)) or "none"
        notes = [f"dependencies: conda ({where}{lock}; channels: {channels})"]
        if env.variables:
            notes.append(f"{where}: variables {', '.join(env.variables)} are not set in the container: "
                         "add them to [env] in .dkenv.toml")
        return Found(names=names, notes=notes)

    def inputs(self, folder: Path, requirements: list[str], detected, *,
               extras: list[str] | None = None, groups: list[str] | None = None) -> Inputs:
        self.select(folder, extras, groups)  # a ConfigError when either names something
        path, env = load(folder)
        files = {f"{CONTEXT_MANIFESTS}/{rel}": read_manifest(folder, rel) for rel in closure(folder, env.includes())}
        for rel in (path.name if path else None, condaenv.LOCK):
            if rel and declared.path(folder / rel).is_file():
                files[f"{CONTEXT_MANIFESTS}/{rel}"] = read_manifest(folder, rel)
        channels, channel_map = [], {}
        for channel in condaenv.channels(env):
            local = condaenv.local_channel(channel)
            if local is None:
                channels.append(channel)
                continue
            copy = f"{CHANNELS}/{len(channel_map)}"
            files.update(channel_files(folder, local, f"{CONTEXT_MANIFESTS}/{copy}"))
            channel_map[Path(os.path.abspath(folder / os.path.expanduser(local))).as_uri()] = f"file://{BUILD_DIR}/{copy}"
            channels.append(f"file://{BUILD_DIR}/{copy}")
        locked = f"{CONTEXT_MANIFESTS}/{condaenv.LOCK}" in files
        spec = {"channels": channels, "specs": env.specs, "pip": env.pip, "prefix": VENV,
                "lock": condaenv.LOCK if locked else None, "pip_file": PIP_FILE, "channel_map": channel_map}
        files[f"{CONTEXT_MANIFESTS}/{SPEC}"] = (json.dumps(spec, indent=1, sort_keys=True) + "\n").encode()
        files[f"{CONTEXT_MANIFESTS}/{SCRIPT}"] = (Path(__file__).parent / "scripts" / "conda_env.py").read_bytes()
        return Inputs(files=files)

    def steps(self, plan) -> list[str]:
        pip = f"{ENV_PIP}{'' if getattr(plan, 'cache', False) else ' --no-cache-dir'}{no_compile(plan)}"
        no_pip = ("echo \"dkenv: the environment has no pip for its pip: packages: add pip to the "
                  "dependencies in environment.yml\" >&2; exit 1")
        return [f"{TOOLS}/bin/python {SCRIPT} {SPEC}",
                f"if [ -s {PIP_FILE} ]; then {VENV}/bin/python -m pip --version >/dev/null 2>&1 || "
                f"{{ {no_pip}; }}; {pip} -r {PIP_FILE}; fi"]

    def newer(self, name: str) -> str:
        return "require a newer version in environment.yml (and lock again: `conda-lock -f environment.yml`)"

    def main_names(self, folder: Path, requirements: list[str], pythons: list[str] | None) -> dict[str, set[str]]:
        """environment.yml has no development part: everything it names."""
        return self.read(Folder(folder, pythons=pythons)).names

    def recognise(self, lines: list[str]) -> Diagnosis | None:
        hit = find(lines, r"dkenv conda: ((?:cannot solve|cannot install|.* is not readable|.* has no packages).*)")
        if not hit:
            return None
        text = hit[1].group(1).strip()
        missing = find([text], r"No candidates were found for (\S+)")
        if missing:
            return Diagnosis(package=missing[1].group(1), failure="was not found in the conda channels",
                             evidence=[text], kind="missing")
        kind = "conflict" if text.startswith("cannot solve") else "other"
        return Diagnosis(failure="the conda environment " + ("cannot be solved" if kind == "conflict"
                                                             else "did not install"), evidence=[text], kind=kind)


def load(root: Path) -> tuple[Path | None, condaenv.CondaEnv]:
    """The environment file (None: only a conda-lock.yml) and what it declares."""
    path = next((root / f for f in condaenv.FILES if declared.path(root / f).is_file()), None)
    if path is None:
        return None, condaenv.CondaEnv()
    try:
        return path, condaenv.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ConfigError(f"dkenv: {path}: not readable as a conda environment ({e})") from None


def channel_files(root: Path, local: str, into: str) -> dict[str, bytes]:
    """A local channel folder's files, by build-context path; ConfigError when it is outside
    the project or missing (the build reaches only what is in the build context)."""
    folder = Path(os.path.abspath(root / os.path.expanduser(local)))
    inside = Path(os.path.realpath(folder))
    if not inside.is_relative_to(Path(os.path.realpath(root))):
        raise ConfigError(f"dkenv: environment.yml: the channel {local} is outside the project {root}, where "
                          "the image build cannot reach it: move it into the project")
    if not declared.path(folder).is_dir():
        raise ConfigError(f"dkenv: environment.yml: the channel {local} is not a folder in {root}")
    files: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(declared.listing(folder)):
        dirnames.sort()
        for sub in dirnames:
            declared.listing(Path(dirpath) / sub)
        for name in sorted(filenames):
            path = Path(dirpath) / name
            files[f"{into}/{path.relative_to(folder).as_posix()}"] = read_manifest(folder, path.relative_to(folder).as_posix())
    return files
