"""dkenv/commands/init.py: `dkenv init` end to end."""
from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

import pytest

from dkenv import __version__
from dkenv.commands import init
from dkenv.engine import engine as engine_module
from dkenv.errors import FatalError, UsageError
from dkenv.project import config
from tests.conftest import REPO, make_writable
from tests.unit.conftest import options

HOST = "%d.%d" % sys.version_info[:2]


class Images:
    """An engine as init sees it (services/proposals.LocalImages): the images it has; each
    connection counted."""

    def __init__(self, tags: list[str] | None = None):
        self.tags, self.connects = tags or [], 0

    def connect(self, out=None, env=None, timeout=300):
        self.connects += 1
        return self

    def image_references(self, repository: str) -> list[str]:
        return [t for t in self.tags if t.startswith(repository + ":")]


def no_engine(out=None, env=None, timeout=300):
    raise FatalError("dkenv: cannot reach the Docker Engine at unix:///nonexistent: refused")


@pytest.fixture(autouse=True)
def no_local_images(monkeypatch):
    """init asks the engine which images it has (services/proposals.LocalImages): the
    unit tests decide that themselves; by default there is no engine."""
    monkeypatch.setattr(engine_module, "connect", no_engine)



@pytest.fixture(autouse=True)
def state(tmp_path, monkeypatch):
    """dkenv's per-user state (the allow list) goes to tmp_path, never the real home."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state"


@pytest.fixture
def catalog():
    """The service catalog dkenv ships."""
    from dkenv.services.catalog import catalog as shipped

    return shipped()


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "shop"
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


DJANGO = {"requirements.txt": "Django>=4.2\npsycopg2>=2.9\ndjango-redis\n", "manage.py": "",
          ".python-version": "3.12\n", ".gitignore": "*.pyc\n"}


def init_run(root: Path, **kw) -> tuple[int, list[str]]:
    lines: list[str] = []
    kw_options = {"yes": True, "python": None, "base": None, "force": False, "services": []}
    kw_options.update(kw)
    opts = options(root)
    code = init.run(opts, **kw_options)
    lines += opts.out.lines
    return code, lines


def test_django_project(tmp_path, catalog):
    root = project(tmp_path, DJANGO)
    code, lines = init_run(root)
    assert code == 0
    text = (root / ".dkenv.toml").read_text()
    assert text.splitlines()[0] == f"# dkenv project file, written by `dkenv init` (dkenv {__version__})"
    cfg = config.load(root)
    assert cfg.name == "shop"
    assert cfg.image.base == "python:3.12-slim-trixie"
    assert cfg.image.apt == ["build-essential", "libpq-dev"]
    assert cfg.run.command == "python manage.py runserver 0.0.0.0:8000"
    assert cfg.run.ports == ["8000"]
    assert {n: s.template for n, s in cfg.services.items()} == {"db": "postgres", "redis": "redis"}
    assert (root / ".gitignore").read_text() == "*.pyc\ndata/\n.dkenv/\n"
    output = "\n".join(lines)
    assert "python manage.py runserver" in output  # the notes are printed
    assert "service db: postgres" in output
    assert f"wrote {root / '.dkenv.toml'}" in output
    assert lines[-1].endswith("`dkenv up`")


def test_the_project_is_allowed(tmp_path, catalog, state):
    from dkenv.shell import allow

    root = project(tmp_path, {"requirements.txt": "flask\n"})
    init_run(root)
    assert allow.is_allowed(root)
    assert any(state.rglob("*"))  # recorded under XDG_STATE_HOME


def test_refuses_to_overwrite(tmp_path, catalog):
    root = project(tmp_path, {"requirements.txt": "flask\n", ".dkenv.toml": "# mine\n"})
    with pytest.raises(UsageError) as info:
        init_run(root)
    assert info.value.exit_code == 2
    assert "already exists" in str(info.value) and "--force" in str(info.value)
    assert (root / ".dkenv.toml").read_text() == "# mine\n"


def test_force_overwrites(tmp_path, catalog):
    root = project(tmp_path, {"requirements.txt": "flask\n", "app.py": "", ".dkenv.toml": "# mine\n"})
    assert init_run(root, force=True)[0] == 0
    assert config.load(root).run.command == "flask run --host 0.0.0.0 --port 5000"
    assert not list(root.glob(".*.tmp"))


@pytest.mark.parametrize("python", ["3", "3.12.1", "py3.12", "2.7", ""])
def test_bad_python_option(tmp_path, catalog, python):
    root = project(tmp_path, {})
    with pytest.raises(UsageError, match="X.Y"):
        init_run(root, python=python)
    assert not (root / ".dkenv.toml").exists()


def test_python_option_wins_and_host_is_the_fallback(tmp_path, catalog):
    root = project(tmp_path, {".python-version": "3.12\n"})
    code, lines = init_run(root, python="3.13")
    assert config.load(root).image.python == "3.13"
    assert "  python 3.13: given with --python (note: .python-version '3.12' does not allow it)" in lines
    bare = project(tmp_path / "other", {})
    code, lines = init_run(bare)
    assert config.load(bare).image.python == HOST
    assert any("the host's" in line for line in lines)


@pytest.mark.parametrize("files, base, python, python_from, said", [
    # a range on a python image is the image's version (the issue: not the lowest allowed)
    ({"pyproject.toml": "[tool.poetry]\nname = 'x'\n[tool.poetry.dependencies]\npython = '^3.10'\n"},
     "python:3.11-slim-bookworm", "3.11", "image",
     "python:3.11-slim-bookworm provides it and pyproject.toml [tool.poetry.dependencies] python '^3.10' allows it"),
    ({"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.10'\n"}, "debian:bookworm-slim", "3.11",
     "system", "debian:bookworm-slim ships it as python3 and pyproject.toml requires-python '>=3.10' allows it"),
    ({"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.12'\n"}, "debian:bookworm-slim", "3.15",
     "uv", "uv installs it on debian:bookworm-slim (its python3 is 3.11): the newest that"),
    ({"Pipfile": '[requires]\npython_version = "3"\n'}, "python:3.11", "3.11", "image",
     "python:3.11 provides it and Pipfile [requires] python_version '3' allows it"),
    ({".python-version": "3.12\n"}, None, "3.12", "image",
     "python:3.12-slim-trixie provides it: .python-version '3.12' asks for it"),
    ({"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.13'\n"}, None, "3.15", "image",
     "python:3.15-slim-trixie provides it: the newest that pyproject.toml requires-python '>=3.13' allows"),
    ({".python-version": "3.12\n", "Dockerfile": "FROM python:3.12.4-slim-bookworm\n"}, None, "3.12", "image",
     "python:3.12-slim-bookworm provides it: .python-version '3.12' asks for it"),  # the Dockerfile's Debian
])
def test_the_python_is_chosen_for_the_base_and_the_reason_printed(tmp_path, catalog, files, base, python,
                                                                  python_from, said):
    from dkenv.detect import basepython as image_python

    root = project(tmp_path, files)
    code, lines = init_run(root, base=base)
    assert code == 0
    cfg = config.load(root)
    assert cfg.image.python == python
    assert image_python.resolve_python_from(cfg.image.base, python, cfg.image.python_from) == python_from
    assert any(line.startswith(f"  python {python}: {said}") for line in lines), lines
    assert said.split(": ")[-1][:30] in (root / ".dkenv.toml").read_text().replace("\n# ", " ")


def test_a_base_the_project_cannot_use_is_a_usage_error_with_the_fix(tmp_path, catalog):
    root = project(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.8,<3.11'\n"})
    with pytest.raises(UsageError) as info:
        init_run(root, base="python:3.11-slim-bookworm")
    message = str(info.value)
    assert info.value.exit_code == 2 and "\n" not in message
    assert message.startswith("dkenv: --base python:3.11-slim-bookworm: python:3.11-slim-bookworm provides Python "
                              "3.11, which pyproject.toml requires-python '>=3.8,<3.11' does not allow")
    assert "use --base python:3.10-slim-bookworm, or --base debian:trixie-slim (uv then installs 3.10)" in message
    assert not (root / ".dkenv.toml").exists()


def test_python_option_the_base_cannot_provide(tmp_path, catalog):
    root = project(tmp_path, {})
    with pytest.raises(UsageError) as info:
        init_run(root, base="python:3.11-slim-bookworm", python="3.10")
    assert str(info.value) == ("dkenv: --python 3.10: python:3.11-slim-bookworm provides Python 3.11, not 3.10; use "
                               "--base python:3.10-slim-bookworm, or --base debian:trixie-slim (uv then installs "
                               "3.10)")
    assert not (root / ".dkenv.toml").exists()
    # on a Debian base, uv provides it, and init says so
    code, lines = init_run(root, base="debian:bookworm-slim", python="3.10")
    assert config.load(root).image.python == "3.10"
    assert "  python 3.10: given with --python; uv installs it on debian:bookworm-slim (its python3 is 3.11)" in lines


@pytest.mark.parametrize("python", ["3.7", "3.99"])
def test_python_option_dkenv_cannot_provide(tmp_path, catalog, python):
    root = project(tmp_path, {})
    with pytest.raises(UsageError, match=f"--python {python}: dkenv can provide Python 3.8 to 3.15"):
        init_run(root, python=python)


def test_a_constraint_nothing_meets(tmp_path, catalog):
    root = project(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.16'\n"})
    with pytest.raises(UsageError, match=r"allows none of the Pythons dkenv can provide \(3.8 to 3.15\); pass "
                                         r"--python X.Y"):
        init_run(root)


def test_an_image_of_unknown_version_leaves_python_unset(tmp_path, catalog):
    root = project(tmp_path, {".python-version": "3.12\n"})
    code, lines = init_run(root, base="python:latest")
    assert config.load(root).image.python is None
    assert any(line.startswith("  python (unset): python:latest's own") for line in lines)


def test_base_option(tmp_path, catalog):
    root = project(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\ndependencies = []\n"})
    init_run(root, base="ubuntu:24.04", python="3.12")
    cfg = config.load(root)
    assert (cfg.image.base, cfg.image.install) == ("ubuntu:24.04", "pyproject")


def test_service_option_adds_catalog_services_once(tmp_path, catalog):
    root = project(tmp_path, {"requirements.txt": "redis\n"})
    init_run(root, services=["Redis", "postgres", "mysql", "postgres"])
    cfg = config.load(root)
    assert [(n, s.template) for n, s in cfg.services.items()] == [
        ("redis", "redis"), ("db", "postgres"), ("mysql", "mysql")]


def test_unknown_service_suggests_a_name(tmp_path, catalog):
    root = project(tmp_path, {})
    with pytest.raises(UsageError) as info:
        init_run(root, services=["postgress"])
    assert info.value.exit_code == 2
    assert 'did you mean "postgres"' in str(info.value)
    assert not (root / ".dkenv.toml").exists()


def test_missing_directory(tmp_path, catalog):
    with pytest.raises(UsageError, match="no such directory"):
        init_run(tmp_path / "nope")


def test_no_gitignore_is_created(tmp_path, catalog):
    root = project(tmp_path, {"requirements.txt": "flask\n"})
    init_run(root)
    assert not (root / ".gitignore").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes a read-only file")
def test_a_read_only_gitignore_or_a_linked_dockerignore_is_said_and_left_init_goes_on(tmp_path, catalog):
    root = project(tmp_path, {"requirements.txt": "flask\n", ".gitignore": "*.pyc\n"})
    (root / ".gitignore").chmod(0o444)
    (tmp_path / "elsewhere").write_text("*.log\n")
    (root / ".dockerignore").symlink_to(tmp_path / "elsewhere")
    code, lines = init_run(root)
    assert code == 0 and (root / ".dkenv.toml").is_file()
    assert (root / ".gitignore").read_text() == "*.pyc\n" and (tmp_path / "elsewhere").read_text() == "*.log\n"
    assert any(line.startswith(f"dkenv: cannot write {root / '.gitignore'}: Permission denied; add data/ and "
                               ".dkenv/ to it yourself") for line in lines), lines
    assert any(".dockerignore" in line and line.endswith("add data/ and .dkenv/ and **/.env to it yourself")
               for line in lines), lines
    assert lines[-1] == "Next: review .dkenv.toml, then `dkenv up`"


def test_a_project_with_a_dockerfile_gets_data_and_dkenv_in_its_dockerignore(tmp_path, catalog):
    root = project(tmp_path, {"requirements.txt": "flask\n", "Dockerfile": "FROM python:3.12\nCOPY . .\n"})
    code, lines = init_run(root)
    assert code == 0
    assert {"data/", ".dkenv/", "**/.env"} <= set((root / ".dockerignore").read_text().splitlines())
    assert any(line.startswith(f"dkenv: wrote {root / '.dockerignore'}") for line in lines)


def test_cli_wiring_and_exit_codes(tmp_path, catalog, capsys):
    from dkenv.cli import main

    root = project(tmp_path, {"requirements.txt": "fastapi\n", "main.py": "import fastapi\napp = fastapi.FastAPI()\n"})
    assert main(["-C", str(root), "init", "--yes", "--python", "3.12"]) == 0
    assert config.load(root).run.command == "uvicorn main:app --host 0.0.0.0 --port 8000 --reload"
    assert main(["-C", str(root), "init"]) == 2
    assert "already exists" in capsys.readouterr().err


# --- layouts: an app in a subfolder, uv workspaces, .env ---

WORKSPACE = REPO / "tests" / "data" / "uv-workspace"


def test_workspace_root_chooses_the_member_holding_the_app(tmp_path, catalog):
    root = tmp_path / "ws"
    shutil.copytree(WORKSPACE, root)
    code, lines = init_run(root)
    assert code == 0
    cfg = config.load(root)
    assert (cfg.image.install, cfg.image.workdir, cfg.image.python) == ("uv", "backend", "3.11")
    assert cfg.run.command == "flask --app app.main run --host 0.0.0.0 --port 5000"
    assert cfg.run.env_file == ".env"
    assert cfg.run.env == {}  # REDIS_URL names localhost, but there is no redis service
    output = "\n".join(lines)
    assert "app folder: backend/ (Flask is there; the root has no web framework); image.workdir = 'backend'" in output
    assert "# What `dkenv run` runs in the project container, in the foreground in backend/," in \
        (root / ".dkenv.toml").read_text()


def test_init_in_a_workspace_member_names_the_workspace(tmp_path, catalog):
    root = tmp_path / "ws"
    shutil.copytree(WORKSPACE, root)
    with pytest.raises(UsageError) as info:
        init_run(root / "backend")
    message = str(info.value)
    assert info.value.exit_code == 2
    assert f"is a member of the uv workspace {root}" in message
    assert f"`dkenv init -C {root}`" in message and 'image.workdir = "backend"' in message
    assert not (root / "backend" / ".dkenv.toml").exists()


def test_env_values_naming_localhost_point_at_the_services(tmp_path, catalog):
    root = project(tmp_path, {"api/requirements.txt": "flask\npsycopg[binary]\nredis\n",
                              "api/app.py": "from flask import Flask\napp = Flask(__name__)\n",
                              ".env": "POSTGRES_SERVER=localhost\nREDIS_URL=redis://localhost:6379/0\nDEBUG=1\n"})
    code, lines = init_run(root)
    cfg = config.load(root)
    assert (cfg.image.workdir, cfg.run.env_file) == ("api", ".env")
    assert cfg.run.env == {"POSTGRES_SERVER": "db", "REDIS_URL": "redis://redis:6379/0"}
    assert ".env: POSTGRES_SERVER=localhost is the container itself inside it; run.env sets 'db'" in "\n".join(lines)


def test_the_database_gets_the_credentials_the_env_file_expects(tmp_path, catalog):
    from dkenv.services import resolve

    root = project(tmp_path, {"requirements.txt": "flask\npsycopg[binary]\n",
                              "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                              ".env": "DATABASE_URL=postgres://shop:s3cret@localhost:5432/shopdb\n"})
    code, lines = init_run(root)
    cfg = config.load(root)
    assert cfg.services["db"].env == {"POSTGRES_USER": "shop", "POSTGRES_PASSWORD": "s3cret", "POSTGRES_DB": "shopdb"}
    assert cfg.run.env["DATABASE_URL"] == "postgres://shop:s3cret@db:5432/shopdb"
    resolved = resolve.resolve(cfg.services["db"])  # what the service is created with and injects
    injected = resolve.entry_variables(resolved.entry, "db", resolved.env)
    # the same server and credentials; the scheme every client accepts (SQLAlchemy refuses postgres://)
    assert injected["DATABASE_URL"] == "postgresql://shop:s3cret@db:5432/shopdb" and injected["PGUSER"] == "shop"
    assert any("service db: POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB as .env expects" in line for line in lines)
    assert "# the credentials .env expects (the catalog's:" in (root / ".dkenv.toml").read_text()


def test_an_unreadable_env_file_is_not_proposed(tmp_path, catalog):
    root = project(tmp_path, {"requirements.txt": "flask\n", ".env": "this is not a KEY=VALUE line\n"})
    code, lines = init_run(root)
    assert config.load(root).run.env_file == ""
    assert any(line.startswith("  .env: not used as run.env_file") for line in lines)


CORPUS = Path(os.environ.get("DKENV_CORPUS") or Path(__file__).resolve().parents[4] / "shared" / "corpus")


@pytest.mark.skipif(not (CORPUS / "flask-tutorial").is_dir(), reason="the corpus of real projects is not here")
def test_flask_tutorial_gets_its_test_extra(tmp_path, catalog):
    import shutil

    root = tmp_path / "flask-tutorial"
    shutil.copytree(CORPUS / "flask-tutorial", root)
    make_writable(root)
    code, lines = init_run(root)
    assert code == 0
    assert 'extras = ["test"]  # found in pyproject.toml [project.optional-dependencies]' in (
        root / ".dkenv.toml").read_text()
    assert config.load(root).image.extras == ["test"]
    assert any("extras: test (in pyproject.toml [project.optional-dependencies])" in line for line in lines)


def corpus_copy(tmp_path: Path, name: str) -> Path:
    if not (CORPUS / name).is_dir():
        pytest.skip(f"the corpus project {name} is not here")
    root = tmp_path / name
    shutil.copytree(CORPUS / name, root)
    make_writable(root)
    return root


def test_fastapi_realworld_runs_as_its_dockerfile_says(tmp_path, catalog):
    root = corpus_copy(tmp_path, "fastapi-realworld")
    code, lines = init_run(root)
    assert code == 0
    cfg = config.load(root)
    assert cfg.run.command == "uvicorn app.main:app --host 0.0.0.0 --port 8000 --reload"
    assert cfg.run.ports == ["8000"]
    assert "  framework: FastAPI (app = get_application() in app/main.py)" in lines
    assert ("  run: uvicorn app.main:app --host 0.0.0.0 --port 8000 --reload (from Dockerfile CMD: "
            "`uvicorn --host=0.0.0.0 app.main:app`)") in lines
    assert "    the same in: README.rst" in lines
    assert "# From Dockerfile CMD: `uvicorn --host=0.0.0.0 app.main:app`." in (root / ".dkenv.toml").read_text()
    production = next(line for line in lines if line.startswith("dkenv: production: "))
    assert production.startswith("dkenv: production: gunicorn app.main:app --worker-class uvicorn.workers.")


def test_microblog_runs_its_flask_app_as_the_procfile_and_flaskenv_say(tmp_path, catalog):
    root = corpus_copy(tmp_path, "microblog")
    code, lines = init_run(root)
    assert code == 0
    cfg = config.load(root)
    assert cfg.run.command == "flask --app microblog run --host 0.0.0.0 --port 5000"
    assert cfg.run.ports == ["5000"]
    assert "  run: flask --app microblog run --host 0.0.0.0 --port 5000 (from Procfile (web): " \
           "`gunicorn microblog:app`)" in lines
    assert "    the same in: Dockerfile ENTRYPOINT (boot.sh), FLASK_APP=microblog.py in .flaskenv" in lines
    assert not any("Django" in line for line in lines)


@pytest.mark.real_ports
def test_ports_taken_now_are_not_proposed(tmp_path, catalog):
    root = project(tmp_path, DJANGO)
    with socket.socket() as busy:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            busy.bind(("127.0.0.1", 8000))
        except OSError:
            pass  # something here listens on 8000 already: the same case
        busy.listen()
        code, lines = init_run(root)
    cfg = config.load(root)
    assert code == 0
    assert cfg.run.ports != ["8000"] and cfg.run.ports[0].endswith(":8000")
    assert any("host port 8000 is taken" in line for line in lines)


def test_init_says_the_production_server_and_the_checks_left(tmp_path, catalog):
    root = project(tmp_path, {
        "requirements.txt": "django\npsycopg2\n",
        "manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
        "shop/settings.py": 'SECRET_KEY = "x"\nALLOWED_HOSTS = ["*"]\nWSGI_APPLICATION = "shop.wsgi.application"\n',
    })
    code, lines = init_run(root)
    assert code == 0
    command = "gunicorn shop.wsgi:application --bind 0.0.0.0:8000 --config /etc/dkenv/gunicorn.conf.py"
    assert f"dkenv: production: {command}" in lines
    assert "  gunicorn added to the production image (the project does not depend on it)" in lines
    assert any(line.startswith("  release step: python manage.py migrate --noinput") for line in lines)
    checks = lines[lines.index("dkenv: before deploying, decide (docs/production.md):") + 1:]
    assert any("SECRET_KEY is written in the settings" in c for c in checks)
    assert any("ALLOWED_HOSTS is ['*']" in c for c in checks)
    text = (root / ".dkenv.toml").read_text()
    assert f'# command = "{command}"' in text and '# release = "python manage.py migrate --noinput"' in text
    assert config.load(root).production == config.ProductionConfig()  # commented: it follows the project


def test_the_newest_python_image_on_the_machine_that_the_project_allows(tmp_path, monkeypatch):
    monkeypatch.setattr(init, "_local_pythons", lambda local_images: {"3.13": "python:3.13-slim-trixie",
                                                          "3.11": "python:3.11-slim-bookworm"})
    free = project(tmp_path / "free", {})
    init_run(free)
    assert config.load(free).image.base == "python:3.13-slim-trixie"
    capped = project(tmp_path / "capped", {"pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'
                                                               'requires-python = ">=3.9,<3.13"\n'})
    code, lines = init_run(capped)
    cfg = config.load(capped)
    assert (cfg.image.base, cfg.image.python) == ("python:3.11-slim-bookworm", "3.11")
    assert any("on this machine" in line and "<3.13" in line for line in lines)


def test_the_service_version_the_project_names_or_the_machine_has(tmp_path, monkeypatch):
    monkeypatch.setattr(engine_module, "connect", Images(["redis:7"]).connect)
    root = project(tmp_path / "p", {"requirements.txt": "django\npsycopg2-binary\nredis\n",
                                    "docker-compose.yml": "services:\n  db:\n    image: postgres:15\n"})
    code, lines = init_run(root)
    cfg = config.load(root)
    versions = {name: s.version for name, s in cfg.services.items()}
    assert "15" in versions.values() and "7" in versions.values()
    assert any("docker-compose.yml names postgres:15" in line for line in lines)


def test_init_connects_to_the_engine_once_for_the_python_and_every_service(tmp_path, monkeypatch):
    engine = Images(["redis:7", "postgres:15", "python:3.13-slim-trixie"])
    monkeypatch.setattr(engine_module, "connect", engine.connect)
    root = project(tmp_path / "p", {"requirements.txt": "django\npsycopg2-binary\nredis\n"})
    assert init_run(root)[0] == 0
    cfg = config.load(root)
    assert {s.version for s in cfg.services.values()} == {"15", "7"}  # each asked of the one connection
    assert cfg.image.base == "python:3.13-slim-trixie"
    assert engine.connects == 1


def test_without_an_engine_init_tries_it_once_and_proposes_anyway(tmp_path, monkeypatch):
    tries = []

    def refused(out=None, env=None, timeout=300):
        tries.append(timeout)
        raise FatalError("dkenv: cannot reach the Docker Engine: timed out")

    monkeypatch.setattr(engine_module, "connect", refused)
    root = project(tmp_path / "p", {"requirements.txt": "django\npsycopg2-binary\nredis\n"})
    assert init_run(root)[0] == 0
    assert set(config.load(root).services) == {"db", "redis"}
    assert tries == [10]  # not once per service, nor again for the python images


COMPOSE_APP_BELOW = """\
services:
  web:
    build: ./app
    command: python manage.py runserver 0.0.0.0:8000
    env_file:
      - ./.env.dev
  db:
    image: postgres:15
    environment:
      - POSTGRES_USER=hello
      - POSTGRES_PASSWORD=hello
      - POSTGRES_DB=hello_dev
      - POSTGRES_INITDB_ARGS=${INITDB_ARGS}
