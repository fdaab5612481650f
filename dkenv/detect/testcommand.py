"""How a project runs its own tests, read from what it says (for `dkenv ci`): pure, files only.

In this order, the first that applies (docs/projects.md):

1. pytest configured: `pytest.ini`, `[tool.pytest.ini_options]` in `pyproject.toml`,
   `[tool:pytest]` in `setup.cfg`, `[pytest]` in `tox.ini`, a `conftest.py` -> `pytest`;
2. pytest named as a dependency (any group or extra, a requirements file) -> `pytest`;
3. a Django `manage.py` (it names Django) -> `python manage.py test`;
4. `noxfile.py` -> `nox`; a `tox.ini` or `[tool.tox]` -> `tox`;
5. a Makefile `test:` target -> `make test`;
6. unittest files (`tests.py`, `test*.py`, a `tests/` folder of `test*.py`) ->
   `python -m unittest` (`discover -s tests` for a `tests/` folder that is not a package);
7. nothing found -> `pytest`, said as a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dkenv import fileio

_PYTEST_NAMED = re.compile(r"""(?mi)(?<![\w.-])pytest(?=[\s"'<>=!~;\[,\]]|$)""")
_MAKE_TEST = re.compile(r"(?m)^test\s*:(?!=)")


@dataclass(frozen=True)
class TestCommand:
    command: str  # run in the container: `dkenv exec COMMAND`
    reason: str  # where it came from, for the line `dkenv ci` says
    guessed: bool = False


def _pytest_configured(root: Path) -> str | None:
    if (root / "pytest.ini").is_file():
        return "pytest.ini"
    if "[tool.pytest.ini_options]" in fileio.text_or_empty(root / "pyproject.toml"):
        return "[tool.pytest.ini_options] in pyproject.toml"
    if "[tool:pytest]" in fileio.text_or_empty(root / "setup.cfg"):
        return "[tool:pytest] in setup.cfg"
    if re.search(r"(?m)^\[pytest\]", fileio.text_or_empty(root / "tox.ini")):
        return "[pytest] in tox.ini"
    for conftest in (root / "conftest.py", root / "tests" / "conftest.py"):
        if conftest.is_file():
            return str(conftest.relative_to(root))
    return None


def _pytest_named(root: Path) -> str | None:
    files = ["pyproject.toml", "setup.cfg", "setup.py", "Pipfile", *sorted(p.name for p in root.glob("*requirements*.txt")),
             *sorted(str(p.relative_to(root)) for p in root.glob("requirements/*.txt"))]
    for name in files:
        if _PYTEST_NAMED.search(fileio.text_or_empty(root / name)):
            return f"pytest named in {name}"
    return None


def _unittest(root: Path) -> str | None:
    top = sorted(p.name for p in root.glob("test*.py") if p.is_file())
    if top:
        return "python -m unittest"
    tests = root / "tests"
    if tests.is_dir() and any(tests.glob("test*.py")):
        return "python -m unittest" if (tests / "__init__.py").is_file() else "python -m unittest discover -s tests"
    return None


def detect(root: Path) -> TestCommand:
    root = Path(root)
    for found in (_pytest_configured(root), _pytest_named(root)):
        if found:
            return TestCommand("pytest", found)
    manage = fileio.text_or_empty(root / "manage.py")
    if "django" in manage.lower():
        return TestCommand("python manage.py test", "a Django manage.py")
    if (root / "noxfile.py").is_file():
        return TestCommand("nox", "noxfile.py")
    if (root / "tox.ini").is_file() or "[tool.tox]" in fileio.text_or_empty(root / "pyproject.toml"):
        return TestCommand("tox", "tox.ini" if (root / "tox.ini").is_file() else "[tool.tox] in pyproject.toml")
    if _MAKE_TEST.search(fileio.text_or_empty(root / "Makefile")):
        return TestCommand("make test", "a `test` target in the Makefile")
    command = _unittest(root)
    if command:
        return TestCommand(command, "unittest test files")
    return TestCommand("pytest", "no test set-up found; pytest by default", guessed=True)
