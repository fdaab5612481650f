"""Side-by-side timing: commands run interleaved in one session, medians and ratios."""
from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# `dkenv` as installed: the console script pip (25.0 and later), pipx and uv write, which
# imports sys and dkenv.entry; and the one of older pips (Debian 12's pip 23), which imports
# `re` first (about 5 ms more on the development VM)
WRAPPER = """#!{python}
import sys
from dkenv.entry import main
if __name__ == "__main__":
    sys.exit(main())
"""
WRAPPER_RE = """#!{python}
import re
import sys
from dkenv.entry import main
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(main())
"""
_SCRIPTS = Path(tempfile.mkdtemp(prefix="dkenv-bench-bin-"))
atexit.register(shutil.rmtree, _SCRIPTS, ignore_errors=True)
for _folder, _text in (("bin", WRAPPER), ("bin-pip23", WRAPPER_RE)):
    (_SCRIPTS / _folder).mkdir()
    (_SCRIPTS / _folder / "dkenv").write_text(_text.format(python=sys.executable))
    (_SCRIPTS / _folder / "dkenv").chmod(0o755)
DKENV = [str(_SCRIPTS / "bin" / "dkenv")]
DKENV_PIP23 = [str(_SCRIPTS / "bin-pip23" / "dkenv")]


def bench_config(name: str, *, shims: bool = False) -> str:
    """A .dkenv.toml for a benchmark project: the python image, nothing installed; `shims`:
    the shims route only the base commands (no venv scripts)."""
    text = (f'[project]\nname = "{name}"\n[image]\nbase = "python:3.11-slim-bookworm"\npython = "3.11"\n'
            'install = "none"\n')
    return text + ("[shims]\nvenv_scripts = false\n" if shims else "")


@contextlib.contextmanager
def running_project(config: str):
    """A temporary project with `config`, up for the block, then down: (root, env)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # as an installed package runs: its bytecode compiled once (pip does that), not at every start
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "dkenv")], check=True, capture_output=True)
    with tempfile.TemporaryDirectory(prefix="dkenv-bench-") as folder:
        root = Path(folder)
        (root / ".dkenv.toml").write_text(config)
        env["PWD"] = str(root)
        subprocess.run([*DKENV, "up"], cwd=root, env=env, check=True, capture_output=True)
        try:
            yield root, env
        finally:
            subprocess.run([*DKENV, "down"], cwd=root, env=env, capture_output=True)


def time_once(argv: list[str], cwd=None, env=None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def compare(cases: dict[str, list[str] | tuple[list[str], dict]], runs: int, cwd=None, env=None,
            warmup: int = 2) -> dict[str, float]:
    """Median seconds per case; every round runs each case once, so load hits all alike. A case
    is an argv, or (argv, variables set for that case alone)."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for round_number in range(warmup + runs):
        for name, case in cases.items():
            argv, extra = case if isinstance(case, tuple) else (case, {})
            elapsed = time_once(argv, cwd=cwd, env={**(env or os.environ), **extra})
            if round_number >= warmup:
                samples[name].append(elapsed)
    return {name: statistics.median(values) for name, values in samples.items()}


def table(medians: dict[str, float], baseline: str, runs: int) -> str:
    base = medians[baseline]
    lines = [f"| command | median (ms, {runs} runs) | ratio to `{baseline}` |", "|---|---:|---:|"]
    for name, value in medians.items():
        lines.append(f"| `{name}` | {value * 1000:.1f} | {value / base:.2f}x |")
    return "\n".join(lines)
