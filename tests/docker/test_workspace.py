"""A uv workspace whose app is the member backend/: `dkenv init` at the root, `up`, and the
members importable from anywhere in the project (tests/data/uv-workspace)."""
from __future__ import annotations

import re

import pytest

from tests.conftest import REPO, make_project

pytestmark = pytest.mark.docker

CHECK = ("import os, app.main, greeting, flask, iniconfig, importlib.metadata as m; "
         "print(os.getcwd(), app.main.__file__, greeting.__file__, m.version('ws-backend'), os.environ['GREETING'])")


def test_workspace_init_up_exec_and_run(docker_engine):
    project = make_project("uvws", {}, base=REPO / "tests" / "data" / "uv-workspace")
    project.dkenv("init")
    text = (project.root / ".dkenv.toml").read_text()
    assert 'install = "uv"\n' in text and 'workdir = "backend"\n' in text and 'env_file = ".env"\n' in text
    # no published ports: other projects on this engine may hold 5000 or 5678
    # (init chose free host ports: 5000 and 5678 unless other projects hold them)
    edits = {r'command = "flask --app app\.main run --host 0\.0\.0\.0 --port 5000"':
             'command = "python -c \'import os; print(os.getcwd())\'"',
             r'ports = \[(5000|"\d+:5000")\]': "ports = []", r"(?m)^port = \d+$": "port = 0"}
    for old, new in edits.items():
        assert re.search(old, text), old
        text = re.sub(old, lambda _: new, text, count=1)
    project.config(text)
    project.dkenv("up")
    root, backend = project.root, project.root / "backend"
    # the member and the member it uses are importable from the root and from backend/, with
    # their third-party dependencies and backend's dev group; .env reaches the environment
    for cwd in (root, backend):
        out = project.dkenv("exec", "python", "-c", CHECK, cwd=cwd).stdout.decode().split()
        assert out == [str(cwd), f"{backend}/app/main.py", f"{root}/libs/greeting/src/greeting/__init__.py",
                       "0.1.0", "hello"]
    # the member's console script exists, as `uv sync` would have made it
    assert project.dkenv("exec", "ws-hello", cwd=backend).stdout == b"greeting from ws-hello\n"
    # run.command runs in the app's folder, wherever dkenv is started
    assert project.dkenv("run", cwd=root).stdout == f"{backend}\n".encode()
    dockerfile = (root / ".dkenv" / "Dockerfile").read_text()
    assert "uv sync --no-install-workspace --package ws-backend --frozen" in dockerfile
