"""Two dkenv trees side by side, interleaved in one run: the shim, `dkenv exec` and a no-op
`dkenv up`, each tree against the raw `docker exec` of its own project. For a change to the
fast paths: its "before" and "after" under the same load (a shared, loaded machine).

Each tree is given as the Python that imports it (a venv with that dkenv installed, or
`PYTHON:SRC` for a source tree put first on PYTHONPATH); each gets its own project and
container (the two write different generated files and caches, so one project would make
every run of each a miss for the other). Rounds run every case of both trees once, in turn.

Usage: python benchmarks/versus.py --before PYTHON[:SRC] [--after PYTHON[:SRC]] [--runs N]
(needs a Docker Engine and python:3.11-slim-bookworm). Prints markdown tables.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import WRAPPER, bench_config, time_once  # noqa: E402

BASE = "docker exec -i ... python -c pass"


def cpu_once(argv: list[str], cwd, env) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and everything it waited for: user + system).
    The CPU time varies less with the machine's load than the wall time does."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time_once(argv, cwd=cwd, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime

OFF = {"DKENV_AGENT": "0"}


@contextlib.contextmanager
def tree_project(label: str, spec: str, bin_dir: Path):
    """A project for the tree `spec` (PYTHON or PYTHON:SRC), up for the block: (root, env, dkenv)."""
    python, _, src = spec.partition(":")
    env = {**os.environ}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if src:
        env["PYTHONPATH"] = src
    else:
        env.pop("PYTHONPATH", None)
    package = subprocess.run([python, "-c", "import dkenv, os; print(os.path.dirname(dkenv.__file__))"], env=env,
                             check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run([python, "-m", "compileall", "-q", package], env=env, check=True, capture_output=True)
    (bin_dir / label).mkdir()
    dkenv = bin_dir / label / "dkenv"
    dkenv.write_text(WRAPPER.format(python=python))
    dkenv.chmod(0o755)
    with tempfile.TemporaryDirectory(prefix=f"dkenv-bench-{label}-") as folder:
        root = Path(folder)
        (root / ".dkenv.toml").write_text(bench_config(f"bench-{label}", shims=True))
        env["PWD"] = str(root)
        subprocess.run([str(dkenv), "up"], cwd=root, env=env, check=True, capture_output=True)
        subprocess.run([str(dkenv), "rehash"], cwd=root, env=env, check=True, capture_output=True)
        try:
            yield root, env, str(dkenv), package
        finally:
            subprocess.run([str(dkenv), "down"], cwd=root, env=env, capture_output=True)


def cases(label: str, root: Path, dkenv: str) -> dict[str, tuple[list[str], dict]]:
    user = f"{os.getuid()}:{os.getgid()}"
    container = f"dkenv-bench-{label}"
    shim = str(root / ".dkenv" / "shims" / "python")
    return {
        f"{label}: docker exec -i ... python -c pass": (["docker", "exec", "-i", "-u", user, "-w", str(root),
                                                         container, "python", "-c", "pass"], {}),
        f"{label}: shim python -c pass (agent)": ([shim, "-c", "pass"], {}),
        f"{label}: shim python -c pass (DKENV_AGENT=0)": ([shim, "-c", "pass"], OFF),
        f"{label}: dkenv exec python -c pass (agent)": ([dkenv, "exec", "python", "-c", "pass"], {}),
        f"{label}: dkenv exec python -c pass (DKENV_AGENT=0)": ([dkenv, "exec", "python", "-c", "pass"], OFF),
        f"{label}: dkenv up (nothing to do)": ([dkenv, "up"], {}),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="PYTHON or PYTHON:SRC of the tree before")
    parser.add_argument("--after", default=sys.executable, help="PYTHON or PYTHON:SRC of the tree after")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    bin_dir = Path(tempfile.mkdtemp(prefix="dkenv-bench-versus-"))
    try:
        with tree_project("before", args.before, bin_dir) as before, tree_project("after", args.after, bin_dir) as after:
            runs = {}
            for label, (root, env, dkenv, package) in (("before", before), ("after", after)):
                print(f"{label}: dkenv from {package}", file=sys.stderr)
                for name, (argv, extra) in cases(label, root, dkenv).items():
                    runs[name] = (argv, root, {**env, **extra})
            samples: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
            for round_number in range(args.warmup + args.runs):
                for name, (argv, root, env) in runs.items():
                    sample = cpu_once(argv, root, env)
                    if round_number >= args.warmup:
                        samples[name].append(sample)
    finally:
        shutil.rmtree(bin_dir, ignore_errors=True)
    wall = {name: statistics.median(w for w, _ in values) for name, values in samples.items()}
    cpu = {name: statistics.median(c for _, c in values) for name, values in samples.items()}
    base = statistics.mean(wall[f"{label}: {BASE}"] for label in ("before", "after"))  # the same call twice
    print(f"| command | median (ms, {args.runs} runs) | ratio to `{BASE}` (both trees' mean) | CPU (ms) | "
          "after / before (wall, CPU) |")
    print("|---|---:|---:|---:|---:|")
    for name in wall:
        label, _, case = name.partition(": ")
        versus = ""
        if label == "after":
            versus = (f"{wall[name] / wall['before: ' + case]:.2f}, "
                      f"{cpu[name] / cpu['before: ' + case]:.2f}")
        print(f"| `{name}` | {wall[name] * 1000:.1f} | {wall[name] / base:.2f}x | {cpu[name] * 1000:.1f} | {versus} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
