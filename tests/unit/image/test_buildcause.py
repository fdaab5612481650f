"""buildcause: a package's build output -> why it failed and which Debian packages fix it."""
from __future__ import annotations

import re

from dkenv.image import buildcause
from dkenv.image.buildcause import explain


def test_headers_are_found_by_path_then_by_folder():
    assert buildcause.header_packages("libpq-fe.h") == ["libpq-dev"]
    assert buildcause.header_packages("openssl/evp.h") == ["libssl-dev"]
    assert buildcause.header_packages("libxml/xmlversion.h") == ["libxml2-dev"]
    assert buildcause.header_packages("nothing-known.h") == []
    assert buildcause.header_packages("unknown/ffi.h") == []  # the folder decides, not the file name


def test_programs_include_any_gcc_a_setup_names():
    assert buildcause.program_packages("/usr/bin/x86_64-linux-gnu-gcc") == ["build-essential"]
    assert buildcause.program_packages("gcc-12") == ["build-essential"]
    assert buildcause.program_packages("pg_config") == ["build-essential", "libpq-dev"]
    assert buildcause.program_packages("frobnicate") is None


def test_a_clang_style_missing_header():
    cause = explain(["src/x.c:3:10: fatal error: 'ffi.h' file not found"])
    assert cause.why == "the C header ffi.h is missing" and cause.apt == ["libffi-dev"]


def test_an_unknown_header_is_still_named():
    cause = explain(["m.c:1:10: fatal error: weird/thing.h: No such file or directory"])
    assert cause.why == "the C header weird/thing.h is missing" and cause.apt == []


def test_a_known_cause_wins_over_the_header_table():
    cause = explain(["src/fast.c:4:10: fatal error: longintrepr.h: No such file or directory"])
    assert cause.old and "3.11" in cause.why


def test_a_missing_file_that_is_not_a_known_program_is_not_called_a_program():
    cause = explain(["FileNotFoundError: [Errno 2] No such file or directory: 'data/table.csv'"])
    assert cause.why == "" and "table.csv" in cause.evidence


def test_sh_not_found_names_an_unknown_program_too():
    cause = explain(["/bin/sh: 1: protoc: not found"])
    assert cause.why == "the program protoc is not installed" and cause.apt == []


def test_the_first_compiler_error_is_the_cause():
    cause = explain(["a.c:1:1: error: unknown type name 'foo'", "a.c:9:1: error: later noise",
                     "error: command '/usr/bin/gcc' failed with exit code 1"])
    assert cause.why == "its C code does not compile" and cause.evidence.startswith("a.c:1:1")


def test_the_last_exception_when_nothing_is_known():
    cause = explain(["Traceback (most recent call last):", "  RuntimeError: first",
                     "ValueError: the real one", "error: subprocess-exited-with-error"])
    assert cause.evidence == "ValueError: the real one"


def test_nothing_to_say():
    assert explain(["all fine", ""]) is None


def test_long_evidence_is_shortened():
    cause = explain(["ValueError: " + "x" * 500])
    assert len(cause.evidence) == buildcause.MAX_EVIDENCE and cause.evidence.endswith("…")


def test_the_table_is_well_formed():
    table = buildcause.table()
    name = re.compile(r"^[a-z0-9][a-z0-9.+-]+$")  # Debian package names
    for entry in table["causes"]:
        re.compile(entry["match"])
        assert entry["why"].startswith("it ")
        assert all(name.match(p) for p in entry.get("apt", []))
    for packages in [*table["headers"].values(), *table["commands"].values()]:
        assert packages and all(name.match(p) for p in packages)


def test_cython_3_and_an_old_pinned_release():
    """PyYAML 6.0's build on a current toolchain (the line of the issue's project)."""
    cause = explain(["      File \"/tmp/pip-build-env/overlay/setuptools/_distutils/cmd.py\", line 107, in __getattr__",
                     "        raise AttributeError(attr)", "    AttributeError: cython_sources"])
    assert cause.old and "Cython 3" in cause.why


def test_greenlet_1_on_python_3_11():
    cause = explain(["src/greenlet/greenlet.c:24: warning", "    src/greenlet/greenlet.h:39:5: error: unknown type name 'CFrame'"])
    assert cause.old and "older Python" in cause.why


def test_a_git_source_without_git_or_out_of_reach():
    """Flagsmith's git dependency: uv's words without git in the image, then with git and no
    route to GitHub; pip's word for the first."""
    cause = explain(["  cause: Git operation failed",
                     "  cause: Git executable not found. Ensure that Git is installed and available."])
    assert cause.apt == ["git"] and "git is not installed" in cause.why
    assert explain(["ERROR: Cannot find command 'git' - do you have 'git' installed and in your PATH?"]).apt == ["git"]
    cause = explain(["fatal: unable to access 'https://github.com/o/r/': Could not resolve host: github.com"])
    assert cause.apt == [] and "cannot reach" in cause.why and "github.com" in cause.evidence
