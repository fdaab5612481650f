"""dkenv/manifests/requirements.py: the requirements files installed and what they hold (through detection.inspect)."""
from __future__ import annotations

import pytest

from dkenv.detect import detection

from dkenv.manifests import pipcompile, requirements
from dkenv.errors import ConfigError
from tests.unit.conftest import tree


def test_dev_requirements_including_the_main_file_are_used_alone(tmp_path):
    tree(tmp_path, {
        "requirements.txt": "-c constraints.txt\nflask\n",
        "requirements-dev.txt": "-r requirements.txt\npytest\n",
        "constraints.txt": "flask==3.0.0\nredis==5.0\n",
    })
    found = detection.inspect(tmp_path)
    assert found.requirements == ["requirements-dev.txt"]
    assert found.dependencies == ["flask", "pytest"]  # constraints pin, they do not install
    assert found.constraints == []  # already passed by requirements.txt itself
    assert found.services == []


def test_dev_requirements_not_including_the_main_file_come_after_it(tmp_path):
    tree(tmp_path, {"requirements.txt": "flask\n", "requirements/dev.txt": "pytest\n"})
    found = detection.inspect(tmp_path)
    assert found.requirements == ["requirements.txt", "requirements/dev.txt"]
    assert found.dependencies == ["flask", "pytest"]


def test_requirements_folder_base_file(tmp_path):
    tree(tmp_path, {
        "requirements/base.txt": "redis\n",
        "requirements/production.txt": "-r base.txt\ngunicorn\n",
    })
    found = detection.inspect(tmp_path)
    assert found.manager == "pip"
    assert found.requirements == ["requirements/base.txt"]
    assert found.dependencies == ["redis"]


def test_unnamed_requirements_file_is_still_pip(tmp_path):
    tree(tmp_path, {"test-requirements.txt": "pytest\n"})
    found = detection.inspect(tmp_path)
    assert found.manager == "pip"
    assert found.requirements == ["test-requirements.txt"]


def test_top_level_constraints_file_is_passed_when_not_included(tmp_path):
    tree(tmp_path, {"requirements.txt": "flask\n", "constraints.txt": "flask==3.0.0\n"})
    found = detection.inspect(tmp_path)
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
    found = detection.inspect(tmp_path)
    assert found.dependencies == ["attrs", "celery", "pymysql", "requests", "some-lib", "thing",
                                  "zope-interface"]
    assert found.extras == {"celery": ["msgpack", "redis"], "requests": ["socks"]}
    assert found.services == ["mysql", "redis"]
    assert found.service_for["redis"] == ["celery[redis]"]


def test_include_cycle_and_missing_file_do_not_break(tmp_path):
    tree(tmp_path, {"requirements.txt": "-r other.txt\n-r missing.txt\nflask\n",
                    "other.txt": "-r requirements.txt\nredis\n"})
    found = detection.inspect(tmp_path)
    assert found.dependencies == ["flask", "redis"]
    assert any("missing.txt" in note for note in found.notes)
# --- closure(): the build context's files ---

def files(root, tree_):
    tree(root, tree_)


def test_closure_follows_r_and_c_relative_to_the_including_file(tmp_path):
    files(tmp_path, {
        "requirements.txt": "django\n-r requirements/base.txt\n-c constraints.txt\n",
        "requirements/base.txt": "--requirement common.txt\nrequests\n",
        "requirements/common.txt": "-c ../constraints.txt\n",
        "constraints.txt": "django<5\n",
        "unrelated.txt": "x\n",
    })
    found = requirements.closure(tmp_path, ["requirements.txt"])
    assert found == ["requirements.txt", "requirements/base.txt", "constraints.txt",
                     "requirements/common.txt"]


def test_closure_equals_form_and_indent(tmp_path):
    files(tmp_path, {
        "a.txt": "  --requirement=b.txt\n--constraint=c.txt\n# -r commented.txt\n",
        "b.txt": "",
        "c.txt": "",
    })
    found = requirements.closure(tmp_path, ["a.txt"])
    assert found == ["a.txt", "b.txt", "c.txt"]


