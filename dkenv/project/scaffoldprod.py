"""The `[production]` table of the `.dkenv.toml` that `dkenv init` writes: every key
commented, showing what dkenv chose for the project (detect/production.py). Pure text."""
from __future__ import annotations

import json
import textwrap

from dkenv.detect.production import Server


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def production_toml(server: Server | None, port: int) -> str:
    """[production], every key commented: unset, each follows the project (the framework's
    server and migrations, found again at each build)."""
    server = server or Server(None, "")
    lines = [
        "[production]",
        "# `dkenv build --production` and `dkenv export production`: the image that ships, from this",
        "# file, without the development extras and groups (docs/production.md).",
    ]
    if server.command:
        lines += ["# The server; unset: what dkenv chose for this project,",
                  *("# " + line for line in textwrap.wrap(server.reason + ".", 86)),
                  f"# command = {_q(server.command)}"]
    else:
        lines += [f"# The server, needed by the production image ({server.reason}), e.g.:",
                  '# command = "gunicorn myapp.wsgi:application --bind 0.0.0.0:8000"']
    release = server.release or ""
    lines += [
        "# gunicorn's workers; 0: $WEB_CONCURRENCY at start, else 2 x CPUs + 1, at most 8.",
        "# workers = 0",
        "# The port the server listens on; unset: run.ports' first container port, else 8000.",
        f"# port = {port}",
        "# Run once before the app starts, as its own container (migrations); \"\" for none.",
        f"# release = {_q(release)}" + (f"  # {server.release_reason}" if server.release_reason else ""),
        "# Production variables, set in compose.production.yaml, never in the image:",
        '# "" means required at deploy time (a secret). E.g. { DJANGO_DEBUG = "0", SECRET_KEY = "" }.',
        "# env = {}",
        "# The extras and dependency groups installed (none unless named: no development ones).",
        "# extras = []",
        "# groups = []",
        "# pip only: the requirements files (default: the main one, requirements.txt).",
        "# requirements = []",
        "# The runtime stage's Debian packages; unset: image.apt without compilers, -dev as libraries.",
        "# apt = []",
        '# The path the HEALTHCHECK asks over HTTP ("" for none).',
        '# healthcheck = "/"',
    ]
    return "\n".join(lines) + "\n"