"""


def test_an_app_in_a_subfolder_with_its_compose_env_file_and_database(tmp_path, catalog):
    """A Django app in app/ (its manage.py, requirements and Dockerfile there), nothing to
    install at the root, a root compose file that builds ./app with an env_file and a
    database with its credentials: init proposes all of it, no edit needed."""
    root = project(tmp_path, {
        "app/manage.py": "import os\nfrom django.core.management import execute_from_command_line\n",
        "app/requirements.txt": "Django==4.2.3\npsycopg2-binary==2.9.6\n",
        "app/Dockerfile": "# base\nFROM python:3.11.4-slim-buster AS base\nCMD [\"sh\"]\n",
        "docker-compose.yml": COMPOSE_APP_BELOW,
        ".env.dev": "SQL_HOST=db\nSQL_USER=hello\n",
        ".env.dev-sample": "SQL_HOST=db\n"})
    code, lines = init_run(root)
    cfg = config.load(root)
    assert (cfg.image.workdir, cfg.image.install, cfg.image.python) == ("app", "pip", "3.11")
    assert cfg.run.env_file == ".env.dev"
    assert cfg.run.command == "python manage.py runserver 0.0.0.0:8000"
    db = cfg.services["db"]
    assert db.env == {"POSTGRES_USER": "hello", "POSTGRES_PASSWORD": "hello", "POSTGRES_DB": "hello_dev"}
    text = "\n".join(lines)
    assert "app folder: app/ (Django is there; the root has no manifest)" in text
    assert "python 3.11 (from Dockerfile's FROM python:3.11.4-slim-buster)" in text
    assert "as docker-compose.yml (services.db.environment) expects" in text


def test_the_apps_compose_environment_becomes_run_env_pointed_at_the_services(tmp_path, catalog):
    """A Tortoise app's compose file gives it DATABASE_URL=postgres://...@web-db/web_dev (Tortoise
    knows no postgresql:// scheme): run.env keeps the project's URL, at the dkenv service, and
    the service gets its database name."""
    root = project(tmp_path, {
        "project/requirements.txt": "fastapi\nasyncpg\n",
        "project/app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "docker-compose.yml": "services:\n  web:\n    build: ./project\n    environment:\n"
                              "      - DATABASE_URL=postgres://postgres:postgres@web-db:5432/web_dev\n"
                              "  web-db:\n    build: ./project/db\n"})
    code, lines = init_run(root)
    cfg = config.load(root)
    assert cfg.run.env == {"DATABASE_URL": "postgres://postgres:postgres@db:5432/web_dev"}
    assert cfg.services["db"].env == {"POSTGRES_DB": "web_dev"}
    assert any("run.env: DATABASE_URL from docker-compose.yml (services.web.environment)" in line for line in lines)


def test_a_compose_files_mariadb_stands_for_the_mysql_a_driver_suggests_and_takes_its_name(tmp_path, catalog):
    """CTFd: pymysql suggests MySQL, its compose file runs MariaDB as `db` for the app `ctfd`,
    whose database user and name are `ctfd` too; psycopg2-binary is a dev group's only."""
    root = project(tmp_path, {
        "pyproject.toml": "[project]\nname = 'ctfd'\ndependencies = ['flask', 'pymysql', 'redis']\n"
                          "[dependency-groups]\ndev = ['psycopg2-binary']\n",
        "wsgi.py": "from flask import Flask\napp = Flask(__name__)\n",
        "docker-compose.yml": "services:\n  ctfd:\n    build: .\n    environment:\n"
                              "      - DATABASE_URL=mysql+pymysql://ctfd:ctfd@db/ctfd\n"
                              "      - REDIS_URL=redis://cache:6379\n"
                              "  db:\n    image: mariadb:10.11\n    environment:\n      - MARIADB_USER=ctfd\n"
                              "  cache:\n    image: redis:4\n"})
    code, lines = init_run(root)
    cfg = config.load(root)
    assert code == 0 and set(cfg.services) == {"db", "redis"}, lines  # no mysql beside mariadb
    assert cfg.services["db"].template == "mariadb"
    assert cfg.run.env == {"DATABASE_URL": "mysql+pymysql://ctfd:ctfd@db/ctfd", "REDIS_URL": "redis://redis:6379"}
    assert cfg.services["db"].env["MARIADB_USER"] == "ctfd"
    assert "  service: mysql is served by the mariadb the compose file runs" in lines, lines


