"""A non-root host user (dkdev, UID 1500) on a base image that already has a user at
that UID, without the host's CA certificates: the `system` Python path end to end."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import RUN_ID

pytestmark = [pytest.mark.docker, pytest.mark.root]

SQUATTER_BASE = "dkenv-test/uid1500-squatter:bookworm"
DOCKERFILE = """\
FROM dkenv-test/debian-noca:bookworm
RUN groupadd -g 1500 squatters && useradd -m -u 1500 -g 1500 squatter
"""


@pytest.fixture(scope="session")
def squatter_base(docker_engine, tmp_path_factory):
    context = tmp_path_factory.mktemp("squatter")
    (context / "Dockerfile").write_text(DOCKERFILE)
    subprocess.run(["docker", "build", "-q", "-t", SQUATTER_BASE, str(context)], check=True, capture_output=True)
    return SQUATTER_BASE


def test_the_wheel_ships_the_shell_scripts(dkdev_install):
    import zipfile

    wheel = next((dkdev_install.parent.parent.parent / "wheels").glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "dkenv/shell/shim.sh" in names and "dkenv/shell/hook.sh" in names and "dkenv/detect/distros.toml" in names
    assert "dkenv/catalog/services.toml" in names and "dkenv/detect/apt_needs.toml" in names
    assert "dkenv/exec/agent/server.py" in names and "dkenv/exec/agent/client.py" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "dkenv = dkenv.entry:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    out = subprocess.run([str(dkdev_install), "hook", "bash"], capture_output=True, text=True, check=True).stdout
    assert "dkenv" in out


def test_files_written_inside_belong_to_the_host_user(dkdev_install, squatter_base):
    root = Path(tempfile.mkdtemp(prefix="dkenv-dkdev-project-"))
    (root / ".dkenv.toml").write_text(
        f'[project]\nname = "dkdev-{RUN_ID}"\n[image]\nbase = "{squatter_base}"\npython = "3.11"\n'
        'install = "pip"\nrequirements = ["requirements.txt"]\n')
    (root / "requirements.txt").write_text("six==1.16.0\n")
    shutil.chown(root, "dkdev", "dkdev")
    for path in root.iterdir():
        shutil.chown(path, "dkdev", "dkdev")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root / "home"), "XDG_STATE_HOME": str(root / "state")}

    def as_dkdev(*args):
        return subprocess.run(["runuser", "-u", "dkdev", "--", "env", *[f"{k}={v}" for k, v in env.items()],
                               str(dkdev_install), *args], cwd=root, capture_output=True, text=True, timeout=900)

    try:
        up = as_dkdev("up")
        assert up.returncode == 0, up.stderr[-3000:]
        dockerfile = (root / ".dkenv" / "Dockerfile").read_text()
        assert "python3-venv" in dockerfile  # the distribution's Python (python_from auto -> system)
        assert "ca-certificates/" in dockerfile  # the host's CAs, without which pip fails here
        who = as_dkdev("exec", "sh", "-c", "id -u; id -g; touch made-inside.txt; python -c 'import six'")
        assert who.returncode == 0, who.stderr
        assert who.stdout.split() == ["1500", "1500"]
        made = root / "made-inside.txt"
        assert (made.stat().st_uid, made.stat().st_gid) == (1500, 1500)
        home = as_dkdev("exec", "sh", "-c", 'echo "$HOME"; whoami').stdout.split()
        assert home == ["/home/dkdev", "dkdev"]
    finally:
        as_dkdev("down")
        shutil.rmtree(root, ignore_errors=True)
