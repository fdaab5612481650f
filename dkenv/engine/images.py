"""The Engine's image calls (a part of `engine/engine.Engine`): present, build, pull,
tag, list, remove, one file copied out. Thin and named like the rest; the SDK's error classes come through
`Engine._errors`, so `docker` is still imported by engine.py alone."""
from __future__ import annotations

import io
import json
import tarfile
from typing import Callable

from dkenv import imageref
from dkenv.engine.spec import LABEL_PROJECT
from dkenv.errors import FatalError


class BuildFailed(FatalError):
    """A failed image build; `error` is the Engine's reason (image/build.py says the rest)."""

    def __init__(self, error: str):
        super().__init__(f"dkenv: the image build failed: {error}")
        self.error = error


def reason(e: Exception) -> str:
    """What the Engine said of an SDK error (its explanation, else the error), one short text."""
    return (getattr(e, "explanation", None) or str(e)).strip()[:300]


class ImageCalls:

    def image_exists(self, tag: str) -> bool:
        self._log(f"GET /images/{tag}/json")
        try:
            self.api.inspect_image(tag)
            return True
        except self._errors().ImageNotFound:
            return False

    def image_references(self, repository: str) -> list[str]:
        """The tags (`repository:tag`) of the images of `repository` the engine has."""
        self._log(f"GET /images/json?filter={repository}")
        return [tag for image in self.api.images(name=repository) for tag in image.get("RepoTags") or ()
                if tag.startswith(repository + ":")]

    def build(self, context: str, tag: str, *, nocache: bool, pull: bool, labels: dict[str, str],
              buildargs: dict[str, str], on_output: Callable[[str], None], dockerfile: str | None = None) -> str:
        """Build, passing Docker's output to `on_output` as it comes (text, newlines
        included); BuildFailed carries the Engine's error. `dockerfile`: its path in the
        context (default: Dockerfile); `tag` may be empty (an image only a later step uses).
        The image's id ("" when the Engine did not say it)."""
        self._log(f"POST /build t={tag} nocache={nocache} pull={pull}")
        built = ""
        try:
            for chunk in self.api.build(path=context, tag=tag or None, rm=True, forcerm=True, nocache=nocache,
                                        pull=pull, decode=True, labels=labels, buildargs=buildargs,
                                        dockerfile=dockerfile):
                text = _build_text(chunk)
                if text:
                    on_output(text)
                if "error" in chunk:
                    raise BuildFailed(str(chunk.get("error") or "").strip() or "no reason given")
                built = _built_id(chunk) or built
        except self._errors().APIError as e:
            raise BuildFailed(str(e.explanation or e).strip()) from None
        return built

    def ensure_volume(self, name: str, label: str, value: str) -> bool:
        """The named volume `name`, made (labelled `label`=`value`) when missing: True when
        made now. One that exists without that label is someone else's: refused."""
        self._log(f"GET /volumes/{name}")
        try:
            found = self.api.inspect_volume(name)
        except self._errors().NotFound:
            self._log(f"POST /volumes/create name={name}")
            try:
                self.api.create_volume(name, labels={label: value})
            except self._errors().APIError as e:
                raise BuildFailed(f"cannot make the cache volume {name}: {reason(e)}") from None
            return True
        if (found.get("Labels") or {}).get(label) != value:
            raise FatalError(f"dkenv: the volume {name} is not dkenv's package cache (no {label} label); "
                             "rename or remove it (docker volume rm)")
        return False

    def run_and_commit(self, image: str, script: str, volumes: dict[str, str], on_output: Callable[[str], None],
                       name: str) -> str:
        """`script` run by /bin/sh in a container `name` of `image` (as its user, in its folder, with
        its environment), the named `volumes` mounted (name -> target),
        its output passed on as it comes; the container committed as an image whose CMD and
        ENTRYPOINT are `image`'s, then removed. The new image's id; BuildFailed when the script fails."""
        config = self.api.inspect_image(image).get("Config") or {}
        entrypoint = config.get("Entrypoint")  # set aside for the script (then given back), else left as is
        changes = [f"CMD {json.dumps(config.get('Cmd') or [])}",
                   *([f"ENTRYPOINT {json.dumps(entrypoint)}"] if entrypoint else [])]
        self._log(f"POST /containers/create (a build step) image={image} volumes={sorted(volumes)}")
        host_config = self.api.create_host_config(mounts=[self._volume(v, t) for v, t in volumes.items()])
        try:
            container = self.api.create_container(image=image, command=["/bin/sh", "-c", script],
                                                  entrypoint=[] if entrypoint else None, name=name,
                                                  host_config=host_config)["Id"]
        except self._errors().APIError as e:  # the engine's reason, said as a build's
            raise BuildFailed(reason(e)) from None
        try:
            self.api.start(container)
            for chunk in self.api.logs(container, stream=True, follow=True):
                on_output(chunk.decode("utf-8", "replace"))
            code = self.api.wait(container)["StatusCode"]
            if code != 0:
                raise BuildFailed(f"The command '/bin/sh -c {script}' returned a non-zero code: {code}")
            self._log(f"POST /commit container={container[:12]}")
            return self.api.commit(container, message="dkenv: the dependency step", changes=changes)["Id"]
        except self._errors().APIError as e:
            raise BuildFailed(f"the engine refused the dependency step's container: {reason(e)}") from None
        finally:
            self.api.remove_container(container, force=True)

    def pull(self, image: str, on_message: Callable[[dict], None]) -> str | None:
        """Pull `image`, passing each of the Engine's progress messages to `on_message`;
        the error, or None."""
        self._log(f"POST /images/create fromImage={image}")
        repo, tag = imageref.split(image) if "@" not in image else (image, None)
        try:
            for chunk in self.api.pull(repo, tag=tag, stream=True, decode=True):
                if "error" in chunk:
                    return str(chunk["error"]).strip()[:300]
                on_message(chunk)
        except Exception as e:  # the SDK raises several kinds for an unreachable registry
            return reason(e)
        return None

    def image_size(self, tag: str) -> int | None:
        """The image's size in bytes, None when the Engine does not say."""
        self._log(f"GET /images/{tag}/json")
        try:
            size = self.api.inspect_image(tag).get("Size")
        except self._errors().APIError:
            return None
        return size if isinstance(size, int) and size > 0 else None

    def tag_image(self, image: str, repository: str, tag: str) -> None:
        """Give `image` another name (`repository:tag`), moving it from any image that had it."""
        self._log(f"POST /images/{image}/tag repo={repository} tag={tag}")
        self.api.tag(image, repository, tag, force=True)

    def project_images(self, project: str) -> list[tuple[str, list[str]]]:
        self._log(f"GET /images/json label={LABEL_PROJECT}={project}")
        return [(img["Id"], [imageref.familiar(t) for t in img.get("RepoTags") or []])
                for img in self.api.images(filters={"label": f"{LABEL_PROJECT}={project}"})]

    def project_image_details(self, project: str) -> list[tuple[str, list[str], dict[str, str], int]]:
        """The project's images: (id, tags, labels, created) each (image/incremental.py)."""
        self._log(f"GET /images/json label={LABEL_PROJECT}={project}")
        return [(img["Id"], [imageref.familiar(t) for t in img.get("RepoTags") or []], img.get("Labels") or {},
                 int(img.get("Created") or 0))
                for img in self.api.images(filters={"label": f"{LABEL_PROJECT}={project}"})]

    def image_details(self, ref: str) -> tuple[str, list[str], dict[str, str], int] | None:
        """One image as project_image_details gives each (its created time unread: 0), None
        when absent: one inspect, where a list makes the engine walk every image it has (0.3 s
        for Docker's 300 here, more on Podman)."""
        self._log(f"GET /images/{ref}/json")
        try:
            info = self.api.inspect_image(ref)
        except self._errors().ImageNotFound:
            return None
        return (info["Id"], [imageref.familiar(t) for t in info.get("RepoTags") or []],
                (info.get("Config") or {}).get("Labels") or {}, 0)

    def remove_image(self, image_id: str) -> bool:
        self._log(f"DELETE /images/{image_id}")
        try:
            self.api.remove_image(image_id)
            return True
        except self._errors().APIError:
            return False  # in use, or already gone

    def local_images(self) -> list[str]:
        """Every tagged image present, as repo:tag."""
        self._log("GET /images/json")
        return [tag for img in self.api.images() for tag in img.get("RepoTags") or [] if tag != "<none>:<none>"]

    def image_file(self, image: str, path: str, limit: int = 64 << 20) -> bytes | None:
        """The content of the regular file `path` in `image`, copied out of a container created
        from it and never started (removed at once); None when the image has no such file."""
        self._log(f"POST /containers/create (copy out) image={image}; GET /containers/ID/archive?path={path}")
        container = self.api.create_container(image=image, command=["true"], entrypoint=[],
                                              labels={"dkenv.probe": "1"})
        try:
            try:
                stream, stat = self.api.get_archive(container["Id"], path)
            except self._errors().NotFound:
                return None
            if not isinstance(stat, dict) or int(stat.get("size", 0)) > limit:
                raise FatalError(f"dkenv: {path} in {image} is larger than {limit >> 20} MiB; it was not copied")
            with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as tar:
                member = next((m for m in tar if m.isfile()), None)
                found = tar.extractfile(member) if member is not None else None
                return found.read() if found is not None else None
        finally:
            self.api.remove_container(container["Id"], force=True)


def _build_text(chunk: dict) -> str:
    """A build chunk's text: a step's output as is, a pull's status as one line each
    (its download progress left out)."""
    if chunk.get("stream"):
        return chunk["stream"]
    status = chunk.get("status")
    if not status or chunk.get("progressDetail"):
        return ""
    return f"{chunk['id']}: {status}\n" if chunk.get("id") else f"{status}\n"


def _built_id(chunk: dict) -> str:
    """The built image's id in a build chunk (the Engine's aux message, or the classic
    builder's "Successfully built ID"), else ""."""
    aux = chunk.get("aux")
    if isinstance(aux, dict) and aux.get("ID"):
        return str(aux["ID"])
    stream = chunk.get("stream") or ""
    return stream.split()[-1] if stream.startswith("Successfully built ") else ""
