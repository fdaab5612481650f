"""A shim against a raw `docker exec`, for `python -c pass`, side by side in one run.

The shim's docker exec path (container known running, DKENV_AGENT=0: the path without the
exec agent, and the one of a terminal on both ends) is sh + docker exec, no Python on the
host; the target is at most 10% over the raw call. benchmarks/agent.py measures the agent. Without a terminal both use `-i`
(the shim adds setsid, a token and signal traps); with `--tty` both also run under
`script` (a pseudo-terminal, so `-it`). `dkenv exec` is shown for reference.

Usage: python benchmarks/shims.py [--runs N] [--tty]   (needs a Docker Engine and the
python:3.11-slim-bookworm image). Prints a markdown table for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import DKENV, bench_config, compare, running_project, table  # noqa: E402

OFF = {"DKENV_AGENT": "0"}
CONFIG = bench_config("bench-shims", shims=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--tty", action="store_true", help="also compare under a pseudo-terminal (script)")
    args = parser.parse_args()
    with running_project(CONFIG) as (root, env):
        subprocess.run([*DKENV, "rehash"], cwd=root, env=env, check=True, capture_output=True)
        container = "dkenv-bench-shims"
        user = f"{os.getuid()}:{os.getgid()}"
        raw = ["docker", "exec", "-i", "-u", user, "-w", str(root), container, "python", "-c", "pass"]
        shim = [str(root / ".dkenv" / "shims" / "python"), "-c", "pass"]
        cases = {
            "docker exec -i ... python -c pass": raw,
            "shim: python -c pass": (shim, OFF),
            "dkenv exec python -c pass": ([*DKENV, "exec", "python", "-c", "pass"], OFF),
        }
        if args.tty and shutil.which("script"):
            raw_tty = ["docker", "exec", "-it", "-u", user, "-w", str(root), container, "python", "-c", "pass"]
            cases["script: docker exec -it ... python -c pass"] = ["script", "-qec", shlex.join(raw_tty), "/dev/null"]
            cases["script: shim python -c pass"] = (["script", "-qec", shlex.join(shim), "/dev/null"], OFF)
        medians = compare(cases, runs=args.runs, cwd=root, env=env)
    print(table(medians, "docker exec -i ... python -c pass", args.runs))
    raw_median = medians["docker exec -i ... python -c pass"]
    overhead = medians["shim: python -c pass"] / raw_median - 1
    print(f"\nshim overhead without a terminal: {overhead * 100:+.1f}% "
          f"({(medians['shim: python -c pass'] - raw_median) * 1000:+.1f} ms)")
    if "script: shim python -c pass" in medians:
        tty_raw = medians["script: docker exec -it ... python -c pass"]
        tty_overhead = medians["script: shim python -c pass"] / tty_raw - 1
        print(f"shim overhead with a terminal: {tty_overhead * 100:+.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
