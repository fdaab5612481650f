"""The no-op `up`'s inputs are complete: every path its check looks at (stat, lstat, access, an
open, a folder listed) is declared where it is looked at (dkenv/declared.py), and every
environment variable it reads is in upcache.VARIABLES. The test watches the check from outside
(its own stand-ins for os.stat and os.environ, an audit hook): what dkenv itself must never do.
And no module of dkenv replaces a function of the standard library at run time."""
from __future__ import annotations

import ast
import os
import sys
from collections.abc import MutableMapping
from pathlib import Path

import pytest

from dkenv import declared
from dkenv.commands import _leanup
from dkenv.containers import upcache
from tests.unit.containers.test_upcache import AUTO, CONFIG, running

PACKAGE = Path(__file__).resolve().parents[3] / "dkenv"
_watching: list[set[str]] = []
_hooked = False


def _hook(event: str, args: tuple) -> None:
    if not _watching:
        return
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        if not os.path.isabs(os.fsdecode(args[0])):
            return  # relative to a folder descriptor (fileio's writes below a project root): the event has no fd
        _watching[-1].add(os.path.abspath(os.fsdecode(args[0])))
    elif event in ("os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
        _watching[-1].add(os.path.abspath(os.fsdecode(args[0])))


class Environ(MutableMapping):
    """os.environ as the check sees it, noting each name read (and a read of all of it)."""

    def __init__(self, real):
        self.real, self.read = real, set()

    def __getitem__(self, key):
        self.read.add(key)
        return self.real[key]

    def __setitem__(self, key, value):
        self.real[key] = value

    def __delitem__(self, key):
        del self.real[key]

    def __iter__(self):
        self.read.add("*")
        return iter(self.real)

    def __len__(self):
        return len(self.real)


def watched_check(root: Path) -> tuple[set[str], set[str], declared.Collecting]:
    """(paths touched, variables read, what was declared) by the lean `up`'s full check."""
    global _hooked
    if not _hooked:
        sys.addaudithook(_hook)
        _hooked = True
    touched: set[str] = set()
    collected: list[declared.Collecting] = []

    class Keeping(declared.Collecting):
        def __enter__(self):
            collected.append(self)
            return super().__enter__()

    with pytest.MonkeyPatch.context() as mp:
        for name in ("stat", "lstat", "access"):
            def spy(path, *args, _real=getattr(os, name), **kwargs):
                if not isinstance(path, int):
                    where = os.fsdecode(path)
                    if kwargs.get("dir_fd") is not None and not os.path.isabs(where):  # fileio's folder walk
                        where = os.path.join(os.readlink(f"/proc/self/fd/{kwargs['dir_fd']}"), where)
                    touched.add(os.path.abspath(where))
                return _real(path, *args, **kwargs)

            mp.setattr(os, name, spy)
        environ = Environ(os.environ)
        mp.setattr(os, "environ", environ)
        mp.setattr(declared, "Collecting", Keeping)
        _watching.append(touched)
        try:
            assert _leanup.try_up(["-C", str(root), "up"]) == 0
        finally:
            _watching.remove(touched)
    return touched, environ.read, collected[0]


def excused(path: str, root: Path, seen: declared.Collecting) -> bool:
    """Not an input: the live state (checked on every hit), Python's own files, the folders on
    the way to a declared path (resolve(), mkdir), the interpreter named in the key, a
    temporary file of an atomic write, dkenv's folders (walked for its data files)."""
    if path.startswith(upcache.skipped(str(root))) or path.endswith((".pyc", ".tmp")) or "/__pycache__" in path:
        return True
    if (path == str(PACKAGE) or path.startswith(f"{PACKAGE}/")) and os.path.isdir(path):
        return True
    python = [p for p in sys.path if p and os.path.isabs(p) and not str(PACKAGE).startswith(p)]
    if any(path == p or path.startswith(p.rstrip("/") + "/") for p in python):
        return True
    executable, chain = sys.executable, set()
    while True:
        chain.add(executable)
        if not os.path.islink(executable):
            break
        executable = os.path.join(os.path.dirname(executable), os.readlink(executable))
    if any(path == c or c.startswith(path.rstrip("/") + "/") for c in chain):
        return True
    return any(p.startswith(path.rstrip("/") + "/") for p in seen.paths)


@pytest.fixture
def settled(monkeypatch):
    monkeypatch.setattr(declared, "RACY_NS", 0)
    monkeypatch.setattr(declared, "RACY_COARSE_NS", 0)


@pytest.mark.parametrize("config, files", [
    (CONFIG, {"requirements.txt": "flask==3.0.0\n", ".env": "A=1\n"}),
    (AUTO, {"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.11"\ndependencies = ["flask"]\n',
            "uv.lock": "version = 1\n", "worker.py": "pass\n"}),
], ids=["pip, set", "uv, auto, a service"])
def test_every_input_of_the_check_is_declared(tmp_path, fake_init, monkeypatch, settled, config, files):
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    root = tmp_path / "proj"
    root.mkdir()
    (root / ".dkenv.toml").write_text(config)
    for name, text in files.items():
        (root / name).write_text(text)
    running(root, fake_init)
    assert _leanup.try_up(["-C", str(root), "up"]) == 0  # the generated files written once
    touched, read, seen = watched_check(root)
    assert seen.trusted
    undeclared = sorted(p for p in touched if p not in seen.paths and not excused(p, root, seen))
    assert undeclared == []
    assert read - set(upcache.VARIABLES) == set()
    assert str(root / "requirements.txt" if "requirements.txt" in files else root / "uv.lock") in seen.paths


PATCHED = {"os.stat", "os.lstat", "os.access", "os.environ", "os.open", "os.listdir", "os.scandir", "builtins.open",
           "io.open"}


def test_no_module_replaces_a_function_of_the_standard_library():
    """dkenv declares what it reads; it never patches os.stat, os._Environ... to find out."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, (ast.AugAssign, ast.AnnAssign)) else []
            for target in [t for each in targets for t in (each.elts if isinstance(each, ast.Tuple) else [each])]:
                text = ast.unparse(target)
                if isinstance(target, ast.Attribute) and (text in PATCHED or text.startswith("os._Environ")):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {text}")
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "setattr" and node.args:
                if ast.unparse(node.args[0]) in ("os", "os._Environ", "builtins", "io", "os.environ"):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {ast.unparse(node)}")
    assert found == []
