"""dkenv as a user installs it: a wheel built from this tree, installed with pipx (PEP 668
systems refuse a plain `pip install`), is a working `dkenv` with its shell templates and
data files inside the package. Needs PyPI (hatchling, pipx, the dependencies)."""
from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

from tests.conftest import REPO


def run(argv, **kw) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=600, **kw)
    assert result.returncode == 0, f"{argv}: {result.stdout[-2000:]}{result.stderr[-2000:]}"
    return result


def test_pipx_installs_a_working_dkenv_from_the_wheel(tmp_path):
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", REPO])
    wheel = next((tmp_path / "dist").glob("dkenv-*.whl"))
    tools = tmp_path / "tools"
    venv.create(tools, with_pip=True)
    run([tools / "bin" / "pip", "install", "-q", "pipx"])
    env = {**os.environ, "PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(tmp_path / "bin"),
           "PIPX_MAN_DIR": str(tmp_path / "man"), "PYTHONPATH": ""}
    run([tools / "bin" / "pipx", "install", wheel], env=env)
    dkenv = tmp_path / "bin" / "dkenv"
    elsewhere = tmp_path / "elsewhere"  # not the source tree: nothing is found beside it
    elsewhere.mkdir()
    assert run([dkenv, "--version"], env=env, cwd=elsewhere).stdout.startswith("dkenv, version ")
    installed = Path(run([tmp_path / "pipx" / "venvs" / "dkenv" / "bin" / "python", "-c",
                          "import dkenv; print(dkenv.__file__)"], env=env, cwd=elsewhere).stdout.strip())
    assert str(installed).startswith(str(tmp_path / "pipx"))
    for shell in ("bash", "zsh", "fish"):
        hook = run([dkenv, "hook", shell], env=env, cwd=elsewhere).stdout
        assert "dkenv" in hook and len(hook.splitlines()) > 20, shell
    bash_hook = run([dkenv, "hook", "bash"], env=env, cwd=elsewhere).stdout
    run(["bash", "-n", "-c", bash_hook])  # a whole, parseable script
    catalog = run([dkenv, "services"], env=env, cwd=elsewhere).stdout
    assert "postgres" in catalog and "redis" in catalog  # services.toml is in the wheel
