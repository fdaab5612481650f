"""The incremental dependency step (docs/design.md "A one-package change"): when the
project's requirements only gained packages or changed versions since an image of the
project was built, the new image is that image with one more step, which installs the
difference, instead of every package again. Pure: the engine's answers come in as data.

- **when**: the installer installs requirements files with uv (`Installer.uv_requirements`:
  pip, pyproject); the previous image was built by dkenv from the same Dockerfile text and
  the same files but the manifests (`LABEL_REST`, a digest of all that), its manifests are
  in its labels (`LABEL_MANIFESTS`), it has fewer than MAX_STEPS such steps on it
  (`LABEL_STEPS`); the same manifest files, and in each changed file only requirement lines
  (no options, no URLs, no hashes) added or given another version. A removed requirement, a
  changed option, a new file, a new base, apt package or Python: a clean build.
- **what it runs** (image/incrementalstep.py): `FROM` the previous image's tag, the new manifests copied
  over the old, then the new requirements resolved (`uv pip compile`) and the venv made
  exactly that (`uv pip sync`: what the resolution drops goes too), then the clean build's
  own `uv pip install -r` (a no-op but for pip and setuptools, which the venv was made with
  and the resolution leaves alone), then the editable wheels and debugpy again; nothing
  compiled (the running environment writes the bytecode: image/bytecode.py), or, where the
  image compiles at install, `compileall` of site-packages (only what is new or changed is
  compiled; uv's own bytecode step would compile all of it again, ~1 s here). With
  BuildKit the caches are the shared cache mounts; without, uv keeps no cache in the layer.
- **what it gives**: the environment a clean build of the same files gives (the same tag:
  the tag is the classic Dockerfile's digest); `.dkenv/Dockerfile` stays the full
  description; `dkenv build --no-cache` builds it from the start.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from dkenv import __version__
from dkenv.imagepaths import CONTEXT_MANIFESTS
from dkenv.manifests.dependencies import normalize

LABEL_REST = "dkenv.build-rest"  # the digest of the build's inputs but the manifests
LABEL_MANIFESTS = "dkenv.manifests"  # JSON: manifest path -> its text (or "sha256:..." for a wheel)
LABEL_STEPS = "dkenv.incremental-steps"  # how many incremental steps the image has on a clean build
MAX_STEPS = 8  # then a clean build: every step is two more layers, and what it removed still weighs
MAX_LABEL = 64 * 1024  # manifests larger than this are not kept in a label: no incremental step


@dataclass(frozen=True)
class Previous:
    """An image of the project, as the engine lists it."""

    id: str
    tags: tuple[str, ...]
    labels: dict
    created: int


def manifests(files: dict[str, bytes]) -> dict[str, str]:
    """The build's manifest files by path under manifests/: their text, or a wheel's digest."""
    prefix = CONTEXT_MANIFESTS + "/"
    out = {}
    for name, content in files.items():
        if name.startswith(prefix):
            try:
                out[name[len(prefix):]] = (content.decode("utf-8") if not name.endswith(".whl")
                                           else "sha256:" + hashlib.sha256(content).hexdigest())
            except UnicodeDecodeError:
                out[name[len(prefix):]] = "sha256:" + hashlib.sha256(content).hexdigest()
    return out


def rest_digest(dockerfile_text: str, files: dict[str, bytes]) -> str:
    """A digest of everything the build is made of but the manifests."""
    h = hashlib.sha256(f"dkenv {__version__}\n{dockerfile_text}".encode())
    for name in sorted(files):
        if not name.startswith(CONTEXT_MANIFESTS + "/"):
            h.update(f"\0{name}\0{len(files[name])}\0".encode() + files[name])
    return h.hexdigest()[:16]


def labels(dockerfile_text: str, files: dict[str, bytes], steps: int = 0) -> dict[str, str]:
    """The labels an image of these inputs carries, so that a later build can step on it."""
    text = json.dumps(manifests(files), sort_keys=True)
    if len(text) > MAX_LABEL:
        return {}
    return {LABEL_REST: rest_digest(dockerfile_text, files), LABEL_MANIFESTS: text, LABEL_STEPS: str(steps)}


def requirement_lines(text: str) -> list[str] | None:
    """The lines of a requirements file that say something (comments, blanks and line
    continuations removed); None when it is not text."""
    if text.startswith("sha256:") and "\n" not in text:
        return None
    joined = text.replace("\\\n", " ")
    lines = []
    for line in joined.splitlines():
        line = line.strip()
        if line.startswith("#"):
            continue
        line = line.split(" #", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def plain_name(line: str) -> str | None:
    """The normalized name of a plain requirement line (a name, extras, versions, a marker);
    None for an option, a URL, a path or anything with a hash."""
    from packaging.requirements import InvalidRequirement, Requirement

    if line.startswith("-") or "--" in line:
        return None
    try:
        requirement = Requirement(line)
    except InvalidRequirement:
        return None
    return None if requirement.url else normalize(requirement.name)


def locked(text: str) -> dict[str, str]:
    """A uv.lock's packages: normalized name -> version ("" for a package without one)."""
    from dkenv import tomltext

    try:
        data = tomltext.loads(text)
    except ValueError:
        return {}
    return {normalize(str(p.get("name", ""))): str(p.get("version", "")) for p in data.get("package", [])
            if isinstance(p, dict)}


