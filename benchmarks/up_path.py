"""The path of `dkenv up` through dkenv's modules: how often it comes back to a module it had
left, and how often it climbs back up the layers. No Docker needed.

Usage: python benchmarks/up_path.py [--root TREE] [--depth N] [--path]

`up` (commands/up.run, as the CLI calls it) runs against the unit tests' fake Docker Engine
(tests/unit/fakeengine.py: dkenv's real Engine over a stand-in for the daemon) on a fresh
project with a service (redis), then again with nothing changed, under `sys.setprofile`.
`--root` measures the dkenv of another checkout (a worktree of an older commit: its
`dkenv/` and its tests/unit/test_layers.py's LAYERS; the fake engine is this checkout's).

How it is counted (docs/benchmarks.md, "The path of `up`"):
- a *stay* is a stretch of the run spent in one dkenv module, entered by a call and left by
  a call into another module or by a return to one. The calls followed are calls of
  functions (module-level or nested): a method belongs to a value (Project's properties,
  ContainerSpec's hash, Output.say, the Engine's thin calls) and is not followed, nor is
  a call into the base modules (errors, output, fileio...: dkenv's own standard library,
  leaves every layer uses), nor anything outside dkenv (the standard library, the fake);
- opening the project (reading and validating `.dkenv.toml`) is left out: the same for
  every `up`, and not its path; so are imports (a module's own code, run once);
- calls are followed DEPTH modules deep (default 3: the command, the module it hands `up`
  to, the steps that module calls); what a deeper call does counts as part of its
  caller's stay. The other depths are printed too;
- *returns*: stays in a module visited before (a module left and come back to);
- *climbs back up*: one stay to the next whose module is in a higher layer (LAYERS of
  tests/unit/test_layers.py; the top-level modules are "base"): every return from a lower
  layer is one, so is a call upward.
"""
from __future__ import annotations

import argparse
import importlib.util
import io
import os
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFIG = '[project]\nname = "bench"\n[image]\ninstall = "none"\n[services.redis]\n'
SITE = "/opt/venv/lib/python3.11/site-packages"
DEPTHS = (3, 4, None)


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Trace:
    """The dkenv frames a run called, as a list of ("call" | "return", module, qualname)."""

    def __init__(self):
        self.events: list[tuple[str, str, str]] = []
        self._skip = 0  # inside open_project, or a module's code run by an import

    def __call__(self, frame, event, arg):
        if event not in ("call", "return"):
            return
        module, name = frame.f_globals.get("__name__", ""), frame.f_code.co_qualname
        if name == "<module>" or (module == "dkenv.project.project" and name == "open_project"):
            self._skip += 1 if event == "call" else -1
            return
        if not self._skip:
            self.events.append((event, module, name))


def is_method(qualname: str) -> bool:
    """A function of a class, or defined inside one (a method's comprehension or lambda; the
    functions dataclasses generate): not a module's function or one nested in a function."""
    return "__create_fn__" in qualname or any("." in part for part in qualname.split(".<locals>."))


def path_of(events, layer, depth: int | None, calls: list[bool] | None = None) -> list[str]:
    """The sequence of stays: the module control is in, each time it changes (`calls`, when
    given, gets for each stay whether a call began it, not a return)."""
    stack: list[str | None] = []  # per Python frame: the module it counts for, or None
    stays: list[str] = []
    for event, module, qualname in events:
        if event == "call":
            counted = module.startswith("dkenv.") and layer(module) != "base" and not is_method(qualname)
            current = next((m for m in reversed(stack) if m is not None), None)
            if counted and module != current and depth is not None:
                modules = [m for m in stack if m is not None]
                deep = sum(1 for i, m in enumerate(modules) if i == 0 or m != modules[i - 1])
                counted = deep < depth
            stack.append(module if counted else None)
        elif stack:
            stack.pop()
        current = next((m for m in reversed(stack) if m is not None), None)
        if current is not None and (not stays or stays[-1] != current):
            stays.append(current)
            if calls is not None:
                calls.append(event == "call")
    return stays


def counts(stays: list[str], layer, layers: list[str]) -> tuple[int, int, int]:
    returns = sum(1 for i, m in enumerate(stays) if m in stays[:i])
    climbs = sum(1 for a, b in zip(stays, stays[1:]) if layers.index(layer(b)) > layers.index(layer(a)))
    return len(stays), returns, climbs