def test_the_compose_files_services_and_workers_are_proposed(tmp_path, catalog):
    """A Celery project whose compose file runs RabbitMQ (no amqp dependency says so) and a
    worker beside the app: both proposed, the broker's URL pointed at it, the worker on the
    project image with what it depends on."""
    root = project(tmp_path, {
        "requirements.txt": "django\ncelery\npsycopg2-binary\n",
        "manage.py": "from django.core.management import execute_from_command_line\n",
        "docker-compose.yml": "services:\n  django:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                              "    environment:\n      - CELERY_BROKER_URL=amqp://guest:guest@mq:5672//\n"
                              "  celery:\n    build: .\n    command: celery -A proj worker -l info\n"
                              "    depends_on: [pg, mq, django]\n"
                              "  pg:\n    image: postgres:15\n  mq:\n    image: rabbitmq:3.13-management\n"})
    code, lines = init_run(root)
    cfg = config.load(root)
    assert set(cfg.services) == {"db", "rabbitmq", "celery"}
    assert cfg.services["celery"].command == "celery -A proj worker -l info"
    assert cfg.services["celery"].depends_on == ["db", "rabbitmq"]  # the app is no service
    assert cfg.services["celery"].template is None and cfg.services["celery"].image is None
    assert cfg.run.env == {"CELERY_BROKER_URL": "amqp://guest:guest@rabbitmq:5672//"}
    assert cfg.services["rabbitmq"].env == {"RABBITMQ_DEFAULT_USER": "guest", "RABBITMQ_DEFAULT_PASS": "guest"}
    assert "  service: rabbitmq (docker-compose.yml (services.mq) runs it)" in lines


