"""dkenv/buildplan.py: the resolved ImagePlan, the build context and its digest."""
from __future__ import annotations

import sys
import textwrap
from types import SimpleNamespace
from pathlib import Path

import pytest

from dkenv import buildplan, config, dockerfile
from dkenv.errors import ConfigError
from dkenv.project import Project


@pytest.fixture(autouse=True)
def no_host_cas(tmp_path, monkeypatch):
    """This machine's CA folder must not leak into the tests."""
    folder = tmp_path / "host-ca-empty"
    folder.mkdir()
    monkeypatch.setattr(buildplan, "HOST_CA_DIR", folder)
    return folder


def files(root: Path, tree: dict[str, str]) -> None:
    for rel, text in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def project(root: Path, toml: str, tree: dict[str, str] | None = None) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    files(root, tree or {})
    text = textwrap.dedent(toml)
    (root / ".dkenv.toml").write_text(text)
    cfg = config.validate(root / ".dkenv.toml", text)
    return Project(config=cfg, name="demo")


PIP = """\
    [image]
    base = "debian:bookworm-slim"
    python = "3.11"
    install = "pip"
    requirements = ["requirements.txt"]
    """


# --- distro_python ---

@pytest.mark.parametrize("base, expected", [
    ("debian:bookworm-slim", "3.11"),
    ("debian:bookworm", "3.11"),
    ("debian:12", "3.11"),
    ("debian:12-slim", "3.11"),
    ("debian:bullseye-slim", "3.9"),
    ("debian:trixie", "3.13"),
    ("ubuntu:24.04", "3.12"),
    ("ubuntu:noble", "3.12"),
    ("ubuntu:jammy", "3.10"),
    ("ubuntu:22.04", "3.10"),
    ("ubuntu:focal", "3.8"),
    ("python:3.11-slim-bookworm", "3.11"),
    ("registry:5000/debian:bookworm", "3.11"),
    ("registry.example.com:5000/library/ubuntu:24.04", "3.12"),
    ("docker.io/library/debian:bookworm-20240110-slim", "3.11"),
])
def test_distro_python(base, expected):
    assert buildplan.distro_python(base) == expected


@pytest.mark.parametrize("base", ["debian", "ubuntu:latest", "alpine:3.19", "fedora:40",
                                  "registry:5000/debian", "myimage:dev"])
def test_distro_python_unknown(base):
    assert buildplan.distro_python(base) is None


# --- resolve_python_from ---

@pytest.mark.parametrize("base, python, expected", [
    ("python:3.11-slim-bookworm", "3.11", "image"),
    ("python:3.12", "3.12", "image"),
    ("python", "3.12", "image"),
    ("docker.io/library/python:3.11", "3.11", "image"),
    ("library/python:3.11-slim", "3.11", "image"),
    ("python:3.11@sha256:" + "a" * 64, "3.11", "image"),
    ("debian:bookworm-slim", "3.11", "system"),
    ("debian:bookworm-slim", "3.12", "uv"),
    ("ubuntu:24.04", "3.12", "system"),
    ("ubuntu:24.04", "3.11", "uv"),
    ("ubuntu:jammy", "3.10", "system"),
    ("alpine:3.19", "3.11", "uv"),
    ("registry:5000/debian:bookworm", "3.11", "system"),
    ("registry:5000/python:3.11", "3.11", "uv"),  # not the official image
    ("mypython:3.11", "3.11", "uv"),
])
def test_resolve_python_from_auto(base, python, expected):
    assert buildplan.resolve_python_from(base, python, "auto") == expected


@pytest.mark.parametrize("mode", ["system", "uv", "image"])
def test_resolve_python_from_explicit_passes_through(mode):
    assert buildplan.resolve_python_from("python:3.11", "3.12", mode) == mode
    assert buildplan.resolve_python_from("debian:bookworm", "3.11", mode) == mode


# --- requirement_closure ---

def test_closure_follows_r_and_c_relative_to_the_including_file(tmp_path):
    files(tmp_path, {
        "requirements.txt": "django\n-r requirements/base.txt\n-c constraints.txt\n",
        "requirements/base.txt": "--requirement common.txt\nrequests\n",
        "requirements/common.txt": "-c ../constraints.txt\n",
        "constraints.txt": "django<5\n",
        "unrelated.txt": "x\n",
    })
    found = buildplan.requirement_closure(tmp_path, ["requirements.txt"])
    assert found == ["requirements.txt", "requirements/base.txt", "constraints.txt",
                     "requirements/common.txt"]


