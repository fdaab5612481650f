"""dkenv/project/checks.py: the checks of `.dkenv.toml` beyond types, each one ConfigError
(exit 2) naming the file, the line and the key, at load. Those tests/unit/project/test_config.py
does not already make."""
from __future__ import annotations

import os

import pytest

from dkenv.errors import ConfigError
from dkenv.project import checks, config


def error(root, text: str) -> tuple[int | None, str]:
    """(line, "table.key: message") of the ConfigError `text` raises at load."""
    path = root / config.CONFIG_NAME
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        config.load(root)
    assert info.value.exit_code == 2
    message = str(info.value)
    assert message.startswith(f"dkenv: {path}") and "\n" not in message
    where, _, rest = message.removeprefix(f"dkenv: {path}").partition(": ")
    return (int(where[1:]) if where else None), rest


def test_localhost_is_the_one_name_taken_for_an_address(tmp_path):
    (tmp_path / config.CONFIG_NAME).write_text('[run]\nbind = "localhost"\n')
    assert config.load(tmp_path).run.bind == "127.0.0.1"


@pytest.mark.parametrize("text, line, expected", [
    ('[image]\nworkdir = "../elsewhere"\n', 2, "image.workdir: '../elsewhere' is outside the project; it names a "
                                                "folder inside it"),
    ('[image]\nworkdir = "backend"\n', 2, "image.workdir: folder 'backend' not found in {root}"),
    ('[image]\nsetup = "../setup.sh"\n', 2, "image.setup: '../setup.sh' is outside the project"),
    ('[run]\nbind = "my-laptop"\n', 2, "run.bind: 'my-laptop' is not an IP address: ports are published on one, "
                                       'like "127.0.0.1" (this machine only, the default) or "0.0.0.0" (every network)'),
    ("[run]\ncommand = \"python -c 'unclosed\"\n", 2, "run.command: cannot be split into words: No closing quotation"),
    ('[run]\nenv = { "1BAD" = "x" }\n', 2, "run.env: '1BAD' is not a valid variable name"),
    ('[run]\nports = ["8000", "5678:5678"]\n[debug]\nport = 5678\n', 4,
     "debug.port: 5678 is also in run.ports; give the debugger a port of its own"),
    ("[debug]\nport = 70000\n", 2, "debug.port: 70000 is not a port (1-65535, or 0 for no debugger)"),
    ('[run]\nenv_file = "/etc/environment"\n', 2,
     "run.env_file: '/etc/environment' is outside the project; env files are read from inside it only"),
    ('[run]\nenv_file = ".env.local"\n', 2, "run.env_file: file '.env.local' not found in {root}"),
    ("[services.app]\n", 1, "[services.app]: the name `app` is the project container's host name; call the service "
                            "something else"),
    ("[services.redis]\nstop_timeout = 7200\n", 2, "services.redis.stop_timeout: must be 0 to 3600 seconds"),
    ('[services.redis]\nports = ["6379"]\n[run]\nports = ["6379"]\n', 2,
     "services.redis.ports: host port 6379 is published twice (also by run)"),
    ('[production]\ncommand = "  "\n', 2, "production.command: is empty; leave it out for the framework's default "
                                          "server"),
    ("[production]\nrelease = \"manage.py 'migrate\"\n", 2, "production.release: cannot be split into words: "
                                                             "No closing quotation"),
    ("[production]\nport = 65536\n", 2, "production.port: 65536 is not a port (1-65535, or 0 for the default)"),
    ("[production]\nworkers = 2000\n", 2, "production.workers: 2000 workers: give 1-1024, or 0 for the default rule"),
    ('[production]\nenv = { "A-B" = "1" }\n', 2, "production.env: 'A-B' is not a valid variable name"),
    ('[production]\nextras = ["ok", "not ok"]\n', 2, "production.extras: 'not ok' is not a name of an extra"),
    ('[production]\ngroups = ["-x"]\n', 2, "production.groups: '-x' is not a name of a group"),
    ('[production]\nrequirements = ["../req.txt"]\n', 2, "production.requirements: '../req.txt' is outside the project"),
    ('[production]\nrequirements = ["prod.txt"]\n', 2, "production.requirements: file 'prod.txt' not found in {root}"),
    ('[production]\napt = ["Bad_Name"]\n', 2, "production.apt: 'Bad_Name' is not a Debian package name"),
    ('[production]\nhealthcheck = "health"\n', 2, "production.healthcheck: 'health' is not a URL path like \"/\" or "
                                                   '"/health" ("" for no healthcheck)'),
    ('[production]\nhealthcheck = "/a b"\n', 2, "production.healthcheck: '/a b' is not a URL path like \"/\" or "
                                                '"/health" ("" for no healthcheck)'),
])
def test_each_check_names_the_key_its_line_and_the_fix(tmp_path, text, line, expected):
    found_line, message = error(tmp_path, text)
    assert message.endswith(expected.format(root=tmp_path)), message
    assert found_line == line


def test_a_folder_that_is_not_readable_as_env_file_is_refused(tmp_path):
    (tmp_path / ".env").write_text("A=1\n")
    (tmp_path / ".env").chmod(0)
    try:
        if os.access(tmp_path / ".env", os.R_OK):
            pytest.skip("root reads any file")
        assert error(tmp_path, '[run]\nenv_file = ".env"\n')[1] == "run.env_file: file '.env' is not readable"
    finally:
        (tmp_path / ".env").chmod(0o644)


def test_an_ide_mount_and_an_ide_variable_follow_the_rules(tmp_path):
    line, message = error(tmp_path, '[ide]\nmounts = ["/"]\n')
    assert line == 2 and message.startswith("ide.mounts: '/': ")
    line, message = error(tmp_path, '[ide]\nenv = ["PATH"]\n')
    assert line == 2 and message.startswith("ide.env: ")


def test_a_config_that_passes_every_check_loads(tmp_path):
    (tmp_path / "backend").mkdir()
    (tmp_path / "backend" / "requirements.txt").write_text("django\n")
    (tmp_path / "setup.sh").write_text("true\n")
    (tmp_path / ".env").write_text("A=1\n")
    (tmp_path / config.CONFIG_NAME).write_text(
        '[image]\nworkdir = "backend"\nsetup = "setup.sh"\napt = ["libpq5", "g++"]\n'
        '[run]\nbind = "0.0.0.0"\nports = ["8000"]\nenv_file = ".env"\nenv = { DJANGO_DEBUG = "1" }\n'
        "[debug]\nport = 5678\n"
        '[services.db]\ntemplate = "postgres"\nports = ["15432:5432"]\nstop_timeout = 3600\n'
        '[production]\nworkers = 4\nport = 8000\nrequirements = ["requirements.txt"]\nhealthcheck = "/health"\n')
    cfg = config.load(tmp_path)
    assert cfg.run.bind == "0.0.0.0" and cfg.production.healthcheck == "/health"


def test_the_installer_names_are_auto_every_installer_and_none():
    names = checks.installer_names()
    assert names[0] == "auto" and names[-1] == "none"
    assert {"pip", "poetry", "pdm", "pipenv", "uv", "pyproject"} <= set(names[1:-1])
