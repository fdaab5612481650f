"""The package's layers, kept by a test rather than by memory (docs/design.md, "Package map").

Every import is counted, those inside functions too (a lazy import is still a dependency):
no module may take part in an import circle, and a package imports only from the layers
below it, except the arrows listed in UPWARD, each with its reason in docs/design.md.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "dkenv"

# lowest first; "base" is dkenv's top-level modules (errors, output, fileio...), the entry
# point (entry.py, __main__.py) is above everything
LAYERS = ["base", "catalog", "engine", "manifests", "installers", "detect", "project", "image", "services", "exec",
          "containers", "production", "export", "shell", "ide", "doctor", "orchestrator", "commands", "cli",
          "entry"]
TOP = {"entry", "__main__"}

# the arrows that run back up, each written down in docs/design.md with its reason
UPWARD = {
    ("project", "services"),  # config validation at load resolves each service against the catalog
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The dkenv modules `name` imports, at module level or inside functions."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {m for m in found if m in known and m != name and m != "dkenv"}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "base"
    if parts[1] in TOP:
        return "entry"
    return parts[1] if (PACKAGE / parts[1]).is_dir() else "base"


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected set of more than one module (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def upward(edges: dict[str, set[str]]) -> dict[tuple[str, str], list[str]]:
    arrows: dict[tuple[str, str], list[str]] = {}
    for a, targets in edges.items():
        for b in targets:
            la, lb = layer(a), layer(b)
            if LAYERS.index(lb) > LAYERS.index(la):
                arrows.setdefault((la, lb), []).append(f"{a} -> {b}")
    return arrows


def test_every_package_has_a_layer():
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages <= set(LAYERS), packages - set(LAYERS)


def test_no_import_circle():
    assert cycles(graph()) == []


def test_imports_run_down_the_layers_but_the_listed_arrows():
    arrows = upward(graph())
    assert set(arrows) <= UPWARD, {k: v for k, v in arrows.items() if k not in UPWARD}
    assert len(UPWARD) <= 2


# commands/ is one thin module per verb (pre-commit's commands/): its size is the number of verbs
BY_VERB = {"commands"}


def test_no_folder_holds_more_than_twenty_modules():
    for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir() and p.name not in ("__pycache__", *BY_VERB))]:
        count = len([p for p in folder.glob("*.py") if p.name != "__init__.py"])
        assert count <= 20, f"{folder.relative_to(PACKAGE.parent)}: {count} modules"


def test_the_checker_sees_a_circle_and_an_upward_arrow():
    """The check itself can fail: a made-up graph with a circle and an arrow up."""
    edges = {"dkenv.engine.a": {"dkenv.commands.b"}, "dkenv.commands.b": {"dkenv.engine.a"}}
    assert cycles(edges) == [["dkenv.commands.b", "dkenv.engine.a"]]
    assert ("engine", "commands") in upward(edges)


# rows that name their modules by what they are rather than file by file
NAMED_BY_KIND = {"commands": "one thin module per verb", "installers": "one module per installer"}


def test_the_design_map_names_every_module_in_its_folders_row():
    """docs/design.md's package map matches the folders: each module is named in its row."""
    design = (PACKAGE.parent / "docs" / "design.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(\w+)/` \|.*$", design, re.M)}
    base_row = next(line for line in design.splitlines() if line.startswith("| base modules |"))
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("__init__.py", "__main__.py", "entry.py") or "__pycache__" in path.parts:
            continue
        top = path.relative_to(PACKAGE).parts[0]
        if top in NAMED_BY_KIND:
            assert NAMED_BY_KIND[top] in rows[top], top
            continue
        row = base_row if top == path.name else rows.get(top, "")
        nested = path.parent != PACKAGE / top and f"`{path.parent.name}/`" in row  # exec/agent/: the folder is named
        if f"`{path.name}`" not in row and not nested:
            missing.append(str(path.relative_to(PACKAGE)))
    assert missing == []
