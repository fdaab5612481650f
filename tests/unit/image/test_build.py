"""image/build.ensure_image around an Engine that replays a recorded Docker stream:
progress lines, .dkenv/build.log, and the failure message (exit 1)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dkenv import hostuser
from dkenv.engine.engine import Engine
from dkenv.errors import FatalError
from dkenv.image import build as image_build
from dkenv.image import dockerfile, plan
from dkenv.project import config
from dkenv.project.project import Project
from tests.unit.fakeengine import FakeDocker, engine

DATA = Path(__file__).resolve().parents[2] / "data" / "buildlogs"
DOCKERFILE = (DATA / "stream-pip.Dockerfile").read_text()
SUCCESS = (DATA / "stream-pip-nocache.txt").read_text()
ERROR = "The command '/bin/sh -c set -eu; /opt/venv/bin/pip install ...' returned a non-zero code: 1"


def failing_stream() -> str:
    """The real stream up to the dependency step, then pip's real output for an old pin."""
    head = SUCCESS[:SUCCESS.index(" ---> ", SUCCESS.index("Step 13/18"))]
    return head + " ---> Running in 5e1f\n\x1b[91m" + (DATA / "pip-pkg-resources.txt").read_text() + "\x1b[0m"


def replaying(stream: str, error: str = "", verbose: bool = False, exists: bool = False, progress: str = "auto",
              raises: BaseException | None = None) -> Engine:
    """An Engine whose build plays `stream` in uneven chunks (lines split across them), then
    fails with `error` if given (or raises `raises`); `exists`: the tag is there already."""
    docker = FakeDocker()
    docker.build_output, docker.build_error, docker.build_raises = stream, error, raises
    if exists:
        docker.add_image("dkenv/demo:0123456789ab")
    return engine(docker, verbose=verbose, progress=progress)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    root = tmp_path / "app"
    root.mkdir()
    text = '[project]\nname = "demo"\n[image]\ninstall = "none"\n'
    (root / ".dkenv.toml").write_text(text)
    monkeypatch.chdir(root)
    return Project(config=config.validate(root / ".dkenv.toml", text), name="demo")


def inputs() -> plan.BuildInputs:
    image = dockerfile.ImagePlan(base="python:3.11-slim-bookworm", python="3.11", python_from="image",
                                 install="pip", user=hostuser.User("root", 0, 0), requirements=["requirements.txt"])
    return plan.BuildInputs(image=image, dockerfile=DOCKERFILE, digest="0123456789ab")


def run(project: Project, engine: Engine) -> list[str]:
    said: list[str] = []
    image_build.ensure_image(project, engine, out=said.append, build=inputs())
    return said


def test_a_build_shows_steps_and_writes_the_raw_log(project):
    (project.work_dir).mkdir()
    (project.work_dir / "build.log").write_text("the previous build's log\n")
    said = run(project, replaying(SUCCESS))
    assert said[0] == "dkenv: building dkenv/demo:0123456789ab with the classic builder (Dockerfile: .dkenv/Dockerfile)"
    assert said[1:6] == ["dkenv: [1/5] base image python:3.11-slim-bookworm",
                         "dkenv: [2/5] the host's extra CA certificates", "dkenv: [3/5] Python 3.11 from the base image",
                         "dkenv: [4/5] the project's virtualenv /opt/venv", "dkenv: [5/5] dependencies (pip)"]
    assert said[6].startswith("dkenv: built dkenv/demo:0123456789ab in ") and len(said) == 7
    assert said[6].endswith(" (123 MB)")
    log = (project.work_dir / "build.log").read_text()
    assert "previous" not in log and "Step 18/18 : LABEL" in log and "Successfully installed six-1.16.0" in log
    assert [p.name for p in project.work_dir.iterdir() if p.name.endswith(".tmp")] == []


def test_a_failed_build_is_one_paragraph_naming_the_package_and_the_log(project):
    with pytest.raises(FatalError) as info:
        run(project, replaying(failing_stream(), ERROR))
    assert info.value.exit_code == 1
    lines = str(info.value).split("\n")
    assert len(lines) == 2
    assert lines[0].startswith("dkenv: the build failed at step 5/5, dependencies (pip): lazy-object-proxy==1.6.0 "
                               "did not install: preparing its metadata failed because it imports pkg_resources")
    assert lines[1] == "dkenv: full log: .dkenv/build.log"
    log = (project.work_dir / "build.log").read_text()
    assert "Step 13/18" in log and "No module named 'pkg_resources'" in log and log.endswith(f"ERROR: {ERROR}\n")
    assert "\x1b" not in log
    assert (project.work_dir / ".gitignore").exists()