def test_closure_equals_form_and_indent(tmp_path):
    files(tmp_path, {
        "a.txt": "  --requirement=b.txt\n--constraint=c.txt\n# -r commented.txt\n",
        "b.txt": "",
        "c.txt": "",
    })
    found = buildplan.requirement_closure(tmp_path, ["a.txt"])
    assert found == ["a.txt", "b.txt", "c.txt"]


def test_closure_handles_cycles(tmp_path):
    files(tmp_path, {"a.txt": "-r b.txt\n", "b.txt": "-r a.txt\n"})
    found = buildplan.requirement_closure(tmp_path, ["a.txt"])
    assert found == ["a.txt", "b.txt"]


def test_closure_rejects_include_outside_project(tmp_path):
    root = tmp_path / "proj"
    files(root, {"requirements.txt": "-r ../shared.txt\n"})
    files(tmp_path, {"shared.txt": "x\n"})
    with pytest.raises(ConfigError) as info:
        buildplan.requirement_closure(root, ["requirements.txt"])
    assert info.value.exit_code == 2
    assert "requirements.txt includes ../shared.txt, outside the project" in str(info.value)


def test_closure_rejects_nested_include_escaping(tmp_path):
    root = tmp_path / "proj"
    files(root, {"reqs/a.txt": "-r ../../x.txt\n"})
    with pytest.raises(ConfigError) as info:
        buildplan.requirement_closure(root, ["reqs/a.txt"])
    assert "outside the project" in str(info.value)


