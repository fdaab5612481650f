"""Prompt latency added by the shell hook, in bash (and zsh when installed), in one run.

Each case is an interactive shell (`-i`) reading N command lines from a pipe, so it
draws N prompts and runs the prompt hooks before each, like a terminal session. The
time is taken inside the shell ($EPOCHREALTIME around the N lines), so start-up is
not counted. Cases run interleaved, R rounds; the table gives medians per prompt.

Usage: python benchmarks/prompt.py [--prompts N] [--rounds R]
Needs no Docker Engine. Prints a markdown table for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dkenv.shell import allow, hooks


def session(shell: str, folder: Path, hook: Path | None, lines: list[str], env: dict) -> float:
    """Seconds per prompt for `lines` in one interactive shell."""
    rc_dir = folder / f"rc-{shell}"
    rc_dir.mkdir(exist_ok=True)
    source = f". {hook}\n" if hook else ""
    out = folder / "result"
    script = ["__t0=$EPOCHREALTIME", *lines, f'echo "$__t0 $EPOCHREALTIME" > {out}', "exit"]
    if shell == "bash":
        rc = rc_dir / "bashrc"
        rc.write_text(f"PS1='$ '\n{source}")
        argv = ["bash", "--noprofile", "--rcfile", str(rc), "-i"]
    else:
        (rc_dir / ".zshrc").write_text(f"unsetopt prompt_sp prompt_cr\nzmodload zsh/datetime\nPS1='$ '\n{source}")
        env = {**env, "ZDOTDIR": str(rc_dir)}
        argv = ["zsh", "-i"]
    subprocess.run(argv, input="\n".join(script) + "\n", text=True, cwd=folder / "project",
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=600)
    start, end = (float(x.replace(",", ".")) for x in out.read_text().split())
    return (end - start) / (len(lines) + 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--crossings", type=int, default=20, help="cd in and out of a project, per round")
    args = parser.parse_args()
    shells = [s for s in ("bash", "zsh") if shutil.which(s)]
    with tempfile.TemporaryDirectory(prefix="dkenv-bench-prompt-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        for var in ("HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            (folder / var).mkdir()
            env[var] = os.environ[var] = str(folder / var)
        env.pop("PROMPT_COMMAND", None)
        env.pop("DKENV_PROJECT", None)
        project = folder / "project"
        (project / "src" / "pkg").mkdir(parents=True)
        (project / ".dkenv.toml").write_text('[project]\nname = "bench-prompt"\n')
        allow.allow(project)
        outside = folder / "outside"
        outside.mkdir()
        dkenv = [sys.executable, "-m", "dkenv"]
        rows: list[tuple[str, str, str, float, float]] = []
        for shell in shells:
            plain = folder / f"hook.{shell}"
            plain.write_text(hooks.render(shell, auto=False, dkenv_command=dkenv))
            auto = folder / f"hook-auto.{shell}"
            auto.write_text(hooks.render(shell, auto=True, dkenv_command=dkenv))
            same = [":"] * args.prompts
            walk = ["cd src/pkg", "cd ../.."] * (args.prompts // 2)
            cross = [f"cd {outside}", f"cd {project}"] * (args.crossings // 2)
            cases = {
                "no hook": (None, same),
                "hook": (plain, same),
                "hook --auto, same folder": (auto, same),
                "no hook, cd every prompt": (None, walk),
                "hook --auto, cd inside the project every prompt": (auto, walk),
                "hook --auto, cd in/out of the project every prompt": (auto, cross),
            }
            samples: dict[str, list[float]] = {name: [] for name in cases}
            for _ in range(args.rounds):
                for name, (hook, lines) in cases.items():
                    samples[name].append(session(shell, folder, hook, lines, env))
            medians = {name: statistics.median(v) for name, v in samples.items()}
            for name, value in medians.items():
                base = medians["no hook, cd every prompt" if "cd" in name else "no hook"]
                rows.append((shell, name, str(len(cases[name][1])), value, value - base))
    print("| shell | case | prompts | median per prompt | added by dkenv |")
    print("|---|---|---:|---:|---:|")
    for shell, name, count, value, added in rows:
        print(f"| {shell} | {name} | {count} | {value * 1e6:.0f} µs | {added * 1e6:+.0f} µs |")
    print(f"\n{args.rounds} rounds, interleaved; Python {sys.version.split()[0]}, "
          f"{subprocess.run(['bash', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
