"""VS Code (and its forks: Cursor, VSCodium): the project interpreter and the copy of
site-packages in `.vscode/settings.json`, and `.vscode/launch.json` with a configuration
that debugs the current file through the interpreter (plus `dkenv debug`'s attach
configuration when `[debug] port` is set).

settings.json is the user's: each key is merged in place (dkenv/jsonc.py), keeping the
comments, the order and every other key. launch.json: a file dkenv wrote (the marker
line) is rewritten; the user's own gets the missing configurations appended, by name.
A file that cannot be edited safely (not JSON with comments, a key of another type, a
symbolic link) is left alone and what to add is returned instead.

The launch configuration runs debugpy's adapter, its launcher and the program all with
the interpreter, so all three are in the container (the extension's debugpy is there
through `[ide] mounts`) and talk over the container's own loopback.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dkenv import fileio, jsonc
from dkenv.exec import debugging

INTERPRETER = "${workspaceFolder}/.dkenv/bin/python"
SITE_PACKAGES = "${workspaceFolder}/.dkenv/site-packages"
SETTINGS_FILE = Path(".vscode") / "settings.json"
LAUNCH_FILE = debugging.LAUNCH_FILE


class Conflict(ValueError):
    """The file holds a key dkenv needs with a value it cannot merge into."""


@dataclass
class Outcome:
    path: Path
    changes: list[str] = field(default_factory=list)  # what was added or changed, for the user
    manual: str = ""  # when the file was left alone: the JSON to add by hand
    reason: str = ""  # ...and why


def settings_edits(project) -> list[tuple[str, str, Any]]:
    """(key, how, value): `set` a value, `add` an item to a list, `key` an entry to an object."""
    edits: list[tuple[str, str, Any]] = [("python.defaultInterpreterPath", "set", INTERPRETER)]
    if project.config.ide.site_packages:
        edits.append(("python.analysis.extraPaths", "add", SITE_PACKAGES))
    edits.append(("files.watcherExclude", "key", ("**/.dkenv/**", True)))  # the copy is large
    return edits


def _initial(how: str, value: Any) -> Any:
    """The value of a key that is not in the file yet."""
    if how == "add":
        return [value]
    if how == "key":
        return {value[0]: value[1]}
    return value


def merge_settings(text: str, edits: list[tuple[str, str, Any]]) -> tuple[str, list[str]]:
    """`text` with the edits merged in, and what changed. JsoncError or Conflict when it cannot be."""
    changes = []
    for key, how, value in edits:
        doc = jsonc.parse(text if text.strip() else "{}\n")
        text = text if text.strip() else "{}\n"
        if doc.kind != "object":
            raise Conflict("the file is not a JSON object")
        node = doc.member(key)
        if node is None:
            text = jsonc.insert(text, doc, _initial(how, value), key=key)
            changes.append(f"{key} added")
        elif how == "set" and node.value != value:
            text = jsonc.replace(text, node, value)
            changes.append(f"{key} set (was {json.dumps(node.value)})")
        elif how == "add" and node.kind != "array" or how == "key" and node.kind != "object":
            raise Conflict(f"{key} is not a {'list' if how == 'add' else 'table'}")
        elif how == "add" and value not in node.value:
            text = jsonc.insert(text, node, value)
            changes.append(f"{key}: {value} added")
        elif how == "key" and value[0] not in node.value:
            text = jsonc.insert(text, node, value[1], key=value[0])
            changes.append(f"{key}: {value[0]} added")
    return text, changes


def _manual(edits) -> str:
    body = {key: _initial(how, value) for key, how, value in edits}
    return json.dumps(body, indent=4)


def write_settings(project) -> Outcome:
    path = project.root / SETTINGS_FILE
    edits = settings_edits(project)
    return _merge_file(path, lambda text: merge_settings(text, edits), _manual(edits))


def _merge_file(path: Path, merge, manual: str) -> Outcome:
    """Read, merge and write back `path` (created when missing); left alone when it cannot be."""
    if path.is_symlink():
        return Outcome(path, manual=manual, reason="it is a symbolic link")
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as e:
        return Outcome(path, manual=manual, reason=f"it cannot be read ({getattr(e, 'strerror', None) or e})")
    try:
        merged, changes = merge(text)
    except (jsonc.JsoncError, Conflict) as e:
        return Outcome(path, manual=manual, reason=str(e))
    if merged != text:
        fileio.make_dirs(path.parent)
        fileio.write_atomic(path, merged)
    return Outcome(path, changes=changes)


def launch_configuration(project) -> dict:
    """Debug the current file in the container, through the interpreter."""
    return {
        "name": f"dkenv: current file in {project.name}",
        "type": "debugpy",
        "request": "launch",
        "program": "${file}",
        "cwd": "${workspaceFolder}",
        "console": "integratedTerminal",
        # the adapter, the launcher and the program all in the container
        "python": INTERPRETER,
        "debugAdapterPython": INTERPRETER,
        "debugLauncherPython": INTERPRETER,
        "justMyCode": True,
    }


def configurations(project) -> list[dict]:
    found = [launch_configuration(project)]
    if project.config.debug.port:
        found.append(debugging.vscode_configuration(project))
    return found


def launch_text(project) -> str:
    body = json.dumps({"version": "0.2.0", "configurations": configurations(project)}, indent=4)
    return (f"// {fileio.MARK} (`dkenv ide vscode`); dkenv rewrites this file while this line stays.\n"
            f"{body}\n")


def merge_launch(text: str, wanted: list[dict]) -> tuple[str, list[str]]:
    """The user's launch.json with the configurations it lacks (by name) appended."""
    changes = []
    for conf in wanted:
        doc = jsonc.parse(text if text.strip() else "{}\n")
        text = text if text.strip() else "{}\n"
        if doc.kind != "object":
            raise Conflict("the file is not a JSON object")
        listed = doc.member("configurations")
        if listed is None:
            text = jsonc.insert(text, doc, [conf], key="configurations")
        elif listed.kind != "array":
            raise Conflict("configurations is not a list")
        elif any(isinstance(c, dict) and c.get("name") == conf["name"] for c in listed.value):
            continue
        else:
            text = jsonc.insert(text, listed, conf)
        changes.append(f'"{conf["name"]}" added')
    return text, changes


def write_launch(project) -> Outcome:
    path = project.root / LAUNCH_FILE
    wanted = configurations(project)
    if not path.exists() or fileio.written_by_dkenv(path):
        changed = fileio.write_marked(path, launch_text(project))
        return Outcome(path, changes=[f'"{c["name"]}"' for c in wanted] if changed else [])
    return _merge_file(path, lambda text: merge_launch(text, wanted), json.dumps(wanted, indent=4))
