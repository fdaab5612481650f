"""The first process of a new project container importing a large set of packages (the
build benchmark's Django API, benchmarks/build-requirements.txt), now that the image holds
no bytecode and the container compiles its venv in the background as it starts
(docs/design.md "Bytecode"). In one run, interleaved, medians:

- `at once`: the import run by `docker exec` as soon as `dkenv up` has (re)created the
  container: it races the warm-up and compiles what it imports that is not done yet;
- `after the warm-up`: the same in a new container once its warm-up has finished (what a
  developer who types a command some seconds after `up` meets);
- `again`: the same import a second time in that container (everything read from the cache).

Usage (as the unprivileged user that uses dkenv): python benchmarks/firstimport.py [--rounds N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import compiling  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
IMPORTS = ("import django.contrib.admin, django.db.models, rest_framework, celery, boto3, pydantic, requests, "
           "cryptography.fernet, PIL.Image, pytest")
CONFIG = ('[project]\nname = "benchimport"\n[image]\nbase = "python:3.11-slim-bookworm"\npython = "3.11"\n'
          'install = "pip"\n')


class Project:
    def __init__(self, folder: Path):
        self.root = folder
        (folder / ".dkenv.toml").write_text(CONFIG)
        (folder / "requirements.txt").write_text((REPO / "benchmarks" / "build-requirements.txt").read_text())
        self.env = {**os.environ, "PYTHONPATH": str(REPO)}

    def dkenv(self, *args: str) -> None:
        subprocess.run([sys.executable, "-m", "dkenv", *args], cwd=self.root, env=self.env, check=True,
                       capture_output=True)

    def container(self) -> str:
        names = subprocess.run(["docker", "ps", "-q", "--filter", f"label=dkenv.root={self.root.resolve()}"],
                               capture_output=True, text=True, check=True).stdout.split()
        return names[0]

    def fresh(self) -> str:
        """The project container made anew (the image kept): its warm-up starts."""
        self.dkenv("down")
        self.dkenv("up")
        return self.container()


def timed_import(container: str) -> float:
    start = time.perf_counter()
    subprocess.run(["docker", "exec", container, "python", "-c", IMPORTS], check=True, capture_output=True)
    return time.perf_counter() - start


def settle(container: str, within: float = 300) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not compiling(container):
            return
        time.sleep(0.2)
    raise SystemExit(f"the warm-up of {container} did not end within {within} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    samples: dict[str, list[float]] = {}
    started = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="dkenv-bench-import-") as folder:
        project = Project(Path(folder))
        project.dkenv("up")
        try:
            for _ in range(args.rounds):
                container = project.fresh()
                samples.setdefault("at once", []).append(timed_import(container))
                container = project.fresh()
                begun = time.perf_counter()
                settle(container)
                samples.setdefault("the warm-up itself (until it ends)", []).append(time.perf_counter() - begun)
                samples.setdefault("after the warm-up", []).append(timed_import(container))
                samples.setdefault("again", []).append(timed_import(container))
        finally:
            project.dkenv("down")
    load = os.getloadavg()
    print(f"load average {started[0]:.2f} at the start, {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end; "
          f"{os.cpu_count()} cores; {args.rounds} rounds")
    print("| case | median (s) | all (s) |\n|---|---:|---|")
    for name, values in samples.items():
        print(f"| {name} | {statistics.median(values):.2f} | {' '.join(f'{v:.2f}' for v in values)} |")


if __name__ == "__main__":
    main()
