"""A hostile repository, through the real CLI: links in place of the folders dkenv owns
(`.dkenv -> ..`, `data -> /elsewhere`, `.dkenv/run -> /elsewhere`) are refused before
anything is written, and nothing appears beside the project; a repository's own
`.dkenv/bin/python` is not handed to the IDE; a package that ships console scripts named
like host commands (`ls`, `vim`, `sudoedit`, `gh`) gets no shim for them, while its Python
tool does, and its `ls` has no say in the list."""
from __future__ import annotations

import base64
import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest

from tests.conftest import make_project
from tests.docker.conftest import SLIM_PYTHON

pytestmark = pytest.mark.docker


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every entry under `folder` (links not followed): its mode and mtime."""
    found = {}
    for base, dirs, files in os.walk(folder):
        for name in dirs + files:
            st = os.lstat(os.path.join(base, name))
            found[os.path.relpath(os.path.join(base, name), folder)] = (st.st_mode, st.st_mtime_ns)
    return found


@pytest.mark.parametrize("link, target", [(".dkenv", ".."), ("data", "../elsewhere"),
                                          (".dkenv/run", "../../elsewhere"), ("data/dkenv", "../../elsewhere")])
def test_a_link_in_place_of_dkenvs_folders_is_refused_and_nothing_is_written_outside(docker_engine, link, target):
    project = make_project(f"hostile-link-{link.replace('/', '-').strip('.')}", {".dkenv.toml": SLIM_PYTHON})
    parent = project.root.parent / f"{project.root.name}-outside"
    parent.mkdir()
    root = parent / "clone"
    project.root.rename(root)
    (parent / "elsewhere").mkdir()
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(target)
    before = tree(parent)
    for argv in (["up"], ["rehash"], ["ide", "vscode"], ["exec", "true"], ["down"]):
        result = project.dkenv(*argv, cwd=root, check=False)
        err = result.stderr.decode()
        assert result.returncode == 1, (argv, err)
        assert f"{root / link} is a symbolic link" in err and f"rm {root / link}" in err
        assert len(err.strip().splitlines()) == 1, err
        assert tree(parent) == before, argv  # no Dockerfile, run/, shims/, .gitignore, history beside it
    assert list((parent / "elsewhere").iterdir()) == []
    (root / link).unlink()
    project.root = root


def test_a_foreign_interpreter_is_refused_then_taken_over_with_force(docker_engine):
    project = make_project("hostile-python", {".dkenv.toml": SLIM_PYTHON,
                                              ".dkenv/bin/python": "#!/bin/sh\necho not dkenv's\n"})
    theirs = project.root / ".dkenv" / "bin" / "python"
    theirs.chmod(0o755)
    result = project.dkenv("ide", "vscode", check=False)
    err = result.stderr.decode()
    assert result.returncode == 1
    assert f"{theirs} is not dkenv's interpreter" in err and "dkenv ide vscode --force" in err
    assert len(err.strip().splitlines()) == 1
    assert not (project.root / ".vscode").exists()
    assert theirs.read_text() == "#!/bin/sh\necho not dkenv's\n"
    project.dkenv("ide", "vscode", "--force")
    assert "# dkenv shim" in theirs.read_text()
    assert "python.defaultInterpreterPath" in (project.root / ".vscode" / "settings.json").read_text()


ENTRY_POINTS = """\
[console_scripts]
ls = hostile:fake_ls
vim = hostile:main
sudoedit = hostile:main
gh = hostile:main
hostile-tool = hostile:main
"""
MODULE = """\
def fake_ls():
    print("sudo")
    print("git")


def main():
    print("hostile tool ran")
"""


def wheel() -> tuple[str, bytes]:
    """A wheel (no build needed, installed offline) with console scripts named like host
    commands, one Python tool, and a shell script shipped as data."""
    files = {
        "hostile.py": MODULE,
        "hostile-1.0.data/scripts/helper-sh": "#!/bin/sh\necho shell\n",
        "hostile-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: hostile\nVersion: 1.0\n",
        "hostile-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        "hostile-1.0.dist-info/entry_points.txt": ENTRY_POINTS,
    }
    record = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in files.items():
            data = text.encode()
            zf.writestr(name, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{name},sha256={digest},{len(data)}")
        record.append("hostile-1.0.dist-info/RECORD,,")
        zf.writestr("hostile-1.0.dist-info/RECORD", "\n".join(record) + "\n")
    return "hostile-1.0-py3-none-any.whl", buffer.getvalue()


def test_console_scripts_named_like_host_commands_get_no_shim(docker_engine):
    name, data = wheel()
    project = make_project("hostile-scripts", {".dkenv.toml": SLIM_PYTHON})
    (project.root / name).write_bytes(data)
    project.dkenv("up")
    project.dkenv("exec", "pip", "install", "-q", "--no-index", f"./{name}")
    listed = project.dkenv("exec", "ls", "/opt/venv/bin").stdout.decode()
    assert listed.split() == ["sudo", "git"]  # the venv's `ls` comes first on the container's PATH
    project.dkenv("rehash")
    shims = {p.name for p in (project.root / ".dkenv" / "shims").iterdir()}
    assert "hostile-tool" in shims  # a Python tool of the venv
    assert {"python", "python3", "pip", "pip3"} <= shims
    assert not shims & {"ls", "vim", "sudoedit", "gh", "helper-sh", "sudo", "git"}
    table = project.dkenv("shims").stdout.decode()
    assert "hostile-tool  venv script" in table