def lock_change(old: dict[str, str], new: dict[str, str], lock: str) -> tuple[str, ...] | str:
    """With a lock (uv.lock) the lock decides: the packages it holds may only come or change
    version; the other files (pyproject.toml) may change as they like."""
    if set(old) != set(new):
        return "the manifest files are not the same files"
    before, after = locked(old[lock]), locked(new[lock])
    if not after:
        return f"{lock} holds no packages"
    removed = set(before) - set(after)
    if removed:
        return f"{lock}: {', '.join(sorted(removed))} removed"
    return tuple(n for n in after if before.get(n) != after[n])


def change(old: dict[str, str], new: dict[str, str], lock: str | None = None) -> tuple[str, ...] | str:
    """The names added or given another version from `old` to `new` (manifests); a str: why
    the change needs a clean build. `lock`: the lock file that decides (lock_change)."""
    if lock is not None:
        return lock_change(old, new, lock)
    if set(old) != set(new):
        return "the manifest files are not the same files"
    changed: list[str] = []
    for path in sorted(new):
        if old[path] == new[path] or path.endswith(".whl"):  # the editable wheels are installed again anyway
            continue
        before, after = requirement_lines(old[path]), requirement_lines(new[path])
        if before is None or after is None:
            return f"{path} changed"
        gone, came = [ln for ln in before if ln not in after], [ln for ln in after if ln not in before]
        names = {ln: plain_name(ln) for ln in gone + came}
        odd = next((ln for ln, n in names.items() if n is None), None)
        if odd is not None:
            return f"{path}: {odd!r} is not a plain requirement"
        removed = {names[ln] for ln in gone} - {names[ln] for ln in came}
        if removed:
            return f"{path}: {', '.join(sorted(removed))} removed"
        changed += [names[ln] for ln in came if names[ln] not in changed]
    return tuple(changed)


def choose(images: list[Previous], dockerfile_text: str, files: dict[str, bytes],
           lock: str | None = None) -> tuple[Previous, tuple] | str:
    """The newest image of the project this build can step on, and the names changed; a
    str: why none (said on the build screen), "" when there is no image of this build's kind."""
    rest = rest_digest(dockerfile_text, files)
    mine = sorted((i for i in images if i.labels.get(LABEL_REST) == rest and LABEL_MANIFESTS in i.labels),
                  key=lambda i: (bool(i.tags), i.created), reverse=True)  # a tagged one: FROM its tag
    if not mine:
        return ""
    newest = mine[0]
    try:
        steps = int(newest.labels.get(LABEL_STEPS, "0"))
        old = json.loads(newest.labels[LABEL_MANIFESTS])
    except ValueError:
        return ""
    if steps >= MAX_STEPS:
        return f"{steps} incremental steps on the last clean build"
    found = change(old, manifests(files), lock)
    if isinstance(found, str):
        return found
    return newest, found
