"""dkenv/project/config.py: reading and validating .dkenv.toml, finding the project root."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dkenv.errors import ConfigError
from dkenv.project import config, reader


def write(root: Path, text: str) -> Path:
    path = root / config.CONFIG_NAME
    path.write_text(textwrap.dedent(text))
    return path


def load(root: Path, text: str) -> config.Config:
    write(root, text)
    return config.load(root)


def error(root: Path, text: str) -> str:
    """The message of the ConfigError (exit code 2) that `text` raises."""
    write(root, text)
    with pytest.raises(ConfigError) as info:
        config.load(root)
    assert info.value.exit_code == 2
    message = str(info.value)
    assert message.startswith("dkenv: ")
    assert "\n" not in message
    return message


def where(root: Path, line: int) -> str:
    return f"{root / config.CONFIG_NAME}:{line}:"


def assert_error(root: Path, text: str, line: int | None, fragments: list[str]) -> None:
    """`text` raises a ConfigError whose message names `line` of the file (not checked when
    None) and holds every one of `fragments`."""
    message = error(root, text)
    if line is not None:
        assert where(root, line) in message
    for fragment in fragments:
        assert fragment in message


# --- defaults and every key ---

def test_empty_file_gives_every_default(tmp_path):
    root = tmp_path / "myproj"
    root.mkdir()
    cfg = load(root, "")
    assert cfg.root == root.absolute()
    assert cfg.path == root / ".dkenv.toml"
    assert cfg.name == "myproj"
    assert cfg.image == config.ImageConfig(
        base="debian:bookworm-slim", python=None, python_from="auto", apt=[], setup="",
        install="auto", requirements=[], extra_ca="auto")
    assert cfg.run == config.RunConfig(command="", ports=[], bind="127.0.0.1", env={}, env_file="")
    assert cfg.shims.commands == ["python", "python3", "pip", "pip3", "manage.py", "django-admin"]
    assert cfg.shims.venv_scripts is True
    assert cfg.services == {}


def test_default_shims_are_not_shared_between_configs(tmp_path):
    a = load(tmp_path, "")
    a.shims.commands.append("extra")
    b = load(tmp_path, "")
    assert "extra" not in b.shims.commands


def test_every_key_is_read(tmp_path):
    (tmp_path / "setup.sh").write_text("true\n")
    (tmp_path / ".env").write_text("A=1\n")
    (tmp_path / "req.txt").write_text("django\n")
    text = """\
        [project]
        name = "web.app_1"
        [image]
        base = "ubuntu:24.04"
        python = "3.12"
        python_from = "uv"
        apt = ["git", "libpq-dev"]
        setup = "setup.sh"
        install = "pip"
        requirements = ["req.txt"]
        extra_ca = "none"
        [run]
        command = "python manage.py runserver"
        ports = [8000, "8001:9000"]
        bind = "0.0.0.0"
        env = { DEBUG = "1", N = 2, FLAG = true, OFF = false, F = 1.5 }
        env_file = ".env"
        [shims]
        commands = ["python", "pytest"]
        venv_scripts = false
        [services.db]
        template = "postgres"
        version = "15"
        env = { POSTGRES_PASSWORD = "x" }
        ports = ["5433:5432"]
        command = "postgres -c fsync=off"
        healthcheck = "pg_isready"
        data = false
        timeout = 30
        [services.cache]
        image = "redis:7"
        depends_on = ["db"]
        """
    cfg = load(tmp_path, text)
    assert cfg.name == "web.app_1"
    assert cfg.image == config.ImageConfig(
        base="ubuntu:24.04", python="3.12", python_from="uv", apt=["git", "libpq-dev"],
        setup="setup.sh", install="pip", requirements=["req.txt"], extra_ca="none")
    assert cfg.run.command == "python manage.py runserver"
    assert cfg.run.ports == ["8000", "8001:9000"]  # integers become strings
    assert cfg.run.bind == "0.0.0.0"
    assert cfg.run.env == {"DEBUG": "1", "N": "2", "FLAG": "1", "OFF": "0", "F": "1.5"}
    assert all(type(v) is str for v in cfg.run.env.values())
    assert cfg.run.env_file == ".env"
    assert cfg.shims.commands == ["python", "pytest"]
    assert cfg.shims.venv_scripts is False
    assert list(cfg.services) == ["db", "cache"]
    db = cfg.services["db"]
    assert db == config.ServiceConfig(
        name="db", template="postgres", version="15", image=None, env={"POSTGRES_PASSWORD": "x"},
        ports=["5433:5432"], command="postgres -c fsync=off", healthcheck="pg_isready", data=False,
        depends_on=[], timeout=30)
    cache = cfg.services["cache"]
    assert cache.image == "redis:7"
    assert cache.depends_on == ["db"]
    assert cache.data is True and cache.timeout == 120 and cache.template is None


def test_the_production_table(tmp_path):
    assert load(tmp_path, "").production == config.ProductionConfig()
    (tmp_path / "requirements.txt").write_text("django\n")
    cfg = load(tmp_path, """\
        [production]
        command = "gunicorn shop.wsgi -b 0.0.0.0:8080"
        workers = 4
        port = 8080
        release = ""
        env = { DEBUG = false, SECRET_KEY = "" }
        extras = ["pg"]
        groups = ["prod"]
        requirements = ["requirements.txt"]
        apt = ["libpq5"]
        healthcheck = "/health"
        """)
    assert cfg.production == config.ProductionConfig(
        command="gunicorn shop.wsgi -b 0.0.0.0:8080", workers=4, port=8080, release="",
        env={"DEBUG": "0", "SECRET_KEY": ""}, extras=["pg"], groups=["prod"], requirements=["requirements.txt"],
        apt=["libpq5"], healthcheck="/health")


def test_values_are_plain_python_not_tomlkit(tmp_path):
    cfg = load(tmp_path, '[image]\napt = ["git"]\n[run]\nenv = { A = "b" }\n')
    assert type(cfg.image.apt) is list and type(cfg.image.apt[0]) is str
    assert type(cfg.run.env) is dict
    assert type(cfg.image.base) is str


def test_service_ports_integers_become_strings(tmp_path):
    cfg = load(tmp_path, '[services.db]\nimage = "x"\nports = [5432]\nenv = { N = 1 }\n')
    assert cfg.services["db"].ports == ["5432"]
    assert cfg.services["db"].env == {"N": "1"}


# --- unknown tables and keys ---

@pytest.mark.parametrize("text, line, fragments", [
    pytest.param('[image]\nbase = "debian:bookworm-slim"\nbsae = "x"\n', 3,
                 ["image.bsae", "unknown key", 'did you mean "base"'], id="unknown_key_names_line_key_and_suggestion"),
    pytest.param('[services.db]\nimage = "postgres:15"\nportz = ["5432"]\n', 3,
                 ["services.db.portz", 'did you mean "ports"'], id="unknown_key_in_service"),
])
def test_unknown_key_message_starts_with_its_line(tmp_path, text, line, fragments):
    message = error(tmp_path, text)
    assert message.startswith(f"dkenv: {where(tmp_path, line)}")
    for fragment in fragments:
        assert fragment in message


def test_unknown_key_without_close_match_lists_valid_keys(tmp_path):
    message = error(tmp_path, "[run]\nzzzzzz = 1\n")
    assert where(tmp_path, 2) in message
    assert "run.zzzzzz" in message
    assert "did you mean" not in message
    assert "valid keys: command, ports, bind, env, env_file" in message


@pytest.mark.parametrize("text, line, fragments", [
    pytest.param('[imgae]\nbase = "x"\n', 1, ["[imgae]", "unknown table", 'did you mean "image"'],
                 id="unknown_table_with_typo_suggests"),
    pytest.param('[project]\nname = "x"\n[servcies.db]\nimage = "postgres"\n', None,
                 ["servcies", "unknown table", 'did you mean "services"'],
                 id="unknown_service_table_typo_suggests_services"),
    pytest.param('[project]\nname = "x"\n[servcies.db]\nimage = "postgres"\n', 3, [],
                 id="unknown_service_table_typo_names_its_line"),
    pytest.param('image = "debian"\n', None, ["[image]", "must be a table"], id="table_that_is_not_a_table"),
    pytest.param("services = 3\n", None, ["[services]", "must be a table of [services.NAME] tables"],
                 id="services_not_a_table"),
    pytest.param("[services]\ndb = 1\n", 2, ["services.db", "must be a table ([services.NAME])"],
                 id="service_entry_not_a_table"),
])
def test_bad_table(tmp_path, text, line, fragments):
    assert_error(tmp_path, text, line, fragments)


# --- wrong types ---

@pytest.mark.parametrize("table, line, key, expected", [
    ("[run]", 'ports = "8000"', "run.ports", 'must be a list of ports (8000 or "8001:8000"), got \'8000\''),
    ("[run]", "ports = [true]", "run.ports", "must be a list of ports"),
    ("[image]", 'apt = "x"', "image.apt", "must be a list of strings, got 'x'"),
    ("[image]", "apt = [1]", "image.apt", "must be a list of strings"),
    ("[run]", 'env = "A=1"', "run.env", "must be a table of strings, got 'A=1'"),
    ("[run]", "env = { A = [1] }", "run.env", "must be a table of strings"),
    ("[shims]", 'venv_scripts = "yes"', "shims.venv_scripts", "must be true or false, got 'yes'"),
    ("[image]", "base = 3", "image.base", "must be a string, got 3"),
    ("[project]", "name = 1", "project.name", "must be a string"),
    ("[services.db]", 'timeout = "10"', "services.db.timeout", "must be an integer, got '10'"),
    ("[services.db]", "timeout = true", "services.db.timeout", "must be an integer"),
    ("[services.db]", 'data = "no"', "services.db.data", "must be true or false"),
    ("[services.db]", 'depends_on = "x"', "services.db.depends_on", "must be a list of strings"),
])
def test_wrong_types(tmp_path, table, line, key, expected):
    message = error(tmp_path, f"{table}\n{line}\n")
    assert message.startswith(f"dkenv: {where(tmp_path, 2)} {key}: ")
    assert expected in message


# --- bad values ---

@pytest.mark.parametrize("text, line, fragments", [
    pytest.param('[image]\npython_from = "sytem"\n', 2,
                 ["image.python_from", "'sytem' is not one of auto, system, uv, image", 'did you mean "system"'],
                 id="python_from_typo_suggests"),
    pytest.param('[image]\ninstall = "mamba"\n', None,
                 ["image.install", "'mamba' is not one of auto, uv, poetry, pdm, pipenv, pip, conda, pyproject, none"],
                 id="install_bad_value"),
    pytest.param('[image]\ninstall = "poetyr"\n', None, ['did you mean "poetry"'], id="install_typo_suggests"),
    pytest.param('[image]\ninstall = "pip"\nextras = ["test"]\n', 3,
                 ['image.extras: does not apply to install = "pip" (image.requirements chooses the files)'],
                 id="extras_with_pip"),
    pytest.param('[image]\ninstall = "pipenv"\nextras = ["test"]\n', 3,
                 ['image.extras: does not apply to install = "pipenv"'], id="extras_with_pipenv"),
    pytest.param('[image]\ninstall = "none"\ngroups = ["dev"]\n', 3,
                 ['image.groups: does not apply to install = "none"'], id="groups_with_none"),
    pytest.param('[image]\ngroups = ["dev test"]\n', None, ["image.groups: 'dev test' is not a name of a group"],
                 id="bad_group_name"),
    pytest.param('[image]\nextra_ca = "maybe"\n', None, ["image.extra_ca", "is not one of auto, none"],
                 id="extra_ca_bad_value"),
    pytest.param('[image]\nbase = "  "\n', None, ["image.base: must name an image"], id="empty_base"),
    pytest.param('[image]\napt = ["git", "Bad Pkg"]\n', None,
                 ["image.apt: 'Bad Pkg' is not a Debian package name"], id="bad_apt_package"),
    pytest.param('[run]\nenv = { "1A" = "x" }\n', None, ["run.env: '1A' is not a valid variable name"],
                 id="bad_env_variable_name"),
    pytest.param('[services.db]\nimage = "x"\nports = ["99999"]\n', 3,
                 ["services.db.ports: '99999': ports are 1-65535"], id="bad_service_port"),
    pytest.param('[services.db]\nimage = "x"\ntimeout = 0\n', 3,
                 ["services.db.timeout: must be a positive number of seconds"], id="service_timeout_must_be_positive"),
    pytest.param('[project]\nname = "x"\n[services.My_DB]\nimage = "x"\n', 3,
                 ["[services.My_DB]: service names are lowercase letters, digits and '-'"], id="bad_service_name"),
])
def test_bad_value(tmp_path, text, line, fragments):
    assert_error(tmp_path, text, line, fragments)


@pytest.mark.parametrize("version", ["3", "3.12.1", "2.7", "3.x", "py3.12", "3.123"])
def test_python_bad_version(tmp_path, version):
    assert_error(tmp_path, f'[image]\npython = "{version}"\n', 2,
                 [f"image.python: {version!r} must be a version like \"3.12\""])


@pytest.mark.parametrize("version", ["3.8", "3.12", "3.13"])
def test_python_good_version(tmp_path, version):
    assert load(tmp_path, f'[image]\npython = "{version}"\n').image.python == version


@pytest.mark.parametrize("name", ["My App", "App", "-app", "a/b", "app name"])
def test_bad_project_name(tmp_path, name):
    assert_error(tmp_path, f'[project]\nname = "{name}"\n', 2,
                 [f"project.name: {name!r} must be lowercase letters, digits"])


def test_apt_packages_with_versions_are_fine(tmp_path):
    cfg = load(tmp_path, '[image]\napt = ["libpq-dev", "g++", "python3=3.11.2-1", "libc6:amd64"]\n')
    assert cfg.image.apt == ["libpq-dev", "g++", "python3=3.11.2-1", "libc6:amd64"]


@pytest.mark.parametrize("port, expected", [
    ('"99999"', "'99999': ports are 1-65535"),
    ('"0"', "'0': ports are 1-65535"),
    ('"8000:70000"', "'8000:70000': ports are 1-65535"),
    ('"a:b"', "'a:b' is not a port (\"8000\" or \"8001:8000\")"),
    ('"1:2:3"', "'1:2:3' is not a port"),
    ('"80/tcp"', "'80/tcp' is not a port"),
    ("-1", "'-1' is not a port"),
])
def test_bad_run_port(tmp_path, port, expected):
    assert_error(tmp_path, f"[run]\nports = [{port}]\n", 2, [f"run.ports: {expected}"])


# --- malformed TOML ---

def test_malformed_toml_gives_line_and_column(tmp_path):
    message = error(tmp_path, '[image]\nbase = "unterminated\n')
    assert message.startswith(f"dkenv: {tmp_path / '.dkenv.toml'}:2:")
    assert "invalid TOML" in message
    # line:col, the column being a number
    rest = message[len(f"dkenv: {tmp_path / '.dkenv.toml'}:2:"):]
    assert rest.split(":", 1)[0].isdigit()


def test_malformed_toml_bad_value(tmp_path):
    message = error(tmp_path, "[run]\n\n\nports = [8000,,]\n")
    assert f"{tmp_path / '.dkenv.toml'}:4:" in message
    assert "invalid TOML" in message


def test_duplicate_top_level_key_is_invalid_toml(tmp_path):
    message = error(tmp_path, '[image]\n[image]\n')
    assert f"{tmp_path / '.dkenv.toml'}:2:" in message
    assert "invalid TOML" in message and "already exists" in message


@pytest.mark.parametrize("text", ['[image]\nbase = "a"\nbase = "b"\n', '[run]\nenv = { A = "1", A = "2" }\n'])
def test_duplicate_key_in_a_table_is_a_config_error(tmp_path, text):
    write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        config.load(tmp_path)
    assert info.value.exit_code == 2
    assert "already exists" in str(info.value)


def test_not_utf8(tmp_path):
    (tmp_path / ".dkenv.toml").write_bytes(b'[image]\nbase = "\xff\xfe"\n')
    with pytest.raises(ConfigError) as info:
        config.load(tmp_path)
    assert info.value.exit_code == 2
    assert "not UTF-8" in str(info.value)


def test_missing_file_on_load(tmp_path):
    with pytest.raises(ConfigError) as info:
        config.load(tmp_path)
    assert info.value.exit_code == 2
    assert f"cannot read {tmp_path / '.dkenv.toml'}" in str(info.value)


# --- files the config refers to ---

@pytest.mark.parametrize("existing, text, expected", [
    pytest.param([], '[image]\nsetup = "scripts/setup.sh"\n',
                 "image.setup: file 'scripts/setup.sh' not found in {root}", id="setup_missing"),
    pytest.param([], '[run]\nenv_file = ".env.dev"\n', "run.env_file: file '.env.dev' not found",
                 id="env_file_missing"),
    pytest.param(["requirements.txt"], '[image]\nrequirements = ["requirements.txt", "dev.txt"]\n',
                 "image.requirements: file 'dev.txt' not found", id="requirements_missing"),
])
def test_missing_file_is_named_at_its_line(tmp_path, existing, text, expected):
    """`existing`: the files that are there; `expected` names the project folder {root}."""
    for name in existing:
        (tmp_path / name).write_text("x\n")
    assert_error(tmp_path, text, 2, [expected.format(root=tmp_path)])


def test_setup_present(tmp_path):
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "setup.sh").write_text("true\n")
    assert load(tmp_path, '[image]\nsetup = "scripts/setup.sh"\n').image.setup == "scripts/setup.sh"


def test_setup_that_is_a_directory(tmp_path):
    (tmp_path / "scripts").mkdir()
    message = error(tmp_path, '[image]\nsetup = "scripts"\n')
    assert "image.setup: file 'scripts' not found" in message


# --- services: depends_on ---

@pytest.mark.parametrize("text, line, fragments", [
    pytest.param('[services.web]\nimage = "x"\ndepends_on = ["db", "cahce"]\n[services.db]\nimage = "y"\n', 3,
                 ["services.web.depends_on: no service named 'cahce'"], id="depends_on_unknown_service"),
    pytest.param('[services.a]\nimage = "x"\ndepends_on = ["b"]\n'
                 '[services.b]\nimage = "x"\ndepends_on = ["c"]\n'
                 '[services.c]\nimage = "x"\ndepends_on = ["a"]\n', 3,
                 ["dependency cycle: a -> b -> c -> a", "services.a.depends_on"], id="depends_on_cycle"),
    pytest.param('[services.a]\nimage = "x"\ndepends_on = ["a"]\n', None, ["dependency cycle: a -> a"],
                 id="depends_on_self"),
])
def test_bad_depends_on(tmp_path, text, line, fragments):
    assert_error(tmp_path, text, line, fragments)


def test_depends_on_diamond_is_not_a_cycle(tmp_path):
    cfg = load(tmp_path, """\
        [services.a]
        command = "run a"
        depends_on = ["b", "c"]
        [services.b]
        command = "run b"
        depends_on = ["d"]
        [services.c]
        command = "run c"
        depends_on = ["d"]
        [services.d]
        image = "x"
        """)
    assert cfg.services["a"].depends_on == ["b", "c"]


# --- key_line ---

def test_key_line_finds_dotted_keys_and_headers():
    text = '[project]\nname = "x"\n[services]\ndb.image = "p"\n[services."web"]\nimage = "q"\n'
    assert reader.key_line(text, "project", "name") == 2
    assert reader.key_line(text, "services.db", "image") == 4
    assert reader.key_line(text, "services.web", "image") == 6
    assert reader.key_line(text, "services.web") == 5
    assert reader.key_line(text, "services.web", "nothere") == 5
    assert reader.key_line(text, "image", "base") is None


def test_key_line_does_not_confuse_prefix_keys():
    text = '[run]\nenv_file = ".env"\nenv = { A = "1" }\n'
    assert reader.key_line(text, "run", "env") == 3
    assert reader.key_line(text, "run", "env_file") == 2


# --- finding the root ---

def test_find_root_walks_up(tmp_path):
    (tmp_path / ".dkenv.toml").write_text("")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert config.find_root(deep) == tmp_path
    assert config.find_root(tmp_path) == tmp_path


def test_find_root_nearest_wins(tmp_path):
    (tmp_path / ".dkenv.toml").write_text("")
    inner = tmp_path / "inner"
    (inner / "src").mkdir(parents=True)
    (inner / ".dkenv.toml").write_text("")
    assert config.find_root(inner / "src") == inner


def test_find_root_ignores_a_directory_named_like_the_config(tmp_path):
    (tmp_path / ".dkenv.toml").mkdir()
    assert config.find_root(tmp_path) is None


def test_find_root_none(tmp_path):
    assert config.find_root(tmp_path) is None


def test_find_root_defaults_to_cwd(tmp_path, monkeypatch):
    (tmp_path / ".dkenv.toml").write_text("")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert config.find_root() == tmp_path


def test_locate_root_with_directory(tmp_path, monkeypatch):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / ".dkenv.toml").write_text("")
    other = tmp_path / "other"
    other.mkdir()
    (other / ".dkenv.toml").write_text("")
    monkeypatch.setenv("DKENV_PROJECT", str(other))
    monkeypatch.chdir(other)
    assert config.locate_root(str(tmp_path / "p")) == tmp_path / "p"  # -C wins over the env


def test_locate_root_from_env(tmp_path, monkeypatch):
    (tmp_path / "p" / "sub").mkdir(parents=True)
    (tmp_path / "p" / ".dkenv.toml").write_text("")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("DKENV_PROJECT", str(tmp_path / "p" / "sub"))
    assert config.locate_root() == tmp_path / "p"


def test_locate_root_from_cwd(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".dkenv.toml").write_text("")
    monkeypatch.delenv("DKENV_PROJECT", raising=False)
    monkeypatch.chdir(tmp_path / "sub")
    assert config.locate_root() == tmp_path


def test_locate_root_missing_config(tmp_path, monkeypatch):
    monkeypatch.delenv("DKENV_PROJECT", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        config.locate_root()
    assert info.value.exit_code == 2
    assert f"no .dkenv.toml in {tmp_path} or any parent folder" in str(info.value)
    assert "dkenv init" in str(info.value)


def test_locate_root_missing_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("DKENV_PROJECT", raising=False)
    with pytest.raises(ConfigError) as info:
        config.locate_root(str(tmp_path / "nope"))
    assert info.value.exit_code == 2
    assert f"no such directory: {tmp_path / 'nope'}" in str(info.value)


def test_locate_root_env_names_missing_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("DKENV_PROJECT", str(tmp_path / "gone"))
    with pytest.raises(ConfigError) as info:
        config.locate_root()
    assert info.value.exit_code == 2
    assert "no such directory" in str(info.value)


# --- names and ports ---

@pytest.mark.parametrize("folder, expected", [
    ("My App", "my-app"),
    ("myapp", "myapp"),
    ("Web_Site.v2", "web_site.v2"),
    ("  spaced  out  ", "spaced-out"),
    ("--x--", "x"),
    ("café au lait", "caf-au-lait"),
    ("___", "project"),
    ("!!!", "project"),
])
def test_default_name(tmp_path, folder, expected):
    assert config.default_name(tmp_path / folder) == expected


def test_default_name_is_used_and_valid(tmp_path):
    root = tmp_path / "My Cool App"
    root.mkdir()
    cfg = load(root, "[image]\n")
    assert cfg.name == "my-cool-app"


def test_explicit_name_wins_over_folder(tmp_path):
    root = tmp_path / "folder"
    root.mkdir()
    assert load(root, '[project]\nname = "chosen"\n').name == "chosen"


@pytest.mark.parametrize("spec, expected", [
    ("8000", (8000, 8000)),
    (8000, (8000, 8000)),
    ("8001:8000", (8001, 8000)),
    ("1", (1, 1)),
    ("65535:1", (65535, 1)),
])
def test_parse_port(spec, expected):
    assert config.parse_port(spec) == expected


@pytest.mark.parametrize("spec", ["", "0", "65536", "99999", "a", "a:b", "1:2:3", ":8000", "8000:",
                                  "127.0.0.1:80:80", "80/tcp", " 80", "-5"])
def test_parse_port_rejects(spec):
    with pytest.raises(ValueError):
        config.parse_port(spec)


# --- everything checkable is checked at load, before any build ---

@pytest.mark.parametrize("text, line, fragments", [
    ('[image]\nbase = "bad image!!"\n', 2, ["image.base", "not an image reference"]),
    ('[image]\nbase = "Python:3.11"\n', 2, ["image.base", "not an image reference"]),
    ('[services.db]\ntemplate = "postgres"\nversion = "15; rm -rf /"\n', 3, ["services.db.version", "not an image tag"]),
    ('[services.x]\nimage = "redis:7 && echo"\n', 2, ["services.x.image", "not an image reference"]),
    ('[run]\ncommand = \'python "unterminated\'\n', 2, ["run.command", "cannot be split", "quotation"]),
    ('[services.w]\ncommand = \'celery "-A\'\n', 2, ["services.w.command", "cannot be split"]),
    ('[services.w]\nenv = { A = "1" }\n', 1, ["[services.w]", "no template, no image and no command"]),
    ('[services.db]\ntemplate = "postgress"\n', 2, ["services.db.template", 'did you mean "postgres"']),
])
def test_load_reports_what_a_build_would_trip_on(tmp_path, text, line, fragments):
    message = error(tmp_path, text)
    assert message.startswith(f"dkenv: {where(tmp_path, line)} ")
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize("ref", ["python:3.11-slim-bookworm", "debian", "localhost:5000/team/img:1.0",
                                 "registry.example.com/a/b@sha256:" + "0" * 64, "ghcr.io/o/n:v1.2.3-rc1"])
def test_valid_image_references_load(tmp_path, ref):
    assert load(tmp_path, f'[image]\nbase = "{ref}"\n').image.base == ref
