"""The init scripts a project's compose file gives a database service, for the `init` key
`dkenv init` writes (docs/services.md, "Init scripts").

For the first compose service (the compose files of composefiles.compose_files, the app's folder
first) of a catalog entry's image, named by its `image` or by the image its build
Dockerfile's running stage is FROM (the build's `target`, else the final stage, resolved
through stage names: dockerstages.py): what that stage `ADD`s or `COPY`s into the entry's init_dir
(sources relative to the build context), then the bind mounts its `volumes` put there (relative
to the compose file's folder). Each path is written relative to the project root, and only
when it is present and, once its links are followed, inside the project and in neither
`data/` nor `.dkenv/` (the rules config validation applies to `init`); a second script of a
name already found is left out. Pure: reads files only.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from dkenv import dockerstages
from dkenv.detect import composefiles

_COPY = re.compile(r"^(ADD|COPY)\s+(.*)$", re.IGNORECASE | re.DOTALL)
_REFUSED = ("data", ".dkenv")


@dataclass(frozen=True)
class Scripts:
    paths: list[str]  # relative to the project root; a folder ends with "/"
    source: str  # where they came from, for the line init says and the comment it writes


def find(folders: list[Path], image: str, init_dir: str) -> Scripts | None:
    """The scripts the first compose service of `image` gets in `init_dir`; `folders`: the
    app's folder, then the project root (the last)."""
    root = folders[-1]
    for path in [p for folder in folders for p in composefiles.compose_files(folder)]:
        for name, service in composefiles.compose_services(path).items():
            built = composefiles.build_dockerfile(path, service)
            stage = _running_stage(built[0], service) if built else None
            ref = service.get("image") if not built else stage.image if stage else None
            if not isinstance(ref, str) or composefiles.image_name(ref)[0] != image:
                continue
            found, where = [], []
            if built and stage:
                copied = _copied(list(stage.instructions), built[1], init_dir)
                found += copied
                where += [f"{_rel(built[0], path.parent)} (built by {path.name}, services.{name})"] if copied else []
            mounted = _mounted(service.get("volumes"), path.parent, init_dir)
            found += mounted
            where += [f"{path.name} (services.{name}.volumes)"] if mounted else []
            paths = _kept(root, found)
            if paths:
                return Scripts(paths, " and ".join(where))
    return None


def _running_stage(dockerfile: Path, service: dict) -> dockerstages.Stage | None:
    """The stage of the service's build Dockerfile that its container runs: the build's `target`
    stage, else the final one (dockerstages.running). Its image (through earlier stage names:
    `FROM postgres:16 AS base` then `FROM base`) says which catalog entry the service is, and
    only its own ADD/COPY instructions put scripts in that image (an earlier stage's reach it
    only through `COPY --from`, which is not read)."""
    return dockerstages.running(dockerstages.read(dockerfile), composefiles.build_target(service))


def _copied(stage: list[str], context: Path, init_dir: str) -> list[Path]:
    """The sources (in the build context) of each ADD/COPY into init_dir, not from another
    stage or a URL."""
    found = []
    for instruction in stage:
        m = _COPY.match(instruction)
        if not m:
            continue
        words = _words(m.group(2))
        if any(w.startswith("--from") for w in words):
            continue
        words = [w for w in words if not w.startswith("--")]
        for source in words[:-1] if len(words) >= 2 else []:
            if "://" in source or "$" in source:
                continue
            matches = sorted(context.glob(source)) if any(c in source for c in "*?[") else [context / source]
            found += [p for p in matches if _into(words[-1], init_dir, p)]
    return found


def _words(arguments: str) -> list[str]:
    if arguments.lstrip().startswith("["):
        try:
            words = json.loads(arguments)
            return [w for w in words if isinstance(w, str)] if isinstance(words, list) else []
        except ValueError:
            return []
    return arguments.split()


def _into(target: str, init_dir: str, source: Path) -> bool:
    """A destination that is init_dir itself, or a script directly in it (a file, then; a
    folder there, or any path ending with "/", would be a subfolder, which the image skips)."""
    if target.rstrip("/") == init_dir:
        return True
    return not target.endswith("/") and os.path.dirname(target) == init_dir and source.is_file()


def _mounted(volumes, folder: Path, init_dir: str) -> list[Path]:
    """The host sides of the bind mounts (short or long syntax) into init_dir."""
    found = []
    for volume in volumes if isinstance(volumes, list) else []:
        if isinstance(volume, str):
            parts = volume.split(":")
            source, target = (parts[0], parts[1]) if len(parts) >= 2 else ("", "")
        elif isinstance(volume, dict) and volume.get("type", "bind") == "bind":
            source, target = volume.get("source", ""), volume.get("target", "")
        else:
            continue
        if not isinstance(source, str) or not isinstance(target, str) or "$" in source:
            continue
        if source.startswith((".", "/")) and _into(target, init_dir, folder / source):
            found.append(folder / source)
    return found


def _kept(root: Path, found: list[Path]) -> list[str]:
    """The paths that config validation will take, relative to the root, in order."""
    real_root = os.path.realpath(root)
    paths, names = [], set()
    for path in found:
        real = os.path.realpath(path)
        if not _allowed(real_root, real):
            continue
        if os.path.isdir(real):
            inner = [n for n in sorted(os.listdir(real)) if not n.startswith(".")]
            if not all(_allowed(real_root, os.path.realpath(os.path.join(real, n))) for n in inner):
                continue
            own = {n for n in inner if os.path.isfile(os.path.join(real, n))}
        elif os.path.isfile(real):
            own = {os.path.basename(os.path.normpath(path))}
        else:
            continue
        written = os.path.relpath(os.path.normpath(path), root).replace(os.sep, "/")
        if own & names or written.startswith("..") or written in [p.rstrip("/") for p in paths]:
            continue
        names |= own
        paths.append(written + ("/" if os.path.isdir(real) else ""))
    return paths


def _allowed(real_root: str, real: str) -> bool:
    rel = os.path.relpath(real, real_root)
    return real != real_root and not rel.startswith("..") and rel.split(os.sep)[0] not in _REFUSED


def _rel(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.name
