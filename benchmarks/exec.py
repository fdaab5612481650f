"""`dkenv exec true` and a no-op `dkenv up` against a raw `docker exec`, in one run.

Usage: python benchmarks/exec.py [--runs N]   (needs a Docker Engine and the
python:3.11-slim-bookworm image). Prints a markdown table for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import compare, table  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CONFIG = """\
[project]
name = "bench-exec"
[image]
base = "python:3.11-slim-bookworm"
python = "3.11"
install = "none"
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    dkenv = [sys.executable, "-m", "dkenv"]
    with tempfile.TemporaryDirectory(prefix="dkenv-bench-") as folder:
        root = Path(folder)
        (root / ".dkenv.toml").write_text(CONFIG)
        subprocess.run([*dkenv, "up"], cwd=root, env=env, check=True, capture_output=True)
        try:
            medians = compare({
                "docker exec dkenv-bench-exec true": ["docker", "exec", "dkenv-bench-exec", "true"],
                "dkenv exec true": [*dkenv, "exec", "true"],
                "dkenv up (no-op)": [*dkenv, "up"],
            }, runs=args.runs, cwd=root, env=env)
        finally:
            subprocess.run([*dkenv, "down"], cwd=root, env=env, capture_output=True)
    print(table(medians, "docker exec dkenv-bench-exec true", args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