def test_closure_handles_cycles(tmp_path):
    files(tmp_path, {"a.txt": "-r b.txt\n", "b.txt": "-r a.txt\n"})
    found = requirements.closure(tmp_path, ["a.txt"])
    assert found == ["a.txt", "b.txt"]


def test_closure_rejects_include_outside_project(tmp_path):
    root = tmp_path / "proj"
    files(root, {"requirements.txt": "-r ../shared.txt\n"})
    files(tmp_path, {"shared.txt": "x\n"})
    with pytest.raises(ConfigError) as info:
        requirements.closure(root, ["requirements.txt"])
    assert info.value.exit_code == 2
    assert "requirements.txt includes ../shared.txt, outside the project" in str(info.value)


def test_closure_rejects_nested_include_escaping(tmp_path):
    root = tmp_path / "proj"
    files(root, {"reqs/a.txt": "-r ../../x.txt\n"})
    with pytest.raises(ConfigError) as info:
        requirements.closure(root, ["reqs/a.txt"])
    assert "outside the project" in str(info.value)


def test_closure_rejects_absolute_include(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret\n")
    root = tmp_path / "proj"
    files(root, {"requirements.txt": f"-r {outside}\n"})
    with pytest.raises(ConfigError) as info:
        requirements.closure(root, ["requirements.txt"])
    assert "outside the project" in str(info.value)


def test_closure_missing_file(tmp_path):
    files(tmp_path, {"requirements.txt": "-r dev.txt\n"})
    with pytest.raises(ConfigError) as info:
        requirements.closure(tmp_path, ["requirements.txt"])
    assert info.value.exit_code == 2
    assert f"requirements file 'dev.txt' not found in {tmp_path}" in str(info.value)


def test_closure_missing_top_level_file(tmp_path):
    with pytest.raises(ConfigError):
        requirements.closure(tmp_path, ["nope.txt"])




def test_an_invalid_requirement_line_is_a_note_naming_its_file(tmp_path):
    tree(tmp_path, {"requirements.txt": "django>=4\n-r more.txt\n", "more.txt": "requests >>= 2\nattrs\n"})
    found = detection.inspect(tmp_path)
    assert found.dependencies == ["attrs", "django"]
    notes = [n for n in found.notes if "not a valid requirement" in n]
    assert len(notes) == 1 and notes[0].startswith("more.txt: 'requests >>= 2' is not a valid requirement (")


def test_a_main_file_pointing_at_production_gives_way_to_the_development_one(tmp_path):
    """bakerydemo: requirements.txt is `-r requirements/production.txt` (uwsgi, cloud
    storage); its README installs requirements/development.txt."""
    files = {"requirements.txt": "-r requirements/production.txt\n",
             "requirements/production.txt": "-r base.txt\nuwsgi\n", "requirements/base.txt": "django\n",
             "requirements/development.txt": "-r base.txt\ndjango-debug-toolbar\n"}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    assert requirements.choose_requirements(tmp_path) == ["requirements/development.txt"]
    # a main file of its own beside the pointer still counts
    (tmp_path / "requirements.txt").write_text("requests\n")
    assert requirements.choose_requirements(tmp_path) == ["requirements.txt", "requirements/development.txt"]


def test_a_production_pointer_holding_the_only_database_driver_is_installed_too(tmp_path):
    """bakerydemo: psycopg is only in production.txt, and its compose file runs the app on
    PostgreSQL: without it `migrate` fails on `No module named 'psycopg2'`."""
    files = {"requirements.txt": "-r requirements/production.txt\n",
             "requirements/production.txt": "-r base.txt\nuwsgi\npsycopg[binary]>=3.3\ndjango-redis\n",
             "requirements/base.txt": "django\n",
             "requirements/development.txt": "-r base.txt\ndjango-debug-toolbar\n"}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    picked = requirements.choice(tmp_path)
    assert picked.files == ["requirements.txt", "requirements/development.txt"]
    assert "it holds psycopg, the database driver requirements/development.txt lacks" in picked.why()
    found = detection.inspect(tmp_path)
    assert "psycopg" in found.dependencies and any(n.startswith("requirements: requirements.txt too") for n in found.notes)
    assert found.services == ["postgres", "redis"]
    # django-redis is only in the production file: its service is proposed commented, postgres is not
    assert "redis" in found.service_commented and "postgres" not in found.service_commented
    # a development file with a driver of its own for the same database: the production one stays out
    (tmp_path / "requirements/development.txt").write_text("-r base.txt\npsycopg2-binary\n")
    assert requirements.choice(tmp_path) == (["requirements/development.txt"], None, ())


def test_the_tests_file_is_installed_too_unless_already_included(tmp_path):
    """taiga-back: requirements.txt and requirements-devel.txt (pip-compile's, with pytest);
    a requirements-tests.txt beside them is added; one the dev file includes is not."""
    for rel, text in {"requirements.txt": "django\n", "requirements-devel.txt": "pytest-django\n",
                      "requirements-tests.txt": "pytest\n"}.items():
        (tmp_path / rel).write_text(text)
    assert requirements.choose_requirements(tmp_path) == ["requirements.txt", "requirements-devel.txt",
                                                          "requirements-tests.txt"]
    (tmp_path / "requirements-devel.txt").write_text("-r requirements-tests.txt\npytest-django\n")
    assert requirements.choose_requirements(tmp_path) == ["requirements.txt", "requirements-devel.txt"]
    (tmp_path / "requirements-devel.txt").unlink()
    assert requirements.choose_requirements(tmp_path) == ["requirements.txt", "requirements-tests.txt"]


def test_an_aggregate_naming_the_deployment_file_among_others_is_no_production_pointer(tmp_path):
    """warehouse: requirements.txt (for dependabot) includes main, deploy, tests, lint...: it is
    the whole set, installed with the development file, not a pointer to leave out."""
    files = {"requirements.txt": "-r requirements/main.txt\n-r requirements/deploy.txt\n-r requirements/tests.txt\n",
             "requirements/main.txt": "pyramid\npsycopg\nredis\n", "requirements/deploy.txt": "gunicorn\n",
             "requirements/tests.txt": "pytest\n", "requirements/dev.txt": "hupper\n"}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    assert requirements.choice(tmp_path) == (["requirements.txt", "requirements/dev.txt"], None, ())
    found = detection.inspect(tmp_path)
    assert found.services == ["postgres", "redis"] and found.service_commented == {}


PIP_COMPILED = """\
#
# This file is autogenerated by pip-compile with Python 3.12
#
amqp==5.2.0
    # via kombu
celery[redis]==5.4.0
    # via -r requirements/main.in
certifi==2025.11.12
    # via
    #   -c requirements.txt
    #   requests
kombu[redis]==5.4.2 \\
    --hash=sha256:0
    # via celery
redis==5.2.1
    # via
    #   -r requirements/main.in
    #   kombu
requests==2.32.3
    # via -r requirements/main.in
"""


def test_pip_compile_annotations_tell_what_only_other_packages_need(tmp_path):
    """warehouse's compiled requirements list amqp (kombu's) for a Celery on Redis: RabbitMQ
    is not proposed for it; an amqp the project asks for itself still proposes it."""
    assert pipcompile.compiled_transitive(PIP_COMPILED) == {"amqp", "certifi", "kombu"}
    assert pipcompile.compiled_transitive("amqp==5.2.0\ncelery==5.4.0\n") == set()  # not compiled: all direct
    (tmp_path / "requirements.txt").write_text(PIP_COMPILED)
    found = detection.inspect(tmp_path)
    assert "amqp" in found.dependencies and found.services == ["redis"]
    (tmp_path / "requirements.txt").write_text(PIP_COMPILED.replace("    # via kombu\n", "    # via -r x.in\n", 1))
    assert detection.inspect(tmp_path).services == ["redis", "rabbitmq"]