def test_verbose_streams_the_raw_output_instead_of_step_lines(project, capsys):
    said = run(project, replaying(SUCCESS, verbose=True))
    assert not any("[1/5]" in line for line in said)
    assert "Step 13/18 : RUN" in capsys.readouterr().err


def test_an_existing_image_is_not_built_and_the_last_log_stays(project):
    project.work_dir.mkdir()
    (project.work_dir / "build.log").write_text("kept\n")
    said = run(project, replaying("", exists=True))
    assert said == ["dkenv: image dkenv/demo:0123456789ab is up to date"]
    assert (project.work_dir / "build.log").read_text() == "kept\n"


def test_the_log_path_is_absolute_from_outside_the_project(project, tmp_path, monkeypatch):
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    with pytest.raises(FatalError) as info:
        run(project, replaying(failing_stream(), ERROR))
    assert str(info.value).endswith(f"full log: {project.work_dir / 'build.log'}")


def test_on_a_terminal_each_step_is_one_line_redrawn_then_left_with_its_time(project, capsys):
    said = run(project, replaying(SUCCESS, progress="tty"))
    assert said[0].startswith("dkenv: building ") and said[1].startswith("dkenv: built ") and len(said) == 2
    err = capsys.readouterr().err
    final = [part.rstrip("\n") for part in err.split("\r\x1b[2K") if part.endswith("\n")]
    assert [line.rsplit("  ", 1)[0] for line in final] == [
        "dkenv: [1/5] base image python:3.11-slim-bookworm", "dkenv: [2/5] the host's extra CA certificates",
        "dkenv: [3/5] Python 3.11 from the base image", "dkenv: [4/5] the project's virtualenv /opt/venv",
        "dkenv: [5/5] dependencies (pip)"]
    assert all(re.fullmatch(r"\d+\.\ds", line.rsplit("  ", 1)[1]) for line in final)
    # while the dependency step ran, its line showed pip's output after its time
    assert re.search(r"dkenv: \[5/5\] dependencies \(pip\)  \d+\.\ds  \S", err)


def test_on_a_terminal_a_cached_step_says_so_and_a_failed_one_too(project, capsys):
    stream = failing_stream().replace("Step 1/18 : FROM python:3.11-slim-bookworm\n",
                                      "Step 1/18 : FROM python:3.11-slim-bookworm\n ---> Using cache\n", 1)
    with pytest.raises(FatalError):
        run(project, replaying(stream, ERROR, progress="tty"))
    err = capsys.readouterr().err
    assert "\r\x1b[2Kdkenv: [1/5] base image python:3.11-slim-bookworm (cached)\n" in err
    assert "\r\x1b[2Kdkenv: [5/5] dependencies (pip)  failed\n" in err


def test_plain_progress_is_forced_on_a_terminal_too(project, capsys):
    said = run(project, replaying(SUCCESS, progress="plain"))
    assert len(said) == 7 and "\x1b" not in capsys.readouterr().err


def test_ctrl_c_ends_the_running_line_as_interrupted_and_keeps_the_log(project, capsys):
    with pytest.raises(KeyboardInterrupt):
        run(project, replaying(SUCCESS[:SUCCESS.index("Step 13/18")] + "Step 13/18 : RUN pip install\n",
                               progress="tty", raises=KeyboardInterrupt()))
    assert capsys.readouterr().err.endswith("\r\x1b[2Kdkenv: [5/5] dependencies (pip)  interrupted\n")
    assert "Step 13/18" in (project.work_dir / "build.log").read_text()


def with_requirements(text: str, digest: str) -> plan.BuildInputs:
    built = inputs()
    built.files, built.digest = {"manifests/requirements.txt": text.encode()}, digest
    return built