def test_closure_rejects_absolute_include(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret\n")
    root = tmp_path / "proj"
    files(root, {"requirements.txt": f"-r {outside}\n"})
    with pytest.raises(ConfigError) as info:
        buildplan.requirement_closure(root, ["requirements.txt"])
    assert "outside the project" in str(info.value)


def test_closure_missing_file(tmp_path):
    files(tmp_path, {"requirements.txt": "-r dev.txt\n"})
    with pytest.raises(ConfigError) as info:
        buildplan.requirement_closure(tmp_path, ["requirements.txt"])
    assert info.value.exit_code == 2
    assert f"requirements file 'dev.txt' not found in {tmp_path}" in str(info.value)


def test_closure_missing_top_level_file(tmp_path):
    with pytest.raises(ConfigError):
        buildplan.requirement_closure(tmp_path, ["nope.txt"])


# --- pyproject_requirements ---

def test_pyproject_requirements(tmp_path):
    files(tmp_path, {"pyproject.toml": """\
        [project]
        name = "x"
        dependencies = ["django>=4", "requests"]
        [dependency-groups]
        dev = ["pytest", {include-group = "lint"}]
        lint = ["ruff"]
        """})
    assert buildplan.pyproject_requirements(tmp_path) == b"django>=4\nrequests\npytest\n"


def test_pyproject_requirements_empty(tmp_path):
    files(tmp_path, {"pyproject.toml": "[tool.x]\na = 1\n"})
    assert buildplan.pyproject_requirements(tmp_path) == b""


# --- digest ---

def test_digest_is_stable_and_sensitive():
    base = buildplan.digest("FROM x\n", {"manifests/a.txt": b"a", "ca/x.crt": b"c"})
    assert base == buildplan.digest("FROM x\n", {"ca/x.crt": b"c", "manifests/a.txt": b"a"})
    assert len(base) == 12 and all(c in "0123456789abcdef" for c in base)
    assert buildplan.digest("FROM y\n", {"manifests/a.txt": b"a", "ca/x.crt": b"c"}) != base
    assert buildplan.digest("FROM x\n", {"manifests/a.txt": b"b", "ca/x.crt": b"c"}) != base
    assert buildplan.digest("FROM x\n", {"manifests/b.txt": b"a", "ca/x.crt": b"c"}) != base
    assert buildplan.digest("FROM x\n", {"manifests/a.txt": b"a"}) != base


def test_digest_file_boundaries_matter():
    # the same bytes split differently between two files are a different context
    assert buildplan.digest("", {"a": b"xy", "b": b""}) != buildplan.digest("", {"a": b"x", "b": b"y"})


def test_digest_depends_on_dkenv_version(monkeypatch):
    before = buildplan.digest("FROM x\n", {})
    monkeypatch.setattr(buildplan, "__version__", "999.0")
    assert buildplan.digest("FROM x\n", {}) != before


# --- host_user ---

class _Pw:
    def __init__(self, name):
        self.pw_name = name


@pytest.mark.parametrize("name, uid, expected", [
    ("alice", 1000, "alice"),
    ("Alice.Smith", 1000, "alicesmith"),
    ("john doe", 1000, "johndoe"),
    ("1user", 1000, "dkenv"),
    ("", 1000, "dkenv"),
    ("root", 1000, "dkenv"),
    ("root", 0, "root"),
    ("a" * 40, 1000, "a" * 32),
    ("_svc", 1000, "_svc"),
])
def test_host_user_sanitises(monkeypatch, name, uid, expected):
    monkeypatch.setattr(buildplan.os, "getuid", lambda: uid)
    monkeypatch.setattr(buildplan.os, "getgid", lambda: uid + 1)
    monkeypatch.setattr(buildplan.pwd, "getpwuid", lambda _uid: _Pw(name))
    user = buildplan.host_user()
    assert user == dockerfile.User(name=expected, uid=uid, gid=uid + 1)


def test_host_user_without_passwd_entry_uses_user_env(monkeypatch):
    def missing(_uid):
        raise KeyError(_uid)

    monkeypatch.setattr(buildplan.os, "getuid", lambda: 4242)
    monkeypatch.setattr(buildplan.os, "getgid", lambda: 4242)
    monkeypatch.setattr(buildplan.pwd, "getpwuid", missing)
    monkeypatch.setenv("USER", "Build-Bot")
    assert buildplan.host_user().name == "build-bot"
    monkeypatch.delenv("USER")
    assert buildplan.host_user().name == "dkenv"


# --- host CA files ---

def test_host_ca_files(tmp_path, monkeypatch):
    folder = tmp_path / "cas"
    folder.mkdir()
    (folder / "corp.crt").write_bytes(b"CORP")
    (folder / "a.crt").write_bytes(b"A")
    (folder / "notes.txt").write_text("not a cert")
    (folder / "dir.crt").mkdir()
    monkeypatch.setattr(buildplan, "HOST_CA_DIR", folder)
    assert buildplan.host_ca_files("auto") == {"ca/a.crt": b"A", "ca/corp.crt": b"CORP"}
    assert buildplan.host_ca_files("none") == {}


def test_host_ca_files_missing_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(buildplan, "HOST_CA_DIR", tmp_path / "absent")
    assert buildplan.host_ca_files("auto") == {}


# --- make(): a real project ---

def test_make_pip_with_constraints(tmp_path):
    proj = project(tmp_path, PIP, {
        "requirements.txt": "django\n-c constraints.txt\n",
        "constraints.txt": "django<5\n",
        "app.py": "print('source')\n",
    })
    build = buildplan.make(proj)
    assert build.files == {
        "manifests/requirements.txt": b"django\n-c constraints.txt\n",
        "manifests/constraints.txt": b"django<5\n",
    }
    assert build.plan.install == "pip"
    assert build.plan.python == "3.11"
    assert build.plan.python_from == "system"  # bookworm ships 3.11
    assert build.plan.requirements == ["requirements.txt"]
    assert build.plan.extra_ca is False
    assert build.plan.locked is False
    assert build.plan.project == "demo"
    assert "-r requirements.txt" in build.dockerfile
    assert build.dockerfile == dockerfile.render(build.plan)
    assert build.digest == buildplan.digest(build.dockerfile, build.files)
    assert build.tag(proj) == f"dkenv/demo:{build.digest}"


def fake_detect(monkeypatch, **found):
    """Stand in for dkenv.detect's findings (another module), to test how make() uses them."""
    values = dict(python=None, manager="pip", requirements=[], constraints=[])
    values.update(found)
    monkeypatch.setattr(buildplan, "_Detected", lambda root: SimpleNamespace(**values))


def test_make_uses_detected_values_when_config_leaves_them(tmp_path, monkeypatch):
    fake_detect(monkeypatch, python="3.10", manager="pip", requirements=["requirements.txt"],
                constraints=["constraints.txt"])
    proj = project(tmp_path, '[image]\nbase = "ubuntu:jammy"\n', {
        "requirements.txt": "django\n", "constraints.txt": "django<5\n"})
    build = buildplan.make(proj)
    assert build.plan.python == "3.10"
    assert build.plan.install == "pip"
    assert build.plan.python_from == "system"  # jammy ships 3.10
    assert build.plan.requirements == ["requirements.txt"]
    assert build.plan.constraints == ["constraints.txt"]
    assert set(build.files) == {"manifests/requirements.txt", "manifests/constraints.txt"}
    assert "-r requirements.txt -c constraints.txt" in build.dockerfile


def test_make_config_requirements_win_over_detection(tmp_path, monkeypatch):
    fake_detect(monkeypatch, requirements=["other.txt"], constraints=["constraints.txt"])
    proj = project(tmp_path, PIP, {"requirements.txt": "x\n", "other.txt": "", "constraints.txt": ""})
    build = buildplan.make(proj)
    assert build.plan.requirements == ["requirements.txt"]
    assert build.plan.constraints == []
    assert set(build.files) == {"manifests/requirements.txt"}


def test_make_pip_without_requirements_is_an_error(tmp_path, monkeypatch):
    fake_detect(monkeypatch, requirements=[])
    proj = project(tmp_path, '[image]\npython = "3.11"\ninstall = "pip"\n', {})
    with pytest.raises(ConfigError) as info:
        buildplan.make(proj)
    assert info.value.exit_code == 2
    assert "image.install is pip but no requirements file was found" in str(info.value)
    assert "set image.requirements" in str(info.value)


def test_make_without_python_uses_the_hosts(tmp_path, monkeypatch):
    fake_detect(monkeypatch, python=None)
    proj = project(tmp_path, '[image]\ninstall = "none"\n')
    assert buildplan.make(proj).plan.python == "%d.%d" % sys.version_info[:2]


def test_make_poetry(tmp_path):
    proj = project(tmp_path, """\
        [image]
        base = "python:3.12-slim"
        python = "3.12"
        install = "poetry"
        """, {
        "pyproject.toml": "[tool.poetry]\nname = 'x'\n",
        "poetry.lock": "# lock\n",
        "README.md": "not in the context\n",
    })
    build = buildplan.make(proj)
    assert set(build.files) == {"manifests/pyproject.toml", "manifests/poetry.lock"}
    assert build.plan.locked is True
    assert build.plan.python_from == "image"
    assert "poetry install --no-root" in build.dockerfile


def test_make_poetry_without_pyproject(tmp_path):
    proj = project(tmp_path, '[image]\npython = "3.12"\ninstall = "poetry"\n', {"poetry.lock": ""})
    with pytest.raises(ConfigError) as info:
        buildplan.make(proj)
    assert "image.install is poetry but pyproject.toml is missing" in str(info.value)


def test_make_uv_lock(tmp_path):
    proj = project(tmp_path, '[image]\npython = "3.12"\ninstall = "uv"\n', {
        "pyproject.toml": "[project]\nname='x'\n", "uv.lock": "", ".python-version": "3.12\n"})
    build = buildplan.make(proj)
    assert set(build.files) == {"manifests/pyproject.toml", "manifests/uv.lock", "manifests/.python-version"}
    assert build.plan.locked is True
    assert build.plan.python_from == "uv"  # bookworm's python3 is 3.11
    assert "--frozen" in build.dockerfile


def test_make_pyproject(tmp_path):
    proj = project(tmp_path, '[image]\npython = "3.11"\ninstall = "pyproject"\n', {
        "pyproject.toml": "[project]\nname='x'\ndependencies=['attrs']\n"})
    build = buildplan.make(proj)
    assert build.files == {"manifests/dkenv-requirements.txt": b"attrs\n"}


def test_make_none_and_setup(tmp_path):
    proj = project(tmp_path, '[image]\npython = "3.11"\ninstall = "none"\nsetup = "s.sh"\n',
                   {"s.sh": "echo hi\n"})
    build = buildplan.make(proj)
    assert build.files == {"setup/setup.sh": b"echo hi\n"}
    assert build.plan.setup is True


def test_make_with_host_cas(tmp_path, monkeypatch):
    cas = tmp_path / "cas"
    cas.mkdir()
    (cas / "corp.crt").write_bytes(b"CERT")
    monkeypatch.setattr(buildplan, "HOST_CA_DIR", cas)
    proj = project(tmp_path / "p", PIP, {"requirements.txt": "x\n"})
    build = buildplan.make(proj)
    assert build.files["ca/corp.crt"] == b"CERT"
    assert build.plan.extra_ca is True
    assert "COPY ca/" in build.dockerfile
    without = project(tmp_path / "q", PIP.replace("[image]", '[image]\nextra_ca = "none"'),
                      {"requirements.txt": "x\n"})
    plain = buildplan.make(without)
    assert plain.plan.extra_ca is False
    assert not any(k.startswith("ca/") for k in plain.files)


def test_make_without_host_cas(tmp_path):
    proj = project(tmp_path, PIP, {"requirements.txt": "x\n"})
    build = buildplan.make(proj)
    assert build.plan.extra_ca is False
    assert "COPY ca/" not in build.dockerfile


def test_make_ca_change_changes_digest(tmp_path, monkeypatch):
    cas = tmp_path / "cas"
    cas.mkdir()
    monkeypatch.setattr(buildplan, "HOST_CA_DIR", cas)
    proj = project(tmp_path / "p", PIP, {"requirements.txt": "x\n"})
    before = buildplan.make(proj).digest
    (cas / "new.crt").write_bytes(b"NEW")
    assert buildplan.make(proj).digest != before


def _digest(root: Path, toml: str, tree: dict[str, str]) -> str:
    return buildplan.make(project(root, toml, tree)).digest


def test_digest_changes_with_requirements(tmp_path):
    tree = {"requirements.txt": "django\n"}
    before = _digest(tmp_path, PIP, tree)
    assert _digest(tmp_path, PIP, tree) == before  # stable
    assert _digest(tmp_path, PIP, {"requirements.txt": "django==5.0\n"}) != before


def test_digest_changes_with_included_file(tmp_path):
    tree = {"requirements.txt": "-r base.txt\n", "base.txt": "a\n"}
    before = _digest(tmp_path, PIP, tree)
    assert _digest(tmp_path, PIP, {"base.txt": "b\n"}) != before


def test_digest_ignores_source_files(tmp_path):
    before = _digest(tmp_path, PIP, {"requirements.txt": "x\n", "app.py": "1\n"})
    assert _digest(tmp_path, PIP, {"app.py": "2\n", "new.py": ""}) == before


def test_digest_changes_with_apt(tmp_path):
    tree = {"requirements.txt": "x\n"}
    before = _digest(tmp_path, PIP, tree)
    assert _digest(tmp_path, PIP + 'apt = ["git"]\n', tree) != before


def test_digest_changes_with_python(tmp_path):
    tree = {"requirements.txt": "x\n"}
    before = _digest(tmp_path, PIP, tree)
    assert _digest(tmp_path, PIP.replace('"3.11"', '"3.12"'), tree) != before


def test_digest_ignores_run_settings(tmp_path):
    tree = {"requirements.txt": "x\n", ".env": "A=1\n"}
    before = _digest(tmp_path, PIP, tree)
    changed = PIP + """\
        [run]
        env = { DEBUG = "1" }
        ports = ["8000", "9001:9000"]
        command = "python -m http.server"
        bind = "0.0.0.0"
        env_file = ".env"
        [shims]
        commands = ["python"]
        [services.db]
        image = "postgres:15"
        """
    assert _digest(tmp_path, changed, tree) == before


# --- write_context ---

def test_write_context(tmp_path):
    proj = project(tmp_path / "p", PIP, {"requirements.txt": "-r sub/b.txt\n", "sub/b.txt": "b\n"})
    build = buildplan.make(proj)
    out = tmp_path / "ctx"
    out.mkdir()
    (out / "stale").write_text("old")
    buildplan.write_context(build, out)
    assert (out / "Dockerfile").read_text() == build.dockerfile
    assert (out / "manifests" / "requirements.txt").read_text() == "-r sub/b.txt\n"
    assert (out / "manifests" / "sub" / "b.txt").read_text() == "b\n"
    assert not (out / "stale").exists()


def test_write_context_always_has_manifests_folder(tmp_path):
    proj = project(tmp_path / "p", '[image]\npython = "3.11"\ninstall = "none"\n')
    out = tmp_path / "ctx"
    buildplan.write_context(buildplan.make(proj), out)
    assert (out / "manifests").is_dir()


def test_make_rejects_requirements_outside_project(tmp_path):
    (tmp_path / "shared.txt").write_text("django\n")
    root = tmp_path / "proj"
    root.mkdir()
    toml = '[image]\npython = "3.11"\ninstall = "pip"\nrequirements = ["../shared.txt"]\n'
    with pytest.raises(ConfigError):
        buildplan.make(project(root, toml))


def test_system_python_mismatch_is_a_config_error_before_any_build(tmp_path, monkeypatch):
    from dkenv import config, project
    from dkenv.errors import ConfigError

    monkeypatch.setattr(buildplan, "HOST_CA_DIR", tmp_path / "no-ca")
    (tmp_path / ".dkenv.toml").write_text(
        '[image]\nbase = "debian:bookworm-slim"\npython = "3.12"\npython_from = "system"\ninstall = "none"\n')
    cfg = config.load(tmp_path)
    with pytest.raises(ConfigError) as caught:
        buildplan.make(project.Project(config=cfg, name="demo"))
    assert "ships Python 3.11, not 3.12" in str(caught.value)
    assert caught.value.exit_code == 2
