"""What a test session leaves behind, found at its end: the suite leaves nothing.

Every project a test makes lives in a folder of this session: the sandbox (`make_project`)
or pytest's base temporary folder (`tmp_path`). dkenv labels each project's containers and
network with `dkenv.root`, the project folder. After the session has brought every made
project down, any container or network whose root lies in one of these folders, and any
process of this user still working in one (a command a test started in the background),
is a leftover: it is removed (killed), and the session fails, naming it and the test that
made its folder when that is known.

Only this session's folders count: other sessions on the same machine and engine (their own
sandboxes, their own base temporary folders) are never touched.
"""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

LABEL = "dkenv.root"
MADE_BY: dict[str, str] = {}  # a folder of projects -> the node id of the test running when it was made
current_test: str | None = None  # the test running now (set by tests/conftest.py)


def record(folder: Path | str, test: str | None = None) -> None:
    """Remember which test made `folder` (default: the one running now)."""
    test = test or current_test
    if test:
        MADE_BY.setdefault(os.path.realpath(folder), test)


def _within(path: str, folders: list[str]) -> bool:
    path = path.removesuffix(" (deleted)")
    return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)


def made_by(path: str) -> str:
    """The test that made the folder holding `path`, if recorded (the deepest folder wins)."""
    owners = [(folder, test) for folder, test in MADE_BY.items() if _within(os.path.realpath(path), [folder])]
    return max(owners, key=lambda pair: len(pair[0]))[1] if owners else "an unrecorded test or fixture"


def _labelled(kind: list[str], folders: list[str]) -> list[tuple[str, str, str]]:
    """(id, name, root) of the engine's containers or networks labelled with a root in `folders`."""
    name = "{{.Names}}" if kind[0] == "ps" else "{{.Name}}"
    out = subprocess.run(["docker", *kind, "--filter", f"label={LABEL}", "--format",
                          f'{{{{.ID}}}}\t{name}\t{{{{.Label "{LABEL}"}}}}'],
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise AssertionError(f"the leftover check could not list the engine's {kind}: {out.stderr.strip()}")
    rows = [tuple(line.split("\t", 2)) for line in out.stdout.splitlines() if line.count("\t") >= 2]
    return [row for row in rows if _within(row[2], folders)]


def engine_leftovers(folders: list[str]) -> list[str]:
    """Remove this session's containers, then networks, still on the engine; describe each."""
    found = []
    containers = _labelled(["ps", "-a"], folders)
    if containers:
        subprocess.run(["docker", "rm", "-f", *[c[0] for c in containers]], capture_output=True, timeout=300)
    networks = _labelled(["network", "ls"], folders)
    if networks:
        subprocess.run(["docker", "network", "rm", *[n[0] for n in networks]], capture_output=True, timeout=300)
    for kind, rows in (("container", containers), ("network", networks)):
        found += [f"{kind} {name} ({LABEL}={root}): its folder made during {made_by(root)}" for _, name, root in rows]
    return found


def _ancestors() -> set[int]:
    pids, pid = set(), os.getpid()
    while pid > 1:
        pids.add(pid)
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            break
    return pids


def process_leftovers(folders: list[str]) -> list[str]:
    """Kill this user's processes on this host (but this one and its parents; not those in a
    container) whose working folder lies in `folders`; describe each."""
    found, mine = [], _ancestors()
    here = os.stat("/proc/self/ns/pid").st_ino
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in mine:
            continue
        try:
            if entry.stat().st_uid != os.getuid() or (entry / "stat").read_text().rsplit(") ", 1)[1][0] == "Z":
                continue
            if os.stat(entry / "ns" / "pid").st_ino != here:
                continue  # a container's (the engine check removes those)
            cwd = os.readlink(entry / "cwd")
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except (OSError, IndexError):
            continue  # gone meanwhile, or not ours to look at
        if _within(cwd, folders):
            try:
                os.kill(int(entry.name), signal.SIGKILL)
            except OSError:
                pass
            found.append(f"process {entry.name} `{cmdline[:200]}` in {cwd}: its folder made during {made_by(cwd)}")
    return found


def sweep(folders: list[str], engine: bool) -> list[str]:
    """Every leftover of the session's `folders` (the engine's only when `engine`), removed:
    the processes first (one could still be starting a container)."""
    folders = sorted({os.path.realpath(f) for f in folders} | {str(f) for f in folders})
    found = process_leftovers(folders)
    return found + (engine_leftovers(folders) if engine else [])
