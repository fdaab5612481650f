"""dkenv/project/scaffold.py: the `.dkenv.toml` that `dkenv init` writes, and the .gitignore lines."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from dkenv import __version__
from dkenv.detect import detection
from dkenv.project import config, scaffold

HOST = "%d.%d" % sys.version_info[:2]


def validate(root: Path, text: str) -> config.Config:
    path = root / config.CONFIG_NAME
    path.write_text(text)
    return config.load(root)


def django_project(root: Path) -> detection.Detection:
    (root / "requirements.txt").write_text("Django>=4.2\npsycopg2>=2.9\n")
    (root / "manage.py").write_text("")
    (root / ".python-version").write_text("3.12\n")
    return detection.inspect(root)


def test_django_config_validates_with_what_was_detected(tmp_path):
    found = django_project(tmp_path)
    text = scaffold.render_config(found, name="shop", base=None, python="3.12",
                                  python_reason="python:3.12-slim-bookworm provides it: .python-version '3.12' asks for it",
                                  services_toml=[])
    cfg = validate(tmp_path, text)
    assert text.splitlines()[0] == f"# dkenv project file, written by `dkenv init` (dkenv {__version__})"
    assert cfg.name == "shop"
    assert cfg.image.base == "python:3.12-slim-trixie"
    assert cfg.image.python == "3.12"
    assert cfg.image.python_from == "auto"
    assert cfg.image.apt == ["build-essential", "libpq-dev"]
    assert cfg.image.install == "pip"
    assert cfg.image.requirements == ["requirements.txt"]
    assert cfg.run.command == "python manage.py runserver 0.0.0.0:8000"
    assert cfg.run.ports == ["8000"]
    assert cfg.services == {}
    assert '"libpq-dev",  # psycopg2' in text
    comment = text.split('base = "python:3.12-slim-trixie"\n')[1].split('python = "3.12"\n')[0]
    assert comment.replace("\n# ", " ") == ("# The Python version, X.Y. `dkenv init` chose 3.12: python:3.12-slim-bookworm "
                                           "provides it: .python-version '3.12' asks for it.\n")
    assert all(len(line) <= 88 for line in comment.splitlines())


def test_every_key_is_shown_and_commented_keys_are_the_defaults(tmp_path):
    text = scaffold.render_config(detection.Detection(), name="p", base=None, python="3.11", services_toml=[])
    for table, keys in config.SCHEMA.items():
        section = re.search(rf"^\[{table}\]\n(.*?)(?=^\[|^# Services|\Z)", text, re.MULTILINE | re.DOTALL)
        assert section, table
        for key in keys:
            assert re.search(rf"^(# )?{key} = ", section.group(1), re.MULTILINE), f"{table}.{key}"
    before_services = text.split("# Services:")[0]
    uncommented = re.sub(r"^# (\w+ = )", r"\1", before_services, flags=re.MULTILINE)
    assert uncommented != before_services
    cfg = validate(tmp_path, uncommented)
    plain = validate(tmp_path, text)
    # unset extras/groups (None: the tool's default) is shown as [] (nothing: this project has none)
    plain.image.extras, plain.image.groups = plain.image.extras or [], plain.image.groups or []
    assert (cfg.image, cfg.run, cfg.shims) == (plain.image, plain.run, plain.shims)
    assert cfg.run == config.RunConfig()
    assert cfg.shims == config.ShimsConfig()
    assert cfg.image.install == "auto" and cfg.image.apt == [] and cfg.image.setup == ""


def test_python_and_base_choices(tmp_path):
    found = detection.Detection()
    text = scaffold.render_config(found, name="p", python="3.10", services_toml=[])
    assert 'python = "3.10"' in text and 'base = "python:3.10-slim-trixie"' in text
    text = scaffold.render_config(found, name="p", base="debian:bookworm-slim", python="3.11",
                                  services_toml=[])
    cfg = validate(tmp_path, text)
    assert (cfg.image.base, cfg.image.python) == ("debian:bookworm-slim", "3.11")
    assert "# The Python version, X.Y.\n" in text  # no reason given, none written
    host = scaffold.render_config(detection.Detection(), name="p", base=None, python=None, services_toml=[])
    assert validate(tmp_path, host).image.base == f"python:{HOST}-slim-trixie"


def test_python_left_unset_for_an_image_of_unknown_version(tmp_path):
    text = scaffold.render_config(detection.Detection(), name="p", base="python:latest", python=None,
                                  python_reason="python:latest's own (its tag names no version)", services_toml=[])
    cfg = validate(tmp_path, text)
    assert (cfg.image.base, cfg.image.python) == ("python:latest", None)
    assert "unset, so the build uses the base image's own" in text
    assert not re.search(r"^#? ?python = ", text, re.MULTILINE)


def test_service_blocks_are_appended_as_given(tmp_path):
    blocks = ['# PostgreSQL as host "db"\n[services.db]\ntemplate = "postgres"\nversion = "16"',
              '[services.cache]\ntemplate = "redis"\n']
    text = scaffold.render_config(detection.Detection(), name="p", python="3.12", services_toml=blocks)
    assert blocks[0] + "\n" in text and text.endswith(blocks[1])
    assert "# [services.db]" not in text  # the commented example is only for no services
    cfg = validate(tmp_path, text)
    assert {n: (s.template, s.version) for n, s in cfg.services.items()} == {
        "db": ("postgres", "16"), "cache": ("redis", None)}


def test_without_services_an_example_is_commented(tmp_path):
    text = scaffold.render_config(detection.Detection(), name="p", base=None, python="3.12", services_toml=[])
    assert '# [services.db]\n# template = "postgres"\n' in text
    assert validate(tmp_path, text).services == {}


def test_manager_none_leaves_install_to_detection(tmp_path):
    text = scaffold.render_config(detection.Detection(), name="p", base=None, python="3.12", services_toml=[])
    assert '# install = "auto"' in text
    assert validate(tmp_path, text).image.install == "auto"


def test_pyproject_manager_writes_no_requirements(tmp_path):
    found = detection.Detection(manager="uv")
    cfg = validate(tmp_path, scaffold.render_config(found, name="p", python="3.12", services_toml=[]))
    assert (cfg.image.install, cfg.image.requirements) == ("uv", [])


def test_constraints_keep_requirements_with_detection(tmp_path):
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "constraints.txt").write_text("flask==3.0.0\n")
    found = detection.inspect(tmp_path)
    text = scaffold.render_config(found, name="p", python="3.12", services_toml=[])
    cfg = validate(tmp_path, text)
    assert cfg.image.install == "pip"
    assert cfg.image.requirements == []  # detection passes constraints.txt only when this is unset
    assert '# requirements = ["requirements.txt"]' in text


def test_strings_are_escaped(tmp_path):
    found = detection.Detection(command='python -c "print(\'\\\\ ok\')"', ports=[8000, 9000])
    cfg = validate(tmp_path, scaffold.render_config(found, name="p", python="3.12", services_toml=[]))
    assert cfg.run.command == found.command
    assert cfg.run.ports == ["8000", "9000"]


def test_notes_become_comments(tmp_path):
    found = detection.Detection(notes=["dependencies: pip, requirements.txt", "two\nlines"])
    text = scaffold.render_config(found, name="p", python="3.12", services_toml=[])
    assert "#   dependencies: pip, requirements.txt\n" in text
    assert "#   two lines\n" in text
    validate(tmp_path, text)


# --- extras and groups: init proposes the development ones it finds ---

def init_text(root: Path, tree: dict[str, str]) -> tuple[str, config.Config]:
    for rel, text in tree.items():
        (root / rel).write_text(text)
    text = scaffold.render_config(detection.inspect(root), name="p", python="3.11", services_toml=[])
    return text, validate(root, text)


def test_a_test_extra_is_proposed_with_where_it_was_found(tmp_path):
    text, cfg = init_text(tmp_path, {"pyproject.toml": '[project]\nname = "blog"\ndependencies = ["flask"]\n'
                                                       '[project.optional-dependencies]\ntest = ["pytest"]\n'
                                                       'pg = ["psycopg"]\n'})
    assert 'extras = ["test"]  # found in pyproject.toml [project.optional-dependencies]; also: pg\n' in text
    assert "\n# groups = []\n" in text
    assert (cfg.image.extras, cfg.image.groups) == (["test"], None)


def test_groups_the_tool_installs_anyway_stay_commented(tmp_path):
    text, cfg = init_text(tmp_path, {"pyproject.toml": '[project]\nname = "a"\ndependencies = []\n'
                                                       '[dependency-groups]\ndev = ["pytest"]\ndocs = ["sphinx"]\n',
                                     "uv.lock": ""})
    assert ('# groups = ["dev"]  # the default, found in pyproject.toml [dependency-groups]; also: docs\n'
            in text)
    assert "\n# extras = []\n" in text
    assert (cfg.image.install, cfg.image.extras, cfg.image.groups) == ("uv", None, None)


def test_a_development_group_left_out_by_default_is_proposed(tmp_path):
    text, cfg = init_text(tmp_path, {"pyproject.toml": """\
