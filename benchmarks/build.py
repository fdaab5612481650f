"""Building the development image of a ~70-package Django API (benchmarks/build-requirements.txt:
24 pins, 73 packages installed, all wheels) against the same installs done locally, in one run.

Usage (as the unprivileged user that uses dkenv, with /usr/bin/python3 and uv from PyPI):
    python benchmarks/build.py [--rounds N] [--uv PATH]
The engine is the one dkenv and the docker CLI reach (DOCKER_HOST: a rootless Docker, Podman's
Docker API); DKENV_BUILDER chooses the route (`volumes`: the cache volumes on any engine).

Cases, each round running every case once (interleaved, so load hits all alike); medians:
- cold: `dkenv build` of a dependency step never built (a new comment in the requirements
  makes the layer new, and the project's images are removed first, so that it is not an
  incremental step on one of them) with the package cache emptied first (`empty_caches`:
  every route's; for BuildKit `docker builder prune --filter type=exec.cachemount`, which
  clears every cache mount of the engine), the layers before it cached; against `uv venv` + `uv pip install -r` with an
  empty UV_CACHE_DIR, and `python3 -m venv` + `pip install --no-cache-dir -r`;
- warm-cold: the same dkenv build with the cache warm (another project's packages);
  against uv into a fresh venv with the cache warm;
- add / bump / remove one package, `dkenv up`, once the container of the previous
  requirements has finished its bytecode warm-up (`Bench.settle`) (add and bump: an incremental step on the
  previous image; remove: a build from the start from the warm cache; the container
  recreated, the IDE's copy of site-packages updated); against, in a venv holding the
  previous requirements with the cache warm, `uv pip install -r` of the changed file (add,
  bump: what a developer types) or `uv pip compile` + `uv pip sync` of it (remove: what
  takes a package away; also what dkenv's incremental step runs), and `pip install
  --no-cache-dir -r` of it (add and bump; pip does not remove).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REQUIREMENTS = (REPO / "benchmarks" / "build-requirements.txt").read_text()
CHANGES = {
    "add": REQUIREMENTS + "humanize==4.9.0\n",
    "bump": REQUIREMENTS.replace("requests==2.32.2", "requests==2.32.3"),
    "remove": REQUIREMENTS.replace("factory-boy==3.3.0\n", ""),
}
CONFIG = ('[project]\nname = "benchbuild"\n[image]\nbase = "python:3.11-slim-bookworm"\npython = "3.11"\n'
          'install = "pip"\n')


def timed(argv: list[str], **kw) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, **kw)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed, done.stderr


class Bench:
    def __init__(self, uv: str, work: Path):
        self.uv, self.work = uv, work
        self.project = work / "project"
        self.project.mkdir()
        (self.project / ".dkenv.toml").write_text(CONFIG)
        self.env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.nonce = 0
        self.sizes: list[str] = []
        self.said: list[str] = []  # each timed dkenv's build line: the route, the steps cached

    def forget_images(self) -> None:
        """The project's container and images gone: the next build is not a step on one of them."""
        subprocess.run([sys.executable, "-m", "dkenv", "down"], cwd=self.project, env=self.env, capture_output=True)
        ids = subprocess.run(["docker", "images", "-q", "--filter", f"label=dkenv.root={self.project.resolve()}"],
                             capture_output=True, text=True, check=True).stdout.split()
        if ids:
            subprocess.run(["docker", "rmi", "-f", *sorted(set(ids))], capture_output=True)

    def settle(self, within: float = 120) -> None:
        """Until the project container's bytecode warm-up (image/bytecode.WARM_UP) is done: a
        developer's next edit comes later than the next line of a script."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            names = subprocess.run(["docker", "ps", "-q", "--filter", f"label=dkenv.root={self.project.resolve()}"],
                                   capture_output=True, text=True).stdout.split()
            busy = [n for n in names if compiling(n)]
            if not busy:
                return
            time.sleep(0.2)

    def dkenv(self, verb: str, text: str) -> float:
        """`dkenv VERB` with the requirements `text` plus a comment never used before (a new layer)."""
        self.nonce += 1
        (self.project / "requirements.txt").write_text(text + f"# bench {os.getpid()} {self.nonce}\n")
        seconds, err = timed([sys.executable, "-m", "dkenv", verb], cwd=self.project, env=self.env)
        size = re.search(r"dkenv: built \S+ in .*?\(([\d.]+ [KMG]B)\)", err)
        if size:
            self.sizes.append(size.group(1))
        self.said += [f"{verb}: {line}" for line in err.splitlines()
                      if re.match(r"dkenv: (building|built) ", line)]
        return seconds

    def local_uv(self, text: str, *, cache: Path, venv: Path | None = None, sync: bool = False) -> float:
        """uv into `venv` (a fresh one when None), the cache at `cache`; with `sync`, `uv pip compile`
        then `uv pip sync` of its result."""
        req = self.work / "req.txt"
        req.write_text(text)
        env = {"UV_NATIVE_TLS": "1", **os.environ, "UV_CACHE_DIR": str(cache)}  # a TLS-inspecting proxy's CA
        if venv is None:  # the previous fresh venv removed before the clock starts: not part of an install
            venv = self.work / "fresh-venv"
            shutil.rmtree(venv, ignore_errors=True)
        start = time.perf_counter()
        if not (venv / "pyvenv.cfg").exists():
            subprocess.run([self.uv, "venv", "-q", "--python", "/usr/bin/python3", str(venv)], env=env, check=True)
        python = ["--python", str(venv / "bin" / "python")]
        if sync:
            resolved = self.work / "resolved.txt"
            subprocess.run([self.uv, "pip", "compile", "-q", *python, "--no-emit-package", "pip", "--no-emit-package",
                            "setuptools", str(req), "-o", str(resolved)], env=env, check=True)
            subprocess.run([self.uv, "pip", "sync", "-q", *python, str(resolved)], env=env, check=True)
        else:
            subprocess.run([self.uv, "pip", "install", "-q", *python, "-r", str(req)], env=env, check=True)
        return time.perf_counter() - start

    def local_pip(self, text: str, venv: Path | None = None) -> float:
        req = self.work / "req.txt"
        req.write_text(text)
        if venv is None:
            venv = self.work / "pip-venv"
            shutil.rmtree(venv, ignore_errors=True)  # before the clock starts, as for uv
        start = time.perf_counter()
        if not (venv / "bin" / "pip").exists():
            subprocess.run(["/usr/bin/python3", "-m", "venv", str(venv)], check=True)
        bundle = "/etc/ssl/certs/ca-certificates.crt"  # the system's CAs (a TLS-inspecting proxy's), as in the image
        env = {**({"PIP_CERT": bundle} if os.path.isfile(bundle) else {}), **os.environ}
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-cache-dir", "--disable-pip-version-check",
                        "-r", str(req)], check=True, env=env)
        return time.perf_counter() - start


def compiling(container: str) -> bool:
    """Whether a Python of `container` runs compileall (the warm-up; not the shell whose
    script names it)."""
    lines = subprocess.run(["docker", "top", container], capture_output=True, text=True).stdout.splitlines()[1:]
    commands = [line.split(None, 7)[-1] for line in lines if len(line.split(None, 7)) == 8]
    return any("python" in c.split()[0] and "compileall" in c for c in commands)


def empty_caches() -> None:
    """Every route's package cache emptied (docs/design.md "Build routes and the package cache"):
    BuildKit's cache mounts (all of the engine's), the cache volumes, Podman's builder's
    cache mounts (Buildah's folder, its files owned by the user namespace's IDs)."""
    subprocess.run(["docker", "builder", "prune", "-f", "--filter", "type=exec.cachemount"], capture_output=True)
    uid = os.getuid()
    subprocess.run(["docker", "volume", "rm", "-f", f"dkenv-pip-{uid}", f"dkenv-uv-{uid}"], capture_output=True)
    if shutil.which("podman"):
        for folder in (f"/var/tmp/buildah-cache-{uid}", "/var/tmp/buildah-cache"):
            for tool in ("pip", "uv"):
                subprocess.run(["podman", "unshare", "rm", "-rf", f"{folder}/dkenv-{tool}-{uid}"], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--uv", default=shutil.which("uv") or "uv")
    args = parser.parse_args()
    samples: dict[str, list[float]] = {}

    def add(name: str, seconds: float) -> None:
        samples.setdefault(name, []).append(seconds)

    started = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="dkenv-bench-build-") as folder:
        bench = Bench(args.uv, Path(folder))
        warm_cache = Path(folder) / "uv-cache-warm"
        bench.dkenv("up", REQUIREMENTS)  # the layers before the dependencies, and the cache, once
        bench.local_uv(REQUIREMENTS, cache=warm_cache)
        try:
            for _ in range(args.rounds):
                bench.forget_images()
                empty_caches()
                add("cold: dkenv build", bench.dkenv("build", REQUIREMENTS))
                cold = Path(folder) / "uv-cache-cold"
                shutil.rmtree(cold, ignore_errors=True)
                add("cold: local uv", bench.local_uv(REQUIREMENTS, cache=cold))
                add("cold: local pip", bench.local_pip(REQUIREMENTS))
                bench.forget_images()
                add("warm: dkenv build", bench.dkenv("build", REQUIREMENTS))
                add("warm: local uv", bench.local_uv(REQUIREMENTS, cache=warm_cache))
                venv = Path(folder) / "fresh-venv"
                pip_venv = Path(folder) / "pip-venv"
                for change, text in CHANGES.items():
                    bench.dkenv("up", REQUIREMENTS)
                    bench.settle()
                    add(f"{change}: dkenv up", bench.dkenv("up", text))
                    bench.local_uv(REQUIREMENTS, cache=warm_cache, venv=venv, sync=True)
                    add(f"{change}: local uv warm", bench.local_uv(text, cache=warm_cache, venv=venv,
                                                                   sync=change == "remove"))
                    if change != "remove":
                        bench.local_pip(REQUIREMENTS, venv=pip_venv)
                        add(f"{change}: local pip", bench.local_pip(text, venv=pip_venv))
        finally:
            subprocess.run([sys.executable, "-m", "dkenv", "down"], cwd=bench.project, env=bench.env,
                           capture_output=True)
    load = os.getloadavg()
    print("\n".join(bench.said))
    print(f"load average at the start {started[0]:.2f} {started[1]:.2f} {started[2]:.2f}")
    print(f"rounds: {args.rounds}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"{os.cpu_count()} cores; image sizes {', '.join(sorted(set(bench.sizes)))}")
    print("| case | median (s) | runs | all (s) |\n|---|---:|---:|---|")
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, values in samples.items():
        print(f"| {name} | {medians[name]:.2f} | {len(values)} | {' '.join(f'{v:.1f}' for v in values)} |")
    for name, value in medians.items():
        case, _, who = name.partition(": ")
        if who.startswith("dkenv"):
            ratios = [f"/ {other}: {value / medians[n]:.2f}x" for n in medians
                      for other in [n.partition(": ")[2]] if n.startswith(case + ": local")]
            print(f"{name} {' '.join(ratios)}")


if __name__ == "__main__":
    main()
