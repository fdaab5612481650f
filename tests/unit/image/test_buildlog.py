"""buildlog.diagnose on real output of failed pip, uv, Poetry, PDM, pipenv and apt runs."""
from __future__ import annotations

from pathlib import Path

import pytest

from dkenv.image import buildlog

DATA = Path(__file__).resolve().parents[2] / "data" / "buildlogs"


def diagnose(name: str) -> buildlog.Diagnosis:
    found = buildlog.diagnose((DATA / f"{name}.txt").read_text().splitlines())
    assert found is not None, name
    return found


# file -> (package, kind, words of the cause (why + evidence), Debian packages, too old)
BUILDS = {
    "docker-pipenv-lock-pins": ("lazy-object-proxy==1.6.0", "pkg_resources", [], True),
    "pip-pkg-resources": ("lazy-object-proxy==1.6.0", "pkg_resources", [], True),
    "pip26-pkg-resources": ("lazy-object-proxy==1.6.0", "pkg_resources", [], True),
    "uv-build": ("lazy-object-proxy==1.6.0", "pkg_resources", [], True),
    "poetry-build": ("lazy-object-proxy==1.6.0", "pkg_resources", [], True),
    "pip-pg-config": ("psycopg2==2.9.9", "pg_config", ["build-essential", "libpq-dev"], False),
    "pip26-pg-config": ("psycopg2==2.9.9", "pg_config", ["build-essential", "libpq-dev"], False),
    "pip-no-gcc": ("cffi==1.15.0", "gcc", ["build-essential"], False),
    "pip26-no-gcc": ("cffi==1.15.0", "gcc", ["build-essential"], False),
    "pip-ffi-h": ("cffi==1.15.0", "ffi.h", ["libffi-dev"], False),
    "pip-lxml": ("lxml==4.6.3", "libxml2 and libxslt", ["build-essential", "libxml2-dev", "libxslt1-dev"], False),
    "pip-mysql": ("mysqlclient==2.1.1", "mysql_config",
                  ["build-essential", "default-libmysqlclient-dev", "pkg-config"], False),
    "pip-gdal": ("GDAL==3.6.2", "gdal-config", ["build-essential", "libgdal-dev"], False),
    "pip-header-python": ("hdr-python-h", "Python.h", ["python3-dev"], False),
    "pip26-header-libpq": ("hdr-libpq-fe", "libpq-fe.h", ["libpq-dev"], False),
    "pip26-header-openssl": ("hdr-openssl", "openssl/ssl.h", ["libssl-dev"], False),
    "pip26-header-libxml": ("hdr-xmlversion", "libxml/xmlversion.h", ["libxml2-dev"], False),
}


@pytest.mark.parametrize("name", sorted(BUILDS))
def test_a_package_that_did_not_build_is_named_with_its_cause(name):
    package, words, apt, old = BUILDS[name]
    found = diagnose(name)
    assert (found.kind, found.package, found.failure) == ("build", package, "did not install")
    assert found.cause is not None
    assert words in found.cause.why + found.cause.evidence
    assert found.cause.apt == apt
    assert found.cause.old is old


def test_pips_failing_stage_is_named():
    assert diagnose("pip-pkg-resources").stage == "preparing its metadata"
    assert diagnose("pip26-no-gcc").stage == "building its wheel"
    assert diagnose("pip-no-gcc").stage == "running its setup.py install"
    assert diagnose("pip26-pg-config").stage == "getting its build requirements"


def test_the_cause_is_the_line_from_the_log_not_the_generic_one_after_it():
    cause = diagnose("pip26-header-libpq").cause
    assert cause.evidence == "m.c:1:10: fatal error: libpq-fe.h: No such file or directory"
    assert diagnose("pip-pkg-resources").cause.evidence == "ModuleNotFoundError: No module named 'pkg_resources'"


def test_colour_codes_in_dockers_stream_do_not_hide_anything():
    text = (DATA / "docker-pipenv-lock-pins.txt").read_text()
    assert "\x1b[91m" in text  # Docker marks the step's stderr
    assert "\x1b" not in buildlog.clean(text)


