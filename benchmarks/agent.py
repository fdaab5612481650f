"""The exec agent against `docker exec`, side by side in one run: `python -c pass` through the
shim and `dkenv exec`, each with the agent and without it (DKENV_AGENT=0, the docker exec
fallback), the raw `docker exec` they replace, and a local `python3 -c pass` for reference;
then 200 `python -c pass` in a row (a test runner's pattern), and a no-op `dkenv up`
against `docker exec C true`. `dkenv` runs as the console script pip 25, pipx and uv install
(and, for one row, as older pips write it: importing `re` first).

Usage: python benchmarks/agent.py [--runs N] [--loop-runs N]   (needs a Docker Engine and
the python:3.11-slim-bookworm image). Prints markdown tables for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import DKENV, DKENV_PIP23, bench_config, compare, running_project, table  # noqa: E402

CONFIG = bench_config("bench-agent", shims=True)
CONTAINER = "dkenv-bench-agent"
OFF = {"DKENV_AGENT": "0"}
LOCAL = os.path.realpath(sys.executable)  # the host's own interpreter (not a venv's link, not a pyenv shim)
ON_PATH = shutil.which("python3")


def single(root: Path) -> dict:
    user = f"{os.getuid()}:{os.getgid()}"
    shim = str(root / ".dkenv" / "shims" / "python")
    return {
        "docker exec -i ... python -c pass": ["docker", "exec", "-i", "-u", user, "-w", str(root), CONTAINER,
                                              "python", "-c", "pass"],
        "shim: python -c pass (agent)": [shim, "-c", "pass"],
        "shim: python -c pass (DKENV_AGENT=0)": ([shim, "-c", "pass"], OFF),
        "dkenv exec python -c pass (agent)": [*DKENV, "exec", "python", "-c", "pass"],
        "dkenv exec python -c pass (DKENV_AGENT=0)": ([*DKENV, "exec", "python", "-c", "pass"], OFF),
        "dkenv exec python -c pass (DKENV_AGENT=0), pip 23's console script (imports re)":
            ([*DKENV_PIP23, "exec", "python", "-c", "pass"], OFF),
        f"local: {LOCAL} -c pass": [LOCAL, "-c", "pass"],
        f"local: {LOCAL} -I -S -c pass (the agent's client alone starts so)": [LOCAL, "-I", "-S", "-c", "pass"],
        **({f"local: python3 -c pass, python3 on PATH being {ON_PATH}": [ON_PATH, "-c", "pass"]}
           if ON_PATH and os.path.realpath(ON_PATH) != LOCAL else {}),
    }


def loops(root: Path, count: int) -> dict:
    user = f"{os.getuid()}:{os.getgid()}"
    shim = shlex.quote(str(root / ".dkenv" / "shims" / "python"))
    raw = f"docker exec -i -u {user} -w {shlex.quote(str(root))} {CONTAINER} python -c pass"
    local = shlex.quote(LOCAL)

    def loop(command: str) -> list[str]:
        return ["sh", "-c", f"i=0; while [ $i -lt {count} ]; do {command} </dev/null || exit; i=$((i+1)); done"]

    return {
        f"{count}x docker exec -i ... python -c pass": loop(raw),
        f"{count}x shim python -c pass (agent)": loop(f"{shim} -c pass"),
        f"{count}x shim python -c pass (DKENV_AGENT=0)": (loop(f"{shim} -c pass"), OFF),
        f"{count}x local {LOCAL} -c pass": loop(f"{local} -c pass"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--loop-runs", type=int, default=5)
    parser.add_argument("--loop-count", type=int, default=200)
    args = parser.parse_args()
    with running_project(CONFIG) as (root, env):
        import subprocess

        subprocess.run([*DKENV, "rehash"], cwd=root, env=env, check=True, capture_output=True)
        if not (root / ".dkenv" / "agent" / "agent.sock").exists():
            raise SystemExit("the agent is not listening: nothing to compare")
        medians = compare(single(root), runs=args.runs, cwd=root, env=env)
        loop_medians = compare(loops(root, args.loop_count), runs=args.loop_runs, cwd=root, env=env, warmup=1)
        up = compare({"docker exec C true": ["docker", "exec", CONTAINER, "true"],
                      "dkenv up (nothing to do)": [*DKENV, "up"]}, runs=args.runs, cwd=root, env=env)
    print(table(medians, "docker exec -i ... python -c pass", args.runs))
    print()
    print(table(loop_medians, f"{args.loop_count}x docker exec -i ... python -c pass", args.loop_runs))
    print()
    print(table(up, "docker exec C true", args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