def test_an_added_requirement_is_a_step_on_the_previous_image_and_a_failed_step_builds_from_the_start(
        project, monkeypatch):
    from dkenv.image import incremental, incrementalstep

    monkeypatch.setenv("DKENV_BUILDER", "classic")
    docker = FakeDocker()
    docker.build_output = SUCCESS
    eng, said = engine(docker), []
    image_build.ensure_image(project, eng, out=said.append, build=with_requirements("six==1.16.0\n", "aaaaaaaaaaaa"))
    assert docker.builds[-1]["dockerfile"] is None
    assert docker.builds[-1]["labels"][incremental.LABEL_STEPS] == "0"
    image_build.ensure_image(project, eng, out=said.append,
                             build=with_requirements("six==1.16.0\nattrs==23.2.0\n", "bbbbbbbbbbbb"))
    step = docker.builds[-1]
    assert step["dockerfile"] == incrementalstep.NAME and step["labels"][incremental.LABEL_STEPS] == "1"
    assert "# | FROM dkenv/demo:aaaaaaaaaaaa\n" in (project.work_dir / "build.log").read_text()  # the step, logged
    assert any(re.match(r"dkenv: building dkenv/demo:bbbbbbbbbbbb on dkenv/demo:aaaaaaaaaaaa \(attrs added or "
                        r"changed\) with the classic builder", line) for line in said), said
    docker.build_error = "boom"
    with pytest.raises(FatalError):
        image_build.ensure_image(project, eng, out=said.append,
                                 build=with_requirements("six==1.16.0\nattrs==23.2.0\nidna==3.7\n", "cccccccccccc"))
    assert [b["dockerfile"] for b in docker.builds[-2:]] == [incrementalstep.NAME, None]
    assert any(line.startswith("dkenv: the incremental step failed (") and line.endswith("building from the start")
               for line in said), said


def test_the_image_the_project_container_runs_is_the_steps_first_candidate_without_a_list(project, monkeypatch):
    from dkenv.image import incrementalstep

    monkeypatch.setenv("DKENV_BUILDER", "classic")
    docker = FakeDocker()
    docker.build_output = SUCCESS
    eng, said = engine(docker), []
    image_build.ensure_image(project, eng, out=said.append, build=with_requirements("six==1.16.0\n", "aaaaaaaaaaaa"))
    docker.listings.clear()
    image_build.ensure_image(project, eng, out=said.append, running="dkenv/demo:aaaaaaaaaaaa",
                             build=with_requirements("six==1.16.0\nattrs==23.2.0\n", "bbbbbbbbbbbb"))
    assert docker.builds[-1]["dockerfile"] == incrementalstep.NAME
    assert "# | FROM dkenv/demo:aaaaaaaaaaaa\n" in (project.work_dir / "build.log").read_text()
    assert docker.listings == []  # one inspect, no list of every image
    # a running image that is gone: every image of the project, listed
    image_build.ensure_image(project, eng, out=said.append, running="dkenv/demo:gone",
                             build=with_requirements("six==1.16.0\nattrs==23.2.0\nidna==3.7\n", "cccccccccccc"))
    assert docker.listings and docker.builds[-1]["dockerfile"] == incrementalstep.NAME


def test_with_no_container_the_last_builds_image_is_the_first_candidate(project, monkeypatch):
    """After `down` (no container runs), `up` or `build` steps on the image the last build made,
    from the user's state folder: one inspect, no list; a record naming another project's
    image, or one gone, is no candidate (the list decides)."""
    from dkenv.image import incrementalstep
    from dkenv.project import lastbuilt

    monkeypatch.setenv("DKENV_BUILDER", "classic")
    docker = FakeDocker()
    docker.build_output = SUCCESS
    eng, said = engine(docker), []
    image_build.ensure_image(project, eng, out=said.append, build=with_requirements("six==1.16.0\n", "aaaaaaaaaaaa"))
    assert lastbuilt.recall(eng, "demo") == "dkenv/demo:aaaaaaaaaaaa"
    docker.listings.clear()
    image_build.ensure_image(project, eng, out=said.append,
                             build=with_requirements("six==1.16.0\nattrs==23.2.0\n", "bbbbbbbbbbbb"))
    assert docker.builds[-1]["dockerfile"] == incrementalstep.NAME and docker.listings == []
    assert lastbuilt.recall(eng, "demo") == "dkenv/demo:bbbbbbbbbbbb"
    lastbuilt.remember(eng, "demo", "postgres:15")  # not the project's: listed instead
    image_build.ensure_image(project, eng, out=said.append,
                             build=with_requirements("six==1.16.0\nattrs==23.2.0\nidna==3.7\n", "cccccccccccc"))
    assert docker.listings and docker.builds[-1]["dockerfile"] == incrementalstep.NAME
    assert lastbuilt.recall(eng, "other") == ""
