"""The production image's Debian packages: `image.apt` split between the builder stage
(compilers, headers, build tools: everything) and the runtime stage (the shared libraries
the built packages load, and the programs the app runs).

Pure. A `-dev` package is replaced by its runtime library when the table below knows it
(names that are the same on Debian 11-13 and Ubuntu 22.04-24.04); an unknown `-dev`
package is kept, and said, since leaving out a library the app loads breaks it at run
time. `[production] apt` replaces the whole runtime list.
"""
from __future__ import annotations

import re

# -dev package -> the runtime packages that hold what the compiled code loads
RUNTIME_OF = {
    "libpq-dev": ["libpq5"],
    "libmariadb-dev": ["libmariadb3"],
    "libmariadb-dev-compat": ["libmariadb3"],
    "default-libmysqlclient-dev": ["libmariadb3"],
    "libxml2-dev": ["libxml2"],
    "libxslt1-dev": ["libxslt1.1"],
    "libjpeg-dev": ["libjpeg62-turbo"],
    "libjpeg62-turbo-dev": ["libjpeg62-turbo"],
    "zlib1g-dev": ["zlib1g"],
    "libyaml-dev": ["libyaml-0-2"],
    "libsqlite3-dev": ["libsqlite3-0"],
    "libsasl2-dev": ["libsasl2-2"],
    "libzstd-dev": ["libzstd1"],
    "liblz4-dev": ["liblz4-1"],
    "libkrb5-dev": ["libkrb5-3", "libgssapi-krb5-2"],
    "unixodbc-dev": ["unixodbc"],
    "libgdal-dev": ["gdal-bin"],  # brings libgdalNN, whatever the release calls it
    "libproj-dev": ["proj-bin"],
    "python3-dev": [],  # the interpreter's headers: python3 itself is the runtime
}
# needed to build, never to run
BUILD_ONLY = {"build-essential", "gcc", "g++", "cpp", "clang", "gfortran", "make", "cmake", "ninja-build",
              "pkg-config", "pkgconf", "autoconf", "automake", "libtool", "cargo", "rustc", "swig", "bison",
              "flex", "python3-dev", "libc6-dev", "linux-libc-dev"}
_VERSIONED_COMPILER = re.compile(r"^(gcc|g\+\+|clang|gfortran|cpp)-[0-9.]+$")


def name_of(package: str) -> str:
    """`pkg=1.2-3` or `pkg:amd64` -> `pkg`."""
    return re.split(r"[=:]", package, maxsplit=1)[0]


def runtime_packages(apt: list[str]) -> tuple[list[str], list[str]]:
    """(the runtime stage's packages, notes on the -dev packages kept as they are)."""
    runtime: list[str] = []
    notes: list[str] = []
    for package in apt:
        name = name_of(package)
        if name in BUILD_ONLY or _VERSIONED_COMPILER.match(name):
            continue
        if name in RUNTIME_OF:
            wanted = RUNTIME_OF[name]
        elif name.endswith("-dev"):
            wanted = [package]
            notes.append(f"{name}: kept in the runtime stage (dkenv does not know its runtime library; "
                         "[production] apt names the runtime packages)")
        else:
            wanted = [package]
        runtime += [p for p in wanted if p not in runtime]
    return runtime, notes


def has_build_tools(apt: list[str]) -> bool:
    """Does image.apt install something only a build needs (a compiler, a -dev package)?"""
    return any(name_of(p) in BUILD_ONLY or _VERSIONED_COMPILER.match(name_of(p)) or name_of(p).endswith("-dev")
               for p in apt)
