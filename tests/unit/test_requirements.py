"""dkenv/requirements.py: the requirements files installed and what they hold (through detect.inspect)."""
from __future__ import annotations

from dkenv import detect
from tests.unit.conftest import tree


def test_dev_requirements_including_the_main_file_are_used_alone(tmp_path):
    tree(tmp_path, {
        "requirements.txt": "-c constraints.txt\nflask\n",
        "requirements-dev.txt": "-r requirements.txt\npytest\n",
        "constraints.txt": "flask==3.0.0\nredis==5.0\n",
    })
    found = detect.inspect(tmp_path)
    assert found.requirements == ["requirements-dev.txt"]
    assert found.dependencies == ["flask", "pytest"]  # constraints pin, they do not install
    assert found.constraints == []  # already passed by requirements.txt itself
    assert found.services == []


def test_dev_requirements_not_including_the_main_file_come_after_it(tmp_path):
    tree(tmp_path, {"requirements.txt": "flask\n", "requirements/dev.txt": "pytest\n"})
    found = detect.inspect(tmp_path)
    assert found.requirements == ["requirements.txt", "requirements/dev.txt"]
    assert found.dependencies == ["flask", "pytest"]


def test_requirements_folder_base_file(tmp_path):
    tree(tmp_path, {
        "requirements/base.txt": "redis\n",
        "requirements/production.txt": "-r base.txt\ngunicorn\n",
    })
    found = detect.inspect(tmp_path)
    assert found.manager == "pip"
    assert found.requirements == ["requirements/base.txt"]
    assert found.dependencies == ["redis"]


def test_unnamed_requirements_file_is_still_pip(tmp_path):
    tree(tmp_path, {"test-requirements.txt": "pytest\n"})
    found = detect.inspect(tmp_path)
    assert found.manager == "pip"
    assert found.requirements == ["test-requirements.txt"]


def test_top_level_constraints_file_is_passed_when_not_included(tmp_path):
    tree(tmp_path, {"requirements.txt": "flask\n", "constraints.txt": "flask==3.0.0\n"})
    found = detect.inspect(tmp_path)
    assert found.requirements == ["requirements.txt"]
    assert found.constraints == ["constraints.txt"]


def test_requirements_file_syntax(tmp_path):
    tree(tmp_path, {"requirements.txt": r"""
        # a comment line
        --index-url https://example.com/simple
        --extra-index-url=https://example.com/other
        celery[redis,  msgpack]>=5.3 ; python_version >= "3.8"
        Zope.Interface==6.0 \
            --hash=sha256:0123456789abcdef
        requests[socks]
        -e git+https://github.com/example/some_lib.git@v1#egg=Some_Lib
        --editable ./local-package
        ./vendor/Thing-1.0-py3-none-any.whl
        https://example.com/archive.tar.gz
        attrs @ https://example.com/attrs-23.1.0-py3-none-any.whl
        -rmore.txt
        """, "more.txt": "PyMySQL  # mysql driver\n"})
    found = detect.inspect(tmp_path)
    assert found.dependencies == ["attrs", "celery", "pymysql", "requests", "some-lib", "thing",
                                  "zope-interface"]
    assert found.extras == {"celery": ["msgpack", "redis"], "requests": ["socks"]}
    assert found.services == ["mysql", "redis"]
    assert found.service_for["redis"] == ["celery[redis]"]


def test_include_cycle_and_missing_file_do_not_break(tmp_path):
    tree(tmp_path, {"requirements.txt": "-r other.txt\n-r missing.txt\nflask\n",
                    "other.txt": "-r requirements.txt\nredis\n"})
    found = detect.inspect(tmp_path)
    assert found.dependencies == ["flask", "redis"]
    assert any("missing.txt" in note for note in found.notes)
