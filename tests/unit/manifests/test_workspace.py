"""dkenv/manifests/workspace.py: uv workspaces, their members and their lock."""
from __future__ import annotations

from dkenv import tomltext
from dkenv.manifests import workspace
from tests.unit.conftest import tree

ROOT = """\
    [tool.uv.workspace]
    members = ["backend", "libs/*", "tools/**/cli"]
    exclude = ["libs/scratch"]
    """


def member(name: str) -> str:
    return f'[project]\nname = "{name}"\nversion = "1.0"\n'


def make(tmp_path, root_text: str = ROOT, extra: dict | None = None):
    return tree(tmp_path / "repo", {
        "pyproject.toml": root_text,
        "uv.lock": "version = 1\n",
        "backend/pyproject.toml": member("api"),
        "libs/a/pyproject.toml": member("lib-a"),
        "libs/b/pyproject.toml": member("lib-b"),
        "libs/scratch/pyproject.toml": member("scratch"),
        "libs/notes/README.md": "not a member: no pyproject.toml\n",
        "tools/x/y/cli/pyproject.toml": member("cli"),
        **(extra or {}),
    })


def test_members_are_the_globbed_folders_with_a_pyproject_minus_excluded(tmp_path):
    root = make(tmp_path)
    ws = workspace.find_workspace(root)
    assert ws.root == root and ws.locked
    assert list(ws.members) == ["backend", "libs/a", "libs/b", "tools/x/y/cli"]
    assert ws.members["backend"].name == "api"


def test_a_root_with_project_is_a_member_too(tmp_path):
    root = make(tmp_path, member("top") + ROOT.replace("    ", ""))
    ws = workspace.find_workspace(root)
    assert ws.members["."].name == "top"
    assert ws.member_at(root).name == "top"


def test_a_member_finds_its_workspace_walking_up(tmp_path):
    root = make(tmp_path)
    ws = workspace.find_workspace(root / "libs" / "a")
    assert ws.root == root
    assert ws.member_at(root / "libs" / "a").name == "lib-a"
    assert workspace.find_workspace(root / "tools" / "x" / "y" / "cli").root == root


def test_excluded_and_unlisted_folders_belong_to_no_workspace(tmp_path):
    root = make(tmp_path, extra={"other/pyproject.toml": member("other")})
    assert workspace.find_workspace(root / "libs" / "scratch") is None
    assert workspace.find_workspace(root / "other") is None
    assert workspace.find_workspace(root / "libs" / "notes") is None


def test_the_walk_stops_at_the_dkenv_project_root(tmp_path):
    """Nothing above the project is mounted: a workspace above it does not count."""
    root = make(tmp_path, extra={"backend/.dkenv.toml": ""})
    assert workspace.find_workspace(root / "backend") is None
    assert workspace.find_workspace(root).root == root  # the project root itself may be the workspace


def test_odd_globs_are_ignored(tmp_path):
    root = make(tmp_path, '[tool.uv.workspace]\nmembers = ["/abs", "", 3, "./backend/", "../x"]\n')
    assert list(workspace.find_workspace(root).members) == ["backend"]


def test_not_a_workspace(tmp_path):
    root = tree(tmp_path / "p", {"pyproject.toml": member("p"), "uv.lock": ""})
    assert workspace.find_workspace(root) is None
    broken = tree(tmp_path / "b", {"pyproject.toml": "[tool.uv.workspace\n"})
    assert workspace.find_workspace(broken) is None


LOCK = """
version = 1
[[package]]
name = "api"
version = "0.1.0"
source = { editable = "backend" }
dependencies = [{ name = "lib-a" }, { name = "six" }]
[package.dev-dependencies]
dev = [{ name = "Lib_B" }]

[[package]]
name = "lib-a"
version = "1.0"
source = { editable = "libs/a" }
dependencies = [{ name = "lib-virtual" }]

[[package]]
name = "lib-b"
source = { editable = "libs/b" }

[[package]]
name = "lib-virtual"
version = "2.0"
source = { virtual = "libs/v" }
dependencies = [{ name = "lib-c" }]

[[package]]
name = "lib-c"
version = "3.0"
source = { editable = "libs/c" }

[[package]]
name = "unused"
version = "1.0"
source = { editable = "libs/unused" }

[[package]]
name = "six"
version = "1.16.0"
source = { registry = "https://pypi.org/simple" }
"""


def test_lock_local_packages():
    local = workspace.local_packages(tomltext.loads(LOCK))
    assert set(local) == {"api", "lib-a", "lib-b", "lib-virtual", "lib-c", "unused"}
    assert local["api"].depends == {"lib-a", "six", "lib-b"}
    assert (local["lib-virtual"].editable, local["lib-virtual"].path) == (False, "libs/v")
    assert local["lib-b"].version is None


def test_installed_locals_follow_dependencies_and_skip_virtual_ones():
    """uv installs the selected package, the workspace packages it depends on (groups
    included), through virtual ones, but not the virtual ones themselves."""
    installed = workspace.installed_locals(tomltext.loads(LOCK), ["api"])
    assert [p.name for p in installed] == ["api", "lib-a", "lib-b", "lib-c"]
    assert [p.name for p in workspace.installed_locals(tomltext.loads(LOCK), ["lib-c", "nope"])] == ["lib-c"]
