"""dkenv/detect/dependencies.py: PEP 508 requirement strings -> normalized names and extras."""
from __future__ import annotations

import pytest

from dkenv.detect import dependencies


@pytest.mark.parametrize("line, expected", [
    ("celery[redis]>=5", ("celery", {"redis"})),
    ("Django>=4.2,<5.3", ("django", set())),
    ("psycopg[binary, pool]; python_version > '3.8'", ("psycopg", {"binary", "pool"})),
    ("ruamel.yaml", ("ruamel-yaml", set())),
    ("foo @ https://example.com/foo.zip", ("foo", set())),
    ("git+https://github.com/a/b.git#egg=My_Pkg[extra]", ("my-pkg", {"extra"})),
    ("./local", None),
    ("https://example.com/x.tar.gz", None),
])
def test_parse_requirement(line, expected):
    assert dependencies.parse_requirement(line) == expected
