"""Image builds through the `docker` command-line client with BuildKit, beside the SDK's
classic build (engine/images.py): the Docker SDK for Python speaks only the classic
builder, and BuildKit's cache mounts (`RUN --mount=type=cache`) are what keep pip's and
uv's downloads and built wheels from one build to the next.

A CLI builds with BuildKit when it has the `buildx` plugin, or when it is older than 23
(the client had BuildKit built in until then, switched on by DOCKER_BUILDKIT=1; from 23
on that needs buildx). `probe` tries every `docker` on PATH in order; DKENV_BUILDER
chooses instead: `classic` (the SDK and the classic text: nothing kept between builds),
`volumes` (the SDK with the package cache in named volumes, image/volumebuild.py),
`buildkit` (the probe, an error when it finds none) or the path of a docker CLI; unset or
`auto`, the probe, the SDK with the cache volumes when it finds none. The CLI is pinned to the engine the SDK talks to (engine/endpoint.cli_env).
Only `subprocess` and `os`: nothing here is imported unless an image is built.
"""
from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from typing import Callable, Mapping

from dkenv.engine import cli as dockercli
from dkenv.engine.images import BuildFailed
from dkenv.errors import ConfigError

ENV = "DKENV_BUILDER"
CHOICES = ("auto", "classic", "volumes", "buildkit")
_probed: dict[tuple, Cli | None] = {}


@dataclass(frozen=True)
class Cli:
    """A docker CLI that builds with BuildKit."""

    path: str
    version: str  # the client's, "20.10.24+dfsg1"
    buildx: bool  # through the buildx plugin, else the client's own (DOCKER_BUILDKIT=1, < 23)

    def describe(self) -> str:
        how = f"{self.path} buildx" if self.buildx else f"{self.path} {self.version}"
        return f"BuildKit through {how}"


def setting(env: Mapping[str, str] | None = None) -> str:
    """DKENV_BUILDER as set: auto, classic, volumes, buildkit or a path; ConfigError for anything else."""
    value = (os.environ if env is None else env).get(ENV, "").strip() or "auto"
    if value in CHOICES or value.startswith("/"):
        return value
    raise ConfigError(f"dkenv: {ENV}={value!r}: expected auto, classic, volumes, buildkit or the path of a docker CLI")


def choose(chosen: str, env: Mapping[str, str] | None = None,
           inspect: Callable[[str], Cli | None] | None = None) -> Cli | None:
    """The CLI to build with for the setting `chosen` (`auto`, `buildkit` or a path: the
    caller has taken `classic` and `volumes`), None when `auto` finds none."""
    env = os.environ if env is None else env
    inspect = inspect or inspect_cli
    paths = [chosen] if chosen.startswith("/") else candidates(env.get("PATH", os.defpath))
    found = next((c for c in map(inspect, paths) if c is not None), None)
    if found is None and chosen != "auto":
        where = chosen if chosen.startswith("/") else "no docker CLI on PATH"
        raise ConfigError(f"dkenv: {ENV}={chosen}: {where} cannot build with BuildKit (it needs the buildx "
                          f"plugin, or a docker CLI older than 23); unset {ENV} to use the classic builder and cache volumes")
    return found


def candidates(path: str) -> list[str]:
    """Every executable `docker` on `path`, in order, each real file once."""
    seen, found = set(), []
    for folder in path.split(os.pathsep):
        candidate = os.path.join(folder or ".", "docker")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            real = os.path.realpath(candidate)
            if real not in seen:
                seen.add(real)
                found.append(candidate)
    return found


def inspect_cli(path: str) -> Cli | None:
    """`path` as a BuildKit builder, or None (asked once per process)."""
    key = (path,)
    if key not in _probed:
        version = _output([path, "--version"])
        buildx = _output([path, "buildx", "version"]) is not None
        _probed[key] = able(path, version or "", buildx)
    return _probed[key]


def able(path: str, version_text: str, buildx: bool) -> Cli | None:
    """From `docker --version`'s text ("Docker version 20.10.24+dfsg1, build 297e128") and
    whether `docker buildx version` answered: a Cli when it builds with BuildKit. Pure."""
    m = re.search(r"version (\d+)\.(\d+)[^\s,]*", version_text)
    if m is None:
        return None
    version = m.group(0).split(" ", 1)[1]
    return Cli(path, version, buildx) if buildx or int(m.group(1)) < 23 else None


def _output(argv: list[str]) -> str | None:
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def argv(cli: Cli, context: str, tag: str, *, dockerfile: str, nocache: bool, pull: bool,
         labels: dict[str, str], buildargs: dict[str, str]) -> list[str]:
    """The `docker build` command line (plain progress: one line per event). Pure."""
    line = [cli.path, *(["buildx", "build", "--load"] if cli.buildx else ["build"]), "--progress=plain",
            "-t", tag, "-f", dockerfile]
    line += ["--no-cache"] if nocache else []
    line += ["--pull"] if pull else []
    for key, value in labels.items():
        line += ["--label", f"{key}={value}"]
    for key, value in buildargs.items():
        line += ["--build-arg", f"{key}={value}"]
    return [*line, context]


def build(command: list[str], pinned: Mapping[str, str], on_output: Callable[[str], None]) -> None:
    """Run `command` with the environment pinned to the engine and BuildKit on, passing its
    output (stdout and stderr as one) to `on_output` line by line; BuildFailed carries the
    last thing it said when it fails."""
    env = dockercli.pinned_environ(pinned)
    env["DOCKER_BUILDKIT"] = "1"
    last = ""
    try:
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, errors="replace", bufsize=1)
    except OSError as e:
        raise BuildFailed(f"cannot run {command[0]}: {e.strerror or e}") from None
    try:
        for line in process.stdout:
            on_output(line)
            if line.strip():
                last = line.strip()
    finally:
        if process.poll() is None and process.stdout is not None:
            process.kill()
        code = process.wait()
    if code != 0:
        raise BuildFailed(re.sub(r"^(error: )?(failed to solve: )?", "", last)[:300] or f"exit status {code}")


def for_endpoint(ep, chosen: str) -> Cli | None:
    """The CLI that builds with BuildKit for the engine at `ep` (engine/endpoint.Endpoint), None
    when no CLI can be pinned to it: no endpoint (an Engine not made by `connect`), or an ssh
    one (the SDK's relay). Podman, whose Docker API has no BuildKit, is the caller's to rule out."""
    if ep is None or ep.ssh:
        return None
    return choose(chosen)
