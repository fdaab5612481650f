"""The development image's bytecode policy (image/bytecode.py) in a real container: nothing
compiled at build, the running environment's bytecode under PYTHONPYCACHEPREFIX in the
container's own layer, never beside the bind-mounted source on the host."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from dkenv import hostuser

pytestmark = pytest.mark.docker

SITE = "/opt/venv/lib/python3.11/site-packages"
# what `python -m venv` seeds the venv with (ensurepip compiles them): not the dependency step's
SEEDS = ("pip/", "setuptools/", "pkg_resources/", "_distutils_hack/")
PREFIX = f"{hostuser.current().home}/.cache/pycache"  # the image user's home: /home/NAME, not $HOME


def inspect(what: str) -> dict:
    done = subprocess.run(["docker", "inspect", what], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)[0]


def source_bytecode(root) -> list[str]:
    """Bytecode in the project's tree on the host, but for dkenv's copy of the image's
    site-packages (.dkenv/site-packages: the venv's seeds come with theirs)."""
    copy = str(root / ".dkenv" / "site-packages")
    return [os.path.join(d, n) for d, dirs, files in os.walk(root) if not (d + "/").startswith(copy + "/")
            for n in dirs + files if n == "__pycache__" or n.endswith(".pyc")]


def test_the_image_holds_no_bytecode_of_the_installed_packages(core_project):
    image = inspect(core_project.container)["Config"]["Image"]
    found = subprocess.run(["docker", "run", "--rm", image, "find", SITE, "-name", "*.pyc"],
                           capture_output=True, text=True, check=True).stdout.split()
    assert found == [p for p in found if p[len(SITE) + 1:].startswith(SEEDS)], found  # six's is not there
    env = inspect(image)["Config"]["Env"]
    assert f"PYTHONPYCACHEPREFIX={PREFIX}" in env and "PYTHONDONTWRITEBYTECODE=" in env, env
    # the prefix is the user's (an IDE's mount under ~/.cache would have made that folder root's); it holds
    # the standard library's bytecode (compiled as the venv was made), nothing of site-packages
    script = (f'stat -c %u "{PREFIX}"; cd "{PREFIX}" && find . -name "*.pyc" | grep -c "/lib/python3.11/[a-z_]*.cpython"; '
              f'find . -path "*-packages*" -name "*.pyc" | wc -l')
    owner = subprocess.run(["docker", "run", "--rm", image, "sh", "-c", script],
                           capture_output=True, text=True, check=True).stdout.split()
    assert owner[0] == str(os.getuid()) and int(owner[1]) > 100 and owner[2] == "0", owner
    # the container's own layer, not a mount
    mounts = [m["Destination"] for m in inspect(core_project.container)["Mounts"]]
    assert not any(PREFIX == m or PREFIX.startswith(m.rstrip("/") + "/") for m in mounts), mounts


def test_imports_write_their_bytecode_under_the_prefix_never_beside_the_source(core_project):
    root = core_project.root
    package = root / "bytecode_pkg"
    package.mkdir()
    try:
        (package / "__init__.py").write_text("")
        (package / "mod.py").write_text("VALUE = 42\n")
        script = ("import os, six, bytecode_pkg.mod as m; print(m.VALUE); print(six.__cached__); print(m.__cached__); "
                  "print(os.path.isfile(six.__cached__) and os.path.isfile(m.__cached__))")
        out = core_project.dkenv("exec", "python", "-c", script).stdout.decode().split()
        assert out == ["42", f"{PREFIX}{SITE}/six.cpython-311.pyc", f"{PREFIX}{package}/mod.cpython-311.pyc", "True"]
        # nothing beside the installed package in the container, nothing beside the source on the host
        there = core_project.dkenv("exec", "sh", "-c", f"ls -A {SITE}/__pycache__ 2>/dev/null; true").stdout.decode()
        assert "six" not in there, there
        assert source_bytecode(root) == []
        # the next process reads what the first wrote: the same file, not written again
        again = core_project.dkenv("exec", "python", "-c", f"import os; os.utime('{out[2]}', (0, 0)); "
                                   "import bytecode_pkg.mod as m; print(os.stat(m.__cached__).st_mtime)")
        assert again.stdout.decode().split() == ["0.0"]
    finally:
        shutil.rmtree(package)


def test_the_container_compiles_its_venv_in_the_background_as_it_starts(docker_engine):
    """No command imports idna here: its bytecode under the prefix is the start's warm-up's
    (image/bytecode.WARM_UP); pip's is left to a pip that runs."""
    from tests.conftest import make_project
    from tests.docker.conftest import PIP_HEAD
    from tests.helpers import wait_until

    project = make_project("warm-up", {".dkenv.toml": PIP_HEAD, "requirements.txt": "# @NAME@\nidna==3.7\n"})
    project.dkenv("up")
    try:
        wanted = f"{PREFIX}{SITE}/idna/core.cpython-311.pyc"  # the prefix mirrors the source's folders

        def compiled() -> bool:
            done = subprocess.run(["docker", "exec", project.container, "test", "-f", wanted], capture_output=True)
            return done.returncode == 0

        wait_until(compiled, f"{wanted} in the container")
        pip = subprocess.run(["docker", "exec", project.container, "sh", "-c", f"ls {PREFIX}{SITE}/pip 2>&1; true"],
                             capture_output=True, text=True).stdout
        assert "No such file" in pip, pip
        assert source_bytecode(project.root) == []
    finally:
        project.dkenv("down")
