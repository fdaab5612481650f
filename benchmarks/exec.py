"""`dkenv exec true` and a no-op `dkenv up` against a raw `docker exec`, in one run.

Usage: python benchmarks/exec.py [--runs N]   (needs a Docker Engine and the
python:3.11-slim-bookworm image). Prints a markdown table for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import DKENV, bench_config, compare, running_project, table  # noqa: E402

CONFIG = bench_config("bench-exec")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with running_project(CONFIG) as (root, env):
        medians = compare({
            "docker exec dkenv-bench-exec true": ["docker", "exec", "dkenv-bench-exec", "true"],
            "dkenv exec true": [*DKENV, "exec", "true"],
            "dkenv up (no-op)": [*DKENV, "up"],
        }, runs=args.runs, cwd=root, env=env)
    print(table(medians, "docker exec dkenv-bench-exec true", args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