def test_a_service_the_app_runs_without_is_written_commented_with_why(tmp_path, catalog, monkeypatch):
    monkeypatch.setattr(engine_module, "connect", Images(["redis:7"]).connect)
    files = {"requirements.txt": "flask\nredis\nelasticsearch\n",
             "config.py": "import os\nSEARCH = os.environ.get('ELASTICSEARCH_URL')\nCACHE = os.environ['REDIS_URL']\n",
             "app.py": "search = Search(SEARCH) if SEARCH else None\n"}
    root = project(tmp_path, files)
    code, lines = init_run(root)
    assert code == 0
    assert list(config.load(root).services) == ["redis"]
    text = (root / ".dkenv.toml").read_text()
    block = text[text.index("# Proposed, not active"):]
    said = " ".join(block[:block.index("\n# [services")].replace("#", " ").split())
    assert "config.py reads `SEARCH = os.environ.get('ELASTICSEARCH_URL')` with no default" in said
    assert "uncomment [services.elasticsearch] and template." in said
    assert "\n# [services.elasticsearch]\n# template = \"elasticsearch\"\n" in block
    assert any("service elasticsearch: elasticsearch (commented" in line for line in lines)
    # asked for by name: active
    (root / ".dkenv.toml").unlink()
    init_run(root, services=["elasticsearch"])
    assert list(config.load(root).services) == ["redis", "elasticsearch"]
