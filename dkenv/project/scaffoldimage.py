"""The [image] table of the `.dkenv.toml` that `dkenv init` writes (project/scaffold.py
writes the rest): the base, the Python and why, the installer, the extras and groups, the
Debian packages and the requirements files detection found, each key with its default
commented. Pure text.
"""
from __future__ import annotations

import json
import textwrap

from dkenv import installers
from dkenv.detect.detection import Detection


def toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are all valid TOML escapes)."""
    return json.dumps(value, ensure_ascii=False)


def toml_list(values: list[str]) -> str:
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def image_toml(detection: Detection, base: str, python: str | None, reason: str) -> str:
    lines = [
        "[image]",
        "# The image the environment is built on. An official python image brings its own",
        "# Python; any Debian or Ubuntu image works too (Python then comes from apt or uv).",
        f"base = {toml_string(base)}",
        *_python_lines(python, reason),
        '# Where Python comes from: "auto" (the image\'s own for python images, else the',
        '# distribution\'s python3 when it is this version, else uv), "image", "system" or "uv".',
        '# python_from = "auto"',
        '# Debian packages installed first: build tools and the C libraries dependencies need,',
        '# e.g. ["build-essential", "libpq-dev"].',
    ]
    lines += _apt_lines(detection)
    lines += [
        '# How dependencies are installed: "auto" (detected at build time), "pip", "poetry",',
        '# "pipenv", "uv", "pdm", "pyproject" (PEP 621 dependencies, with pip) or "none".',
    ]
    if detection.manager == "none":
        lines += ["# Nothing to install was found: no requirements*.txt, pyproject.toml, Pipfile or lock.",
                  '# install = "auto"']
    else:
        lines.append(f"install = {toml_string(detection.manager)}")
    lines += _requirements_lines(detection)
    lines += [
        '# A shell script of the project (e.g. "dkenv-setup.sh"), run as root while building,',
        "# after apt: for anything apt and the installer do not cover.",
        '# setup = ""',
        '# "auto" copies the host\'s CA certificates (/usr/local/share/ca-certificates) into',
        '# the image, for networks that intercept TLS; "none" does not.',
        '# extra_ca = "auto"',
        "# The extras ([project.optional-dependencies], Poetry's) and dependency groups (PEP 735,",
        "# Poetry's, PDM's; Pipenv's categories, dev for [dev-packages]) installed. Unset: the",
        "# tool's own default (docs/projects.md); `dkenv init` writes the development ones found.",
    ]
    lines += _selection_lines(detection)
    lines += [
        "# The app's folder, when it is not the project root (a monorepo, a uv workspace member):",
        "# its manifests are installed and run.command runs there.",
        f"workdir = {toml_string(detection.workdir)}" if detection.workdir else '# workdir = ""',
    ]
    return "\n".join(lines) + "\n"


def _python_lines(python: str | None, reason: str) -> list[str]:
    if python is None:
        text = ("The Python version, X.Y: unset, so the build uses the base image's own "
                f"({reason}). Set it to have the build check the version.")
        return ["# " + line for line in textwrap.wrap(text, 86)]
    text = "The Python version, X.Y" + (f". `dkenv init` chose {python}: {reason}." if reason else ".")
    return ["# " + line for line in textwrap.wrap(text, 86)] + [f"python = {toml_string(python)}"]


def _selection_lines(detection: Detection) -> list[str]:
    """image.extras and image.groups: set to the development ones found (extras are opt-in
    in every tool, so a proposal is written out); groups only when the tool's default would
    leave a development group out (written out, a default stops following the project)."""
    choices = detection.choices
    extras, groups = choices.proposed_extras(), choices.proposed_groups()
    others = [e for e in choices.extras if e not in extras]
    if extras:
        also = f"; also: {', '.join(others)}" if others else ""
        lines = [f"extras = {toml_list(extras)}  # found in {choices.extras_from}{also}"]
    elif others:
        lines = [f"# extras = []  # {choices.extras_from} declares {', '.join(others)}"]
    else:
        lines = ["# extras = []"]
    default = choices.default_groups
    others = [g for g in choices.groups if g not in groups]
    also = f"; also: {', '.join(others)}" if others else ""
    if set(groups) != set(default):
        lines.append(f"groups = {toml_list(groups)}  # found in {choices.groups_from}; "
                     f"the default: {', '.join(default) or 'none'}{also}")
    elif groups:
        lines.append(f"# groups = {toml_list(groups)}  # the default, found in {choices.groups_from}{also}")
    elif others:
        lines.append(f"# groups = []  # {choices.groups_from} declares {', '.join(others)}")
    else:
        lines.append("# groups = []")
    return lines


def _apt_lines(detection: Detection) -> list[str]:
    if not detection.apt:
        return ["# apt = []"]
    lines = ["apt = ["]
    for package in detection.apt:
        users = detection.apt_for.get(package, [])
        lines.append(f"    {toml_string(package)}," + (f"  # {', '.join(users)}" if users else ""))
    lines.append("]")
    return lines


def _requirements_lines(detection: Detection) -> list[str]:
    if detection.manager == "none" or not installers.get(detection.manager).takes_requirements:
        return ['# pip only: the requirements files, installed with -r (default: detected).',
                "# requirements = []"]
    lines = ["# The requirements files, installed with -r."]
    if detection.constraints:
        lines += [f"# Left to detection so that {', '.join(detection.constraints)} is passed with -c too:",
                  f"# requirements = {toml_list(detection.requirements)}"]
    else:
        lines.append(f"requirements = {toml_list(detection.requirements)}")
    return lines