# file -> (package, kind, failure, words in the evidence)
OTHERS = {
    "pip-not-found": ("dkenv-no-such-package-xyz==1.0", "missing", "was not found", "from versions: none"),
    "uv-not-found": ("dkenv-no-such-package-xyz", "missing", "was not found", "not found in the package registry"),
    "poetry-not-found": ("dkenv-no-such-package-xyz (1.0)", "missing", "was not found", "doesn't match any"),
    "pipenv-lock-not-found": ("dkenv-no-such-package-xyz==1.0", "missing", "was not found", "No matching"),
    "pip-requires-python": ("Django==6.0", "missing", "does not support this Python", "Python >=3.12"),
    "uv-requires-python": ("django==6.0", "missing", "does not support this Python", "Python >=3.12"),
    "poetry-requires-python": ("django (6.0)", "missing", "does not support this Python", "Python >=3.12"),
    "poetry-candidates": ("pywin32==306", "missing", "no file that this platform", "abi tags"),
    "pip-conflict": ("requests==2.31.0 and urllib3==1.20", "conflict", "conflicting", "urllib3<3 and >=1.21.1"),
    "pipenv-lock-conflict": ("", "conflict", "conflict", "urllib3<3 and >=1.21.1"),
    "uv-conflict": ("", "conflict", "cannot be resolved", "your project depends on urllib3==1.20"),
    "poetry-conflict": ("", "conflict", "cannot be resolved", "depends on urllib3 (1.20)"),
    "pip-hashes": ("six==1.16.0", "conflict", "hash", "Expected sha256"),
    "apt-unable-to-locate": ("dkenv-no-such-package", "apt", "not a package", ""),
}


@pytest.mark.parametrize("name", sorted(OTHERS))
def test_resolution_and_index_failures(name):
    package, kind, failure, words = OTHERS[name]
    found = diagnose(name)
    assert (found.package, found.kind) == (package, kind)
    assert failure in found.failure
    assert words in " ".join(found.evidence)


def test_pipenv_lock_failures_say_it_was_the_lock():
    assert diagnose("pipenv-lock-conflict").stage.startswith("locking")
    assert diagnose("pipenv-lock-not-found").stage.startswith("locking")


def test_dkenvs_own_lines_are_kept_as_they_are():
    found = diagnose("docker-python-mismatch")
    assert found.kind == "dkenv"
    assert found.verbatim == ['dkenv: the base image\'s Python is 3.11, not 3.12: set image.python_from = "uv" in '
                              '.dkenv.toml, or choose another image.base']


def test_unrecognised_output_is_no_diagnosis():
    assert buildlog.diagnose(["sh: 1: ./setup.sh: Permission denied"]) is None
    assert buildlog.diagnose([]) is None


def test_a_local_package_is_named_by_its_folder():
    found = buildlog.diagnose([
        "Processing /tmp/dkenv-build/vendor/mylib",
        "  Preparing metadata (setup.py): started",
        "  error: subprocess-exited-with-error",
        "  × python setup.py egg_info did not run successfully.",
        "  ╰─> [1 lines of output]",
        "      ModuleNotFoundError: No module named 'distutils'",
        "      [end of output]",
    ])
    assert found.package == "mylib"
    assert found.cause.old and "distutils" in found.cause.why


def test_pdm_lock_failures():
    found = diagnose("pdm-lock-conflict")
    assert (found.package, found.failure, found.kind, found.stage) == (
        "urllib3", "has conflicting requirements", "conflict", "locking (pdm lock)")
    assert found.evidence == ["urllib3<3,>=1.21.1 (from requests@2.32.3)", "urllib3==1.20 (from project)"]
    found = diagnose("pdm-lock-not-found")
    assert (found.package, found.failure, found.kind) == (
        "dkenv-no-such-package-xyz", "was not found on the package index", "missing")
    assert found.evidence[0].startswith("Unable to find candidates for dkenv-no-such-package-xyz")
    found = diagnose("pdm-lock-requires-python")
    assert (found.package, found.failure, found.kind) == ("django", "has no release that matches", "missing")
