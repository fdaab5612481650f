"""Which route a build takes, each keeping the package cache its own way (docs/design.md
"Build routes and the package cache"):

- `buildkit`: a docker CLI that builds with BuildKit (engine/clibuild.py) builds the
  BuildKit rendering; the caches are BuildKit's cache mounts;
- `podman`: Podman's Docker API, whose builder (Buildah) takes the same `RUN
  --mount=type=cache` itself: the BuildKit rendering through the SDK; the caches are Buildah's;
- `volumes`: any other engine (the classic builder: a docker CLI 23+ without buildx, an ssh
  or tcp engine, DKENV_BUILDER=volumes): the BuildKit rendering in three parts, the caches
  in named volumes (image/volumebuild.py);
- `classic`: DKENV_BUILDER=classic, or a build with no BuildKit rendering: the classic text
  through the SDK, nothing kept between builds (what `docker build .dkenv` does).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dkenv.engine.engine import Engine
from dkenv.image import buildkitsteps, volumebuild, volumesteps

# the host's proxy variables every build gets as build arguments (doctor/hostchecks.py shows them)
PROXY_VARS = ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")


@dataclass
class Route:
    kind: str  # buildkit, podman, volumes, classic
    cli: object | None = None  # the engine/clibuild.Cli of the buildkit route
    renumber: volumesteps.Renumber | None = None
    parts: volumesteps.Parts | None = None  # the volumes route's cut of the BuildKit rendering, made once

    @property
    def cached(self) -> bool:
        """Whether the BuildKit rendering is what is built."""
        return self.kind != "classic"

    def describe(self) -> str:
        if self.kind == "buildkit":
            return self.cli.describe()
        if self.kind == "podman":
            return "Podman's builder, cache mounts"
        return volumebuild.describe(self.parts) if self.kind == "volumes" else "the classic builder"

    def translator(self, steps):
        """What reads this route's output as the classic builder's "Step N/M" lines (or None)."""
        if self.kind == "buildkit":
            return buildkitsteps.Translator(steps)
        if self.kind == "volumes":
            self.renumber = volumesteps.Renumber(len(steps))
        return self.renumber

    def build(self, engine: Engine, context: str, tag: str, text: str, *, progress, nocache: bool, pull: bool,
              labels: dict[str, str], dockerfile: str | None) -> None:
        """Build `text` (the file `dockerfile` of `context`) as `tag`, the output to `progress.text`."""
        buildargs = proxies()
        if self.kind == "volumes":
            volumebuild.build(engine, context, tag, text, self.parts, progress=progress, renumber=self.renumber,
                              nocache=nocache, pull=pull, labels=labels, buildargs=buildargs)
        elif self.kind == "buildkit":
            from dkenv.engine import clibuild, endpoint

            clibuild.build(clibuild.argv(self.cli, context, tag, dockerfile=str(Path(context) / dockerfile),
                                         nocache=nocache, pull=pull, labels=labels, buildargs=buildargs),
                           endpoint.cli_env(engine.endpoint), progress.text)
        else:
            engine.build(context, tag, nocache=nocache, pull=pull, labels=labels, dockerfile=dockerfile,
                         buildargs=buildargs, on_output=progress.text)


def choose(engine: Engine, buildkit: str) -> Route:
    """The route of a build whose BuildKit rendering is `buildkit` ("" when it has none);
    DKENV_BUILDER is read here and nowhere else (engine/clibuild.setting)."""
    from dkenv.engine import clibuild, info

    setting = clibuild.setting()
    if not buildkit or setting == "classic":
        return Route("classic")
    if setting == "volumes":
        return Route("volumes", parts=volumesteps.split(buildkit))
    if info.kind(engine).startswith("podman"):
        return Route("podman")
    cli = clibuild.for_endpoint(engine.endpoint, setting)
    return Route("buildkit", cli) if cli is not None else Route("volumes", parts=volumesteps.split(buildkit))


def proxies() -> dict[str, str]:
    """The host's proxy variables, passed to the build as build arguments."""
    return {k: v for k, v in os.environ.items() if k in PROXY_VARS}
