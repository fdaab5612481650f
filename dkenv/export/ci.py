"""CI workflows that test in the project image (`dkenv ci github|gitlab`): pull
REGISTRY/NAME:TAG when the registry has it (the tag is a hash of the image's inputs,
computed without Docker), else build with dkenv and push; start the services; run the
test command inside; stop. The steps are plain shell, the same for both providers."""
from __future__ import annotations

from pathlib import Path

from dkenv import __version__, fileio, yamltext

PROVIDERS = ("github", "gitlab")
DEFAULT_REGISTRY = {"github": "ghcr.io/${{ github.repository_owner }}", "gitlab": "$CI_REGISTRY_IMAGE"}
OUTPUT = {"github": ".github/workflows/dkenv.yml", "gitlab": ".gitlab-ci.yml"}


def install_spec(origin: dict | None, version: str = __version__) -> tuple[str, str | None]:
    """What the workflow installs to get this dkenv, from how this one was installed (PEP 610's
    direct_url.json, `origin`): from a VCS, the same repository at the same commit; from a URL,
    that URL; from an index (no origin), `dkenv==VERSION`. From a local folder or file there is
    nothing CI can reach: `dkenv==VERSION`, and a note (the second value) naming --install."""
    if origin:
        url, vcs = origin.get("url", ""), origin.get("vcs_info")
        if vcs and url:
            commit = vcs.get("commit_id") or vcs.get("requested_revision")
            return (f"{vcs.get('vcs', 'git')}+{url}" + (f"@{commit}" if commit else "")), None
        if url.startswith(("https://", "http://")) and "archive_info" in origin:
            return url, None
        if url.startswith("file:"):
            return f"dkenv=={version}", (
                f"dkenv was installed from {url.removeprefix('file://')}, which CI cannot reach: the workflow "
                f"installs dkenv=={version} from PyPI; pass --install SPEC (e.g. git+https://HOST/OWNER/dkenv@REV) "
                "when that version is not published")
    return f"dkenv=={version}", None


def installed_origin() -> dict | None:
    """The running dkenv's direct_url.json (PEP 610), or None (installed from an index, or run
    from a source tree)."""
    import json
    from importlib import metadata

    try:
        text = metadata.distribution("dkenv").read_text("direct_url.json")
        return json.loads(text) if text else None
    except (metadata.PackageNotFoundError, ValueError):
        return None

# REGISTRY unset or empty: build every time. The tag names the inputs, so a pulled image
# is the one dkenv would build; a push that is refused (a fork's token) is not an error.
PULL_OR_BUILD = """\
image=$(dkenv tag --full)
if [ -z "${REGISTRY:-}" ]; then
  dkenv build
else
  remote=$(printf '%s/%s' "$REGISTRY" "${image#dkenv/}" | tr '[:upper:]' '[:lower:]')
  if docker pull "$remote"; then
    docker tag "$remote" "$image"
  else
    dkenv build
    docker tag "$image" "$remote"
    docker push "$remote" || echo "dkenv: could not push $remote; the next run builds again"
  fi
fi
"""


def header(provider: str) -> str:
    return (f"# {fileio.MARK} (`dkenv ci {provider}`) from .dkenv.toml: tests run in the project image.\n"
            "# The image is pulled from REGISTRY under its content tag (`dkenv tag`), else built and pushed.\n")


def git_root(start: Path) -> Path:
    """The repository's root (where CI files live), else `start` itself."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def github(*, workdir: str, registry: str, test: str, install: str) -> dict:
    login = {"registry": registry.split("/")[0], "username": "${{ github.actor }}",
             "password": "${{ secrets.GITHUB_TOKEN }}"} if registry.startswith("ghcr.io") else \
        {"registry": registry.split("/")[0], "username": "${{ secrets.REGISTRY_USERNAME }}",
         "password": "${{ secrets.REGISTRY_PASSWORD }}"}
    steps = [
        {"uses": "actions/checkout@v4"},
        {"name": "Install dkenv", "run": f"pipx install {shell_word(install)}"},
    ]
    if registry:
        steps.append({"name": "Log in to the registry", "uses": "docker/login-action@v3", "with": login,
                      "continue-on-error": True})
    steps += [
        {"name": "Pull the project image, or build and push it", "run": PULL_OR_BUILD},
        {"name": "Start the services", "run": "dkenv up --no-build"},
        {"name": "Test", "run": test},
        {"name": "Stop", "if": "always()", "run": "dkenv down"},
    ]
    job: dict = {"runs-on": "ubuntu-latest", "permissions": {"contents": "read", "packages": "write"}}
    if workdir != ".":
        job["defaults"] = {"run": {"working-directory": workdir}}
    job["env"] = {"REGISTRY": registry}
    job["steps"] = steps
    return {"name": "dkenv", "on": {"push": None, "pull_request": None}, "jobs": {"test": job}}


def gitlab(*, workdir: str, registry: str, test: str, install: str) -> dict:
    """A job on the Docker executor with a docker:dind service (the runner mounts /builds
    into services, so the same-path mount works)."""
    cd = [f"cd {shell_word(workdir)}"] if workdir != "." else []
    before = [
        "apk add --no-cache python3",
        f"python3 -m venv /opt/dkenv && /opt/dkenv/bin/pip install --quiet {shell_word(install)}",
        "export PATH=/opt/dkenv/bin:$PATH",
        'if [ -n "${REGISTRY:-}" ] && [ -n "${CI_REGISTRY:-}" ]; then '
        'echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"; fi',
        *cd,
    ]
    job = {
        "stage": "test",
        "image": "docker:27-cli",
        "services": [{"name": "docker:27-dind", "alias": "docker"}],
        "variables": {"DOCKER_HOST": "tcp://docker:2375", "DOCKER_TLS_CERTDIR": "", "REGISTRY": registry},
        "before_script": before,
        "script": [PULL_OR_BUILD, "dkenv up --no-build", test],
        "after_script": ["export PATH=/opt/dkenv/bin:$PATH", *cd, "dkenv down"],
    }
    return {"stages": ["test"], "dkenv-test": job}


def render(provider: str, **options) -> str:
    doc = github(**options) if provider == "github" else gitlab(**options)
    return header(provider) + yamltext.dump(doc)


def shell_word(word: str) -> str:
    import shlex

    return shlex.quote(word)