def entries(events, layer, depth: int | None, package: str) -> list[str]:
    """The modules that call into `package` from another package, once per call."""
    calls: list[bool] = []
    stays = path_of(events, layer, depth, calls)
    prefix = f"dkenv.{package}."
    return [a for a, b, call in zip(stays, stays[1:], calls[1:])
            if call and b.startswith(prefix) and not a.startswith(prefix)]


def site_tar() -> list[bytes]:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo("site-packages")
        info.type, info.mode = tarfile.DIRTYPE, 0o755
        tar.addfile(info)
    return [buffer.getvalue()]


def run_up(tmp: Path):
    """The project, the fake engine, and a function running `dkenv up` once."""
    from dkenv.cli import Options
    from dkenv.commands import up
    from dkenv.engine import engine as engine_module
    from dkenv.output import Output

    fakeengine = load(REPO / "tests" / "unit" / "fakeengine.py", "fakeengine")
    docker = fakeengine.FakeDocker()
    docker.on_exec = lambda container, argv, user: (0, f"{SITE}\nsix.py\n".encode())
    docker.on_archive = lambda container, path: site_tar()
    fake = fakeengine.engine(docker)
    engine_module.connect = lambda out=None, env=None, timeout=300: fake

    class Quiet(Output):
        def echo(self, line: str = "") -> None:
            pass

        say = echo

    root = tmp / "bench"
    root.mkdir()
    (root / ".dkenv.toml").write_text(CONFIG)
    opts = Options(str(root), Quiet())
    return docker, lambda: up.run(opts, build=True, pull="missing", force=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO, help="the checkout whose dkenv is measured")
    parser.add_argument("--depth", type=int, default=3, help="modules deep the calls are followed (headline)")
    parser.add_argument("--path", action="store_true", help="print the path itself, module by module")
    args = parser.parse_args()
    root = args.root.resolve()
    sys.path.insert(0, str(root))
    layers = load(root / "tests" / "unit" / "test_layers.py", "measured_layers")
    tmp = Path(tempfile.mkdtemp(prefix="dkenv-up-path-"))
    for var, sub in (("HOME", "home"), ("XDG_STATE_HOME", "state"), ("XDG_CONFIG_HOME", "config")):
        (tmp / sub).mkdir()
        os.environ[var] = str(tmp / sub)
    os.environ["DOCKER_HOST"] = "unix:///nonexistent/docker.sock"  # only the pid file's record reads it
    os.environ.pop("DKENV_PROJECT", None)
    os.chdir(tmp)
    docker, up = run_up(tmp)
    print(f"dkenv of {root}")
    for scenario in ("a fresh project with a service", "again, nothing changed"):
        trace = Trace()
        sys.setprofile(trace)
        try:
            up()
        finally:
            sys.setprofile(None)
        acts = docker.acts()
        docker.calls.clear()
        print(f"\n`dkenv up`, {scenario}: {', '.join(f'{v} {n}' for v, n in acts) or 'nothing built or created'}")
        for depth in sorted({args.depth, *DEPTHS}, key=lambda d: d or 99):
            stays = path_of(trace.events, layers.layer, depth)
            n, returns, climbs = counts(stays, layers.layer, layers.LAYERS)
            label = f"{depth} modules deep" if depth else "every depth"
            print(f"  {label:16} stays {n:4}  returns to a module already left {returns:4}  climbs back up {climbs:3}")
        for package in ("image", "services"):
            said = []
            for depth in (args.depth, None):
                found = entries(trace.events, layers.layer, depth, package)
                froms = ", ".join(sorted({m.removeprefix("dkenv.") for m in found}))
                said.append(f"{len(found)} {'at every depth' if depth is None else f'{depth} deep'}"
                            f"{f' (from {froms})' if froms else ''}")
            print(f"  {package}/ entered: {'; '.join(said)}")
        stays = path_of(trace.events, layers.layer, args.depth)
        if args.path:
            print("  path: " + " > ".join(m.removeprefix("dkenv.") for m in stays))
    return 0


if __name__ == "__main__":
    sys.exit(main())
