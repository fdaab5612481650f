"""detect/testcommand.py: the project's own test command, by what it says, in order."""
from __future__ import annotations

import pytest

from dkenv.detect import testcommand


def folder(tmp_path, files):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return testcommand.detect(tmp_path)


@pytest.mark.parametrize("files, command, reason", [
    ({"pytest.ini": "[pytest]\n"}, "pytest", "pytest.ini"),
    ({"pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-q'\n"}, "pytest", "pyproject.toml"),
    ({"setup.cfg": "[tool:pytest]\n"}, "pytest", "setup.cfg"),
    ({"tests/conftest.py": ""}, "pytest", "tests/conftest.py"),
    ({"requirements-dev.txt": "black\npytest==8.3.3\n", "manage.py": "import django\n"}, "pytest", "requirements-dev.txt"),
    ({"pyproject.toml": '[dependency-groups]\ndev = ["pytest>=8", "ruff"]\n'}, "pytest", "pyproject.toml"),
    ({"manage.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x')\nfrom django.core import management\n"},
     "python manage.py test", "Django"),
    ({"noxfile.py": "import nox\n"}, "nox", "noxfile.py"),
    ({"tox.ini": "[tox]\nenvlist = py311\n"}, "tox", "tox.ini"),
    ({"Makefile": "lint:\n\truff .\ntest:\n\tpython -m unittest\n"}, "make test", "Makefile"),
    ({"tests.py": "import unittest\n", "requirements.txt": "flask\n"}, "python -m unittest", "unittest"),
    ({"tests/test_app.py": "import unittest\n"}, "python -m unittest discover -s tests", "unittest"),
    ({"tests/__init__.py": "", "tests/test_app.py": ""}, "python -m unittest", "unittest"),
])
def test_the_first_that_applies(tmp_path, files, command, reason):
    found = folder(tmp_path, files)
    assert found.command == command and reason in found.reason and not found.guessed


def test_a_manage_py_of_another_framework_is_not_django(tmp_path):
    found = folder(tmp_path, {"manage.py": "from litestar.cli import run_cli\nrun_cli()\n"})
    assert found.command == "pytest" and found.guessed


def test_names_that_only_contain_pytest_are_not_pytest(tmp_path):
    found = folder(tmp_path, {"requirements.txt": "pytest-timeout-helper-free\nnotpytest\n"})
    assert found.guessed
