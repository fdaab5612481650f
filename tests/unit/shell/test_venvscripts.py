"""dkenv/shell/venvscripts.py: the venv's Python tools, read from a tar of /opt/venv/bin as
the Engine's archive API sends it (nothing in the container runs to list them)."""
from __future__ import annotations

import io
import tarfile

from dkenv.shell import venvscripts

PY = b"#!/opt/venv/bin/python\n# -*- coding: utf-8 -*-\nimport sys\n"


def tar_of_bin(files: dict[str, bytes], links: dict[str, str]) -> list[bytes]:
    """The archive of `bin` (its folder entry first), cut in chunks as the SDK streams it."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        folder = tarfile.TarInfo("bin")
        folder.type, folder.mode = tarfile.DIRTYPE, 0o755
        tar.addfile(folder)
        for name, content in files.items():
            info = tarfile.TarInfo(f"bin/{name}")
            info.size, info.mode = len(content), 0o755
            tar.addfile(info, io.BytesIO(content))
        for name, target in links.items():
            info = tarfile.TarInfo(f"bin/{name}")
            info.type, info.linkname = tarfile.SYMTYPE, target
            tar.addfile(info)
    data = buffer.getvalue()
    return [data[i:i + 1000] for i in range(0, len(data), 1000)]


def test_only_the_venvs_python_tools_are_listed():
    files = {
        "pytest": PY, "black": b"#!/opt/venv/bin/python3.12 -E\nimport black\n", "pip": PY, "pip3.12": PY,
        "ls": b"#!/bin/sh\necho gotcha\n",  # a shell script a package shipped
        "vim": b"#!/usr/bin/env python3\nimport os\n",  # not the venv's python
        "sudoedit": b"#!/opt/venv/bin/pythonx\n",  # not a python of the venv
        "ruff": b"\x7fELF\x02\x01\x01" + bytes(5000),  # a native program
        "activate": b"# This file must be used with \"source bin/activate\"\n",
        "spaced": b"#! /opt/venv/bin/python\n",
        "long": b"#!/opt/venv/bin/python" + b"x" * 400,
    }
    links = {"python": "/usr/local/bin/python3.12", "python3": "python", "python3.12": "python",
             "sh": "/bin/sh", "gh": "/usr/bin/gh"}
    found = venvscripts.entries(tar_of_bin(files, links))
    assert ("ls", "file", b"#!/bin/sh") in found and ("sh", "link", b"") in found
    assert len(found) == len(files) + len(links)  # the folder itself is left out
    assert venvscripts.python_tools(found) == ["black", "pip", "pip3.12", "pytest", "python", "python3",
                                               "python3.12", "spaced"]


def test_the_family_names():
    for name in ("python", "python3", "python3.13", "pip", "pip3", "pip3.9"):
        assert venvscripts.FAMILY.match(name)
    for name in ("python2", "pythonw", "pip-audit", "pipx", "python3.x", "ipython"):
        assert not venvscripts.FAMILY.match(name)
