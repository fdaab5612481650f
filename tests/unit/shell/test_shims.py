"""Rendering and writing shims: baked values, the marker, never touching a user's file."""
from __future__ import annotations

import os
import subprocess

import pytest

from dkenv.cli import main
from dkenv.exec import execution
from dkenv.project import config as config_mod
from dkenv.project.project import Project
from dkenv.shell import shims, templates

pytestmark = pytest.mark.usefixtures("state", "host_path")  # tests/unit/conftest.py


@pytest.fixture
def host_path(tmp_path, monkeypatch):
    """The host's PATH: one folder with `vim` and `celery` in it (and the shells the tests run)."""
    folder = tmp_path / "hostbin"
    folder.mkdir()
    for name in ("vim", "celery"):
        (folder / name).write_text("#!/bin/sh\n")
        (folder / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    return folder

HOSTILE_FOLDER = "we'ird \"dir\" $HOME `id` \\ ✓"
BAKED = shims.Baked(dkenv_command=["/opt/my tools/dkenv"], docker="/usr/bin/docker", user="1000:1000")


def make(tmp_path, folder="app", shims_table=""):
    root = tmp_path / folder
    root.mkdir()
    (root / ".dkenv.toml").write_text(f'[project]\nname = "app"\n{shims_table}')
    return Project(config=config_mod.load(root), name="app")


def header_values(text: str) -> dict[str, str]:
    """The variables the shim bakes in, as sh reads them back."""
    header = text.split("dkenv_fallthrough() {")[0]
    names = ["dkenv_name", "dkenv_origin", "dkenv_root", "dkenv_shims", "dkenv_container", "dkenv_user",
             "dkenv_docker", "dkenv_pidfile", "dkenv_token_var", "dkenv_killer"]
    script = header + "".join(f'printf "%s\\0" "${n}"\n' for n in names)
    out = subprocess.run(["sh", "-c", script], capture_output=True, check=True).stdout.decode()
    return dict(zip(names, out.split("\0")))


def test_a_shim_bakes_every_value_quoted(tmp_path):
    project = make(tmp_path, HOSTILE_FOLDER)
    text = shims.render(project, "python", shims.COMMANDS, BAKED)
    assert text.startswith("#!/bin/sh\n")
    assert shims.SHIM_MARK in text[:512]
    assert not templates.PLACEHOLDER.search(text)
    assert header_values(text) == {
        "dkenv_name": "python", "dkenv_origin": "commands", "dkenv_root": str(project.root),
        "dkenv_shims": str(project.shims_dir), "dkenv_container": "dkenv-app", "dkenv_user": "1000:1000",
        "dkenv_docker": "/usr/bin/docker", "dkenv_pidfile": str(project.root / ".dkenv" / "run" / "container.pid"),
        "dkenv_token_var": execution.TOKEN_VAR, "dkenv_killer": execution.KILLER_SCRIPT,
    }
    assert "'/opt/my tools/dkenv' -C" in text  # the baked command, as quoted words


def test_the_killer_script_has_one_home():
    """The shims bake the engine layer's KILLER_SCRIPT; the template holds no copy."""
    template = templates.read(shims.TEMPLATE)
    assert "grep -qz" not in template and "@KILLER@" in template


def test_the_shims_check_the_pid_file_the_engine_layer_writes(tmp_path):
    from dkenv.exec import pidfile

    project = make(tmp_path)
    assert f"dkenv_pidfile={pidfile.path(project)}" in shims.render(project, "python", baked=BAKED)


def test_rehash_writes_the_configured_commands_and_the_venv_scripts(tmp_path):
    project = make(tmp_path)
    result = shims.rehash(project, ["black", "django-admin", "../evil", ".hidden", "a/b"], BAKED)
    expected = sorted(["python", "python3", "pip", "pip3", "manage.py", "django-admin", "black"])
    assert result.shims == expected and result.written == expected
    folder = project.shims_dir
    assert (folder / shims.DIR_MARKER).is_file()
    assert (project.work_dir / ".gitignore").is_file()
    for name in expected:
        assert os.access(folder / name, os.X_OK)
    assert shims.present(folder) == {**{n: shims.COMMANDS for n in expected}, "black": shims.VENV_SCRIPT}
    assert sorted(p.name for p in folder.iterdir()) == sorted([*expected, shims.DIR_MARKER])
    again = shims.rehash(project, ["black", "django-admin"], BAKED)
    assert again.written == [] and again.unchanged == expected


def test_a_users_file_is_never_overwritten_or_removed(tmp_path):
    project = make(tmp_path)
    folder = project.shims_dir
    folder.mkdir(parents=True)
    (folder / "python").write_text("#!/bin/sh\necho mine\n")
    (folder / "notes.txt").write_text("keep me\n")
    (folder / "pip").symlink_to("/bin/true")
    result = shims.rehash(project, [], BAKED)
    assert sorted(result.not_ours) == ["pip", "python"]
    assert (folder / "python").read_text() == "#!/bin/sh\necho mine\n"
    assert (folder / "notes.txt").read_text() == "keep me\n"
    assert os.readlink(folder / "pip") == "/bin/true"
    assert "python" not in result.shims


def test_stale_shims_are_removed(tmp_path):
    project = make(tmp_path)
    shims.rehash(project, ["black", "isort"], BAKED)
    (project.root / ".dkenv.toml").write_text('[project]\nname = "app"\n[shims]\ncommands = ["python"]\n')
    project = Project(config=config_mod.load(project.root), name="app")
    result = shims.rehash(project, ["black"], BAKED)
    assert sorted(result.removed) == ["django-admin", "isort", "manage.py", "pip", "pip3", "python3"]
    assert sorted(shims.present(project.shims_dir)) == ["black", "python"]


def test_unknown_venv_scripts_keep_the_previous_ones(tmp_path):
    project = make(tmp_path)
    shims.rehash(project, ["black", "isort"], BAKED)
    result = shims.rehash(project, None, BAKED)  # the container is not running
    assert result.venv_unknown and result.kept_venv == ["black", "isort"]
    assert {"black", "isort"} <= set(shims.present(project.shims_dir))
    result = shims.rehash(project, [], BAKED)  # known, and empty
    assert sorted(result.removed) == ["black", "isort"] and not result.venv_unknown


def test_venv_scripts_off_shims_only_the_commands(tmp_path):
    project = make(tmp_path, shims_table='[shims]\ncommands = ["python"]\nvenv_scripts = false\n')
    result = shims.rehash(project, ["black"], BAKED)
    assert result.shims == ["python"] and not result.venv_unknown


def test_the_rehash_and_shims_commands(tmp_path, monkeypatch, capsys):
    from dkenv.shell import venvscripts

    project = make(tmp_path)
    monkeypatch.setattr(venvscripts, "listing", lambda p: ["black", "vim"])
    assert main(["-C", str(project.root), "rehash"]) == 0
    assert "7 shims in" in capsys.readouterr().err  # not vim: the host has one
    assert main(["-C", str(project.root), "shims"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert "black         venv script" in listing and "python        [shims] commands" in listing

    monkeypatch.setattr(venvscripts, "listing", lambda p: None)
    assert main(["-C", str(project.root), "rehash"]) == 0
    err = capsys.readouterr().err
    assert "not running: kept the venv-script shims from before (black)" in err


def test_venv_scripts_never_shadow_host_commands(tmp_path):
    project = make(tmp_path, shims_table='[shims]\ncommands = ["python", "git"]\nexclude = ["black"]\n')
    scripts = ["sudo", "sudoedit", "pkexec", "passwd", "ssh-add", "aws", "gh", "vim", "git", "ssh", "docker",
               "dkenv", "ls", "black", "pytest", "celery", "python3.11", "pip3.11"]
    result = shims.rehash(project, scripts, BAKED)
    # git: listed in commands by the user; celery and vim: on the host's PATH; python3.11 too, but the venv's own
    assert result.shims == ["git", "pip3.11", "pytest", "python", "python3.11"]
    assert not (project.shims_dir / "sudo").exists() and not (project.shims_dir / "black").exists()


def test_a_command_on_the_hosts_path_is_not_shadowed_unless_listed(tmp_path, host_path):
    project = make(tmp_path, shims_table='[shims]\ncommands = ["python", "celery"]\n')
    (tmp_path / "app" / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / "app" / ".venv" / "bin" / "pytest").write_text("#!/bin/sh\n")
    (tmp_path / "app" / ".venv" / "bin" / "pytest").chmod(0o755)
    other = tmp_path / "other-shims"  # another project's shims folder on PATH
    other.mkdir()
    (other / shims.DIR_MARKER).write_text("")
    (other / "mypy").write_text("#!/bin/sh\n")
    (other / "mypy").chmod(0o755)
    path = f"{host_path}:{tmp_path / 'app' / '.venv' / 'bin'}:{other}:relative/bin"
    on_host = shims.host_command(project, path)
    assert on_host("vim") and on_host("celery")
    assert not on_host("pytest")  # the project's own folder on PATH
    assert not on_host("mypy")  # a shims folder
    result = shims.rehash(project, ["celery", "pytest", "mypy", "vim"], BAKED, on_host=on_host)
    assert result.shims == ["celery", "mypy", "pytest", "python"]
    assert shims.present(project.shims_dir)["celery"] == shims.COMMANDS
    # the shims kept while the container is not running follow the same rule
    result = shims.rehash(project, None, BAKED, on_host=lambda name: name == "mypy")
    assert result.kept_venv == ["pytest"] and "mypy" not in result.shims


def test_files_dkenv_did_not_make_are_foreign(tmp_path):
    project = make(tmp_path)
    shims.rehash(project, [], BAKED)
    assert shims.foreign_files(project) == []
    (project.shims_dir / "ls").write_text("#!/bin/sh\necho committed\n")
    assert shims.foreign_files(project) == [project.shims_dir / "ls"]
