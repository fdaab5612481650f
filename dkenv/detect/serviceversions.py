"""Which version of a catalog service `init` writes, and where it came from, in this order:

1. the version the project names: an `image: postgres:15` in its compose files (the app's
   folder, then the root), or a CI service container (`.github/workflows/*.yml`
   `services.*.image`, `.gitlab-ci.yml` `services`);
2. the newest major the engine already has (`postgres:15` on this machine: nothing to pull);
3. none: the catalog's own (`version` left commented).

Pure but for the images the engine has, which the caller passes in (a list of references).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dkenv import dockerstages, imageref, yamlread
from dkenv.detect import composefiles

_VERSION = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.\d+)?(?:-[\w.]+)?$")


@dataclass(frozen=True)
class Version:
    tag: str  # what `version` is set to: "15", "7.2"
    source: str  # where it came from, for the line init says and the comment it writes


def _images_in(doc) -> list[str]:
    """Every `image:` string of a compose file or a CI workflow, in document order."""
    found = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key == "image" and isinstance(value, str):
                found.append(value)
            elif key == "services" and isinstance(value, list):  # GitLab CI: a list of images or {name: ...}
                found += [v for v in value if isinstance(v, str)]
                found += [v["name"] for v in value if isinstance(v, dict) and isinstance(v.get("name"), str)]
                found += _images_in(value)
            else:
                found += _images_in(value)
    elif isinstance(doc, list):
        for item in doc:
            found += _images_in(item)
    return found


def built_from(path: Path, doc) -> list[tuple[str, str]]:
    """The images a compose file's services are built on (`web-db: {build: ./db}` with
    `FROM postgres:16` in db/Dockerfile), each with its Dockerfile (relative, "built by" the file)."""
    services = doc.get("services") if isinstance(doc, dict) else None
    found = []
    for service in services.values() if isinstance(services, dict) else []:
        base = base_image(path, service) if isinstance(service, dict) else None
        found += [base] if base else []
    return found


def base_image(path: Path, service: dict) -> tuple[str, str] | None:
    """The image the compose service's container runs on, when it is built (from a Dockerfile
    inside the compose file's folder: composefiles.build_dockerfile), with that Dockerfile as
    `built_from` says it; None when not built or unknown.

    The stage that runs decides, not the first FROM: the build's `target` stage, else the
    final one, its image resolved through earlier stage names and ARG defaults
    (dockerstages.py). A `FROM postgres:16 AS base` ... `FROM base` service runs postgres:16;
    a `FROM node AS assets` first stage says nothing of what runs."""
    built = composefiles.build_dockerfile(path, service)
    if built is None:
        return None
    stage = dockerstages.running(dockerstages.read(built[0]), composefiles.build_target(service))
    if stage is None or not stage.image:
        return None
    rel = built[0].relative_to(path.parent.resolve()).as_posix()
    return stage.image, f"{rel} (built by {path.name})"


def _files(folders: list[Path]) -> list[Path]:
    """The compose files (composefiles.compose_files: the same files `init` reads how the app runs
    from), then the CI files, of each folder."""
    files = []
    for folder in folders:
        files += composefiles.compose_files(folder)
        for pattern in (".github/workflows/*.y*ml", ".gitlab-ci.yml"):
            files += sorted(p for p in folder.glob(pattern) if p.is_file())
    return list(dict.fromkeys(files))


def named(folders: list[Path], image: str) -> Version | None:
    """The tag the project's own files give `image` (a catalog entry's repository)."""
    for path in _files(folders):
        try:
            doc = yamlread.loads(path.read_text(encoding="utf-8", errors="replace"))
        except (OSError, ValueError):
            continue
        for ref, where in [(r, path.name) for r in _images_in(doc)] + built_from(path, doc):
            repo, tag = composefiles.image_name(ref)
            if repo == image and tag and _VERSION.match(tag):
                return Version(tag, f"{where} names {ref}")
    return None


def present(references: list[str], image: str) -> Version | None:
    """The newest major of `image` the engine has (`image:15`, `image:7`...)."""
    tags = [imageref.split(r)[1] for r in references if imageref.split(r)[0] == image]
    majors = [(int(m.group(1)), int(m.group(2) or 0), t) for t in tags if t and (m := _VERSION.match(t))]
    if not majors:
        return None
    tag = max(majors)[2]
    return Version(tag, f"{image}:{tag} is on this machine")


def environment(folders: list[Path], image: str) -> tuple[dict[str, str], str]:
    """The `environment` the project's compose files give a service of `image` (its
    credentials: POSTGRES_USER...), and where: ({}, "") for none. Values that interpolate
    (`${VAR}`) are left out: what they mean is the developer's shell's."""
    for path in _files(folders):
        if path not in composefiles.compose_files(path.parent):
            continue
        for name, service in composefiles.compose_services(path).items():
            ref = service.get("image")
            if not isinstance(ref, str) or composefiles.image_name(ref)[0] != image:
                continue
            env = composefiles.service_env(service)
            if env:
                return ({str(k): str(v) for k, v in env.items() if isinstance(v, (str, int)) and "$" not in str(v)},
                        f"{path.name} (services.{name}.environment)")
    return {}, ""


def choose(folders: list[Path], image: str, references: list[str]) -> Version | None:
    return named(folders, image) or present(references, image)
