"""buildreport.message: one paragraph with the step, the package and the cause, then the log."""
from __future__ import annotations

from pathlib import Path

from dkenv.image import buildlog
from dkenv.image.buildreport import Context, message

DATA = Path(__file__).resolve().parents[2] / "data" / "buildlogs"
STEP = "step 6/7, dependencies (pipenv)"
LOG = ".dkenv/build.log"


def report(name: str, **context) -> str:
    output = (DATA / f"{name}.txt").read_text().splitlines()
    return message(STEP, buildlog.diagnose(output), tail=output, error="The command ... returned a non-zero code: 1",
                   log=LOG, context=Context(**context))


def test_an_old_pin_names_the_package_the_cause_and_how_to_get_a_newer_one():
    text = report("docker-pipenv-lock-pins", python="3.11", installer="pipenv")
    first, last = text.split("\n")
    assert first.startswith("dkenv: the build failed at step 6/7, dependencies (pipenv): "
                            "lazy-object-proxy==1.6.0 did not install: preparing its metadata failed because "
                            "it imports pkg_resources")
    assert "No module named 'pkg_resources'" in first
    assert "too old for Python 3.11" in first and "pipenv update lazy-object-proxy" in first
    assert last == "dkenv: full log: .dkenv/build.log"
    assert "Traceback" not in text


def test_the_advice_follows_the_installer():
    assert "uv lock --upgrade-package lazy-object-proxy" in report("uv-build", installer="uv")
    assert "poetry update lazy-object-proxy" in report("poetry-build", installer="poetry")
    assert "requirements file" in report("pip26-pkg-resources", installer="pip")


def test_a_missing_development_package_is_named_for_image_apt_unless_it_is_there():
    text = report("pip-pg-config", installer="pip")
    assert "psycopg2==2.9.9 did not install" in text and "pg_config" in text
    assert "Add build-essential, libpq-dev to image.apt in .dkenv.toml" in text
    assert "Add libpq-dev to image.apt" in report("pip-pg-config", installer="pip", apt=("build-essential",))


def test_resolution_failures():
    assert "Django==6.0 does not support this Python: it needs Python >=3.12." in report(
        "pip-requires-python", python="3.11")
    assert "lock again (uv.lock)" in report("uv-conflict", installer="uv")
    text = report("pipenv-lock-conflict", installer="pipenv")
    assert "locking (pipenv lock): the dependencies conflict: The user requested urllib3==1.20" in text
    assert "dkenv-no-such-package is not a package of the base image's distribution" in report(
        "apt-unable-to-locate")


def test_dkenvs_own_message_is_printed_as_it_is():
    line = "dkenv: the base image's Python is 3.11, not 3.12: set image.python_from = \"uv\" in .dkenv.toml"
    found = buildlog.diagnose([line])
    text = message("step 3/6, Python 3.12 from the base image", found, tail=[line], error="", log=LOG,
                   context=Context())
    assert text.split("\n") == ["dkenv: the build failed at step 3/6, Python 3.12 from the base image:", line,
                                "dkenv: full log: .dkenv/build.log"]


def test_an_unrecognised_failure_shows_the_last_lines():
    tail = [f"line {i}" for i in range(30)] + ["", "sh: ./setup.sh: Permission denied"]
    text = message("step 4/6, the setup script (image.setup)", None, tail=tail,
                   error="The command '/bin/sh -c sh /tmp/dkenv-setup.sh' returned a non-zero code: 126",
                   log=LOG, context=Context())
    lines = text.split("\n")
    assert lines[0] == ("dkenv: the build failed at step 4/6, the setup script (image.setup) (exit code 126); "
                        "the end of its output:")
    assert lines[-2] == "  | sh: ./setup.sh: Permission denied" and "  | line 19" in lines
    assert "  | line 18" not in lines  # only the last lines
    assert lines[-1] == "dkenv: full log: .dkenv/build.log"


def test_an_engine_error_before_any_output():
    text = message("step 1/5, base image nosuch:1", None, tail=[], error="pull access denied for nosuch",
                   log=LOG, context=Context())
    assert text.split("\n")[0] == "dkenv: the build failed at step 1/5, base image nosuch:1: pull access denied for nosuch"


def test_pdm_has_its_own_advice():
    assert "update pdm.lock: `pdm update lazy-object-proxy`" in report("uv-build", installer="pdm")
    assert "lock again (pdm.lock)" in report("uv-conflict", installer="pdm")
    assert "lock again" not in report("pip-conflict", installer="pyproject")  # no lock of its own
    assert "require a newer version in pyproject.toml" in report("pip26-pkg-resources", installer="pyproject")
    assert "too old for Python" in report("pip26-pkg-resources", installer="none")  # no installer, no how


def test_a_pdm_lock_failure_is_the_locking_stage_with_pdms_advice():
    text = report("pdm-lock-conflict", installer="pdm")
    assert ("locking (pdm lock): urllib3 has conflicting requirements: urllib3<3,>=1.21.1 (from requests@2.32.3); "
            "urllib3==1.20 (from project). Loosen one of the pins, then lock again (pdm.lock).") in text
    assert "dkenv-no-such-package-xyz was not found on the package index" in report("pdm-lock-not-found",
                                                                                    installer="pdm")
    assert "django has no release that matches. Check its name and version." in report(
        "pdm-lock-requires-python", installer="pdm")
