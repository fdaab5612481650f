"""What `up` says about a recreate and about what it started: packages installed by hand
that a recreate loses (and the shims that follow the new container), and project-image
workers that exit right after they started."""
from __future__ import annotations

import os

import pytest

from tests.conftest import make_project
from tests.docker.conftest import PIP_HEAD, SLIM_PYTHON

pytestmark = pytest.mark.docker

PIP_PROJECT = PIP_HEAD + """\
"""


def test_packages_installed_by_hand_are_named_before_a_recreate_and_the_shims_follow(docker_engine):
    project = make_project("byhand", {".dkenv.toml": PIP_PROJECT, "requirements.txt": "six==1.16.0\n"})
    try:
        project.dkenv("up")
        project.dkenv("rehash")  # the project uses shims
        project.dkenv("exec", "pip", "install", "-q", "pyfiglet==1.0.2", "tabulate==0.9.0")
        project.dkenv("rehash")  # what a shimmed `pip install` does by itself
        shims = project.root / ".dkenv" / "shims"
        assert (shims / "pyfiglet").exists() and (shims / "tabulate").exists()
        # the new image has tabulate (the same version), not pyfiglet; and [run] env changes
        (project.root / "requirements.txt").write_text("six==1.16.0\ntabulate==0.9.0\n")
        project.config(PIP_PROJECT.replace("@NAME@", project.name) + '[run]\nenv = { FLAVOUR = "mint" }\n')
        err = project.dkenv("up").stderr.decode()
        assert ("pyfiglet 1.0.2 was installed by hand in " f"dkenv-{project.name}") in err
        assert "add it to requirements.txt" in err
        assert "tabulate" not in err.split("installed by hand")[0].splitlines()[-1]  # in the image: not lost
        assert "shims rehashed for the new container: removed pyfiglet" in err
        assert not (shims / "pyfiglet").exists() and (shims / "tabulate").exists()
        assert project.dkenv("exec", "pyfiglet", "-h", check=False).returncode == 127
        # nothing installed by hand any more: nothing is named
        project.config(PIP_PROJECT.replace("@NAME@", project.name) + '[run]\nenv = { FLAVOUR = "lime" }\n')
        err = project.dkenv("up").stderr.decode()
        assert "recreating" in err and "installed by hand" not in err
        project.dkenv("exec", "pip", "install", "-q", "pyfiglet==1.0.2")
        assert "pyfiglet 1.0.2 was installed by hand" in project.dkenv("down").stderr.decode()
    finally:
        project.dkenv("down", check=False)


def test_a_project_image_worker_that_exits_fails_up_with_its_log_tail(docker_engine):
    project = make_project("deadworker", {".dkenv.toml": SLIM_PYTHON + """\
[services.worker]
command = "python -c 'import sys, time; time.sleep(1); print(\\"worker-boom\\", flush=True); sys.exit(1)'"
[services.oneshot]
command = "python -c 'print(\\"one-shot done\\")'"
"""})
    try:
        result = project.dkenv("up", check=False)
        err = result.stderr.decode()
        assert result.returncode == 1, err
        assert "service worker exited with status 1 right after it started" in err
        assert "  | worker-boom" in err
        assert "service oneshot ended with status 0" in err and "oneshot exited" not in err
        assert "Traceback" not in err and " is up" not in err
    finally:
        project.dkenv("down", check=False)


def test_exec_of_a_file_that_is_not_executable_is_one_line_and_126(core_project):
    result = core_project.dkenv("exec", "/etc/hostname", check=False)
    assert result.returncode == 126
    assert result.stderr == b"dkenv: /etc/hostname: not executable in the container (permission denied)\n"
    result = core_project.dkenv("exec", "./no-such-script.sh", check=False)
    assert result.returncode == 127
    assert result.stderr == b"dkenv: ./no-such-script.sh: no such file in the container\n"
    assert os.path.isdir(core_project.root)