[tool.poetry]
name = "a"
[tool.poetry.dependencies]
python = "^3.11"
[tool.poetry.group.lint.dependencies]
ruff = "*"
[tool.poetry.group.test]
optional = true
[tool.poetry.group.test.dependencies]
pytest = "*"
[tool.poetry.extras]
pg = []
"""})
    assert ('groups = ["lint", "test"]  # found in pyproject.toml [tool.poetry.group] and [dependency-groups]; '
            "the default: lint\n") in text
    assert "# extras = []  # pyproject.toml [tool.poetry.extras] declares pg\n" in text
    assert (cfg.image.install, cfg.image.extras, cfg.image.groups) == ("poetry", None, ["lint", "test"])


def test_run_command_says_where_it_came_from(tmp_path):
    found = detection.Detection(command="flask --app blog run --host 0.0.0.0 --port 5000", ports=[5000],
                                command_from="Procfile (web): `gunicorn blog:app`")
    text = scaffold.render_config(found, name="p", python="3.12", services_toml=[])
    assert "# From Procfile (web): `gunicorn blog:app`.\ncommand = \"flask --app blog run" in text
    assert validate(tmp_path, text).run.command == found.command


def test_a_guessed_run_command_is_written_commented_with_why(tmp_path):
    found = detection.Detection(command="uvicorn main:app --host 0.0.0.0 --port 8000 --reload", ports=[8000],
                                command_from="FastAPI", command_guess="no app was found")
    text = scaffold.render_config(found, name="p", python="3.12", services_toml=[])
    assert ('# A guess, left commented (FastAPI; no app was found):\n'
            '# command = "uvicorn main:app --host 0.0.0.0 --port 8000 --reload"\n') in text
    cfg = validate(tmp_path, text)
    assert cfg.run.command == "" and cfg.run.ports == ["8000"]
