"""image/volumesteps.py: the BuildKit rendering cut in the three parts the cache-volume route
builds, and each part's "Step N/K" said as the whole's."""
from __future__ import annotations

import shlex

from dkenv import hostuser
from dkenv.image import buildsteps, cachemounts, incrementalstep
from dkenv.image import dockerfile as d
from dkenv.image import volumesteps as v

USER = hostuser.User(name="dev", uid=1500, gid=1500)


def plan(**kw) -> d.ImagePlan:
    values = dict(base="python:3.11-slim", python="3.11", python_from="image", install="pip", user=USER,
                  requirements=["requirements.txt"], debugpy=True, project="shop")
    values.update(kw)
    return d.ImagePlan(**values)


def test_the_buildkit_rendering_is_cut_at_its_cached_run():
    text = d.render_buildkit(plan())
    parts = v.split(text)
    assert parts is not None
    steps = buildsteps.parse(text)
    assert parts.total == len(steps)
    run = steps[parts.run_step - 1]
    assert run.keyword == "RUN" and run.text.startswith("--mount=type=cache")
    assert "--mount" not in parts.head and "--mount" not in parts.tail
    assert [s.keyword for s in buildsteps.parse(parts.head)] == [s.keyword for s in steps[:parts.run_step - 1]]
    assert [s.text for s in buildsteps.parse(parts.tail)] == [s.text for s in steps[parts.run_step:]]
    assert "debugpy" in parts.tail  # what comes after the dependencies stays after them
    assert parts.head.rstrip().splitlines()[-1].startswith("# dependencies")  # its label stays with the head


def test_each_cache_mount_becomes_the_users_named_volume_of_its_id():
    parts = v.split(d.render_buildkit(plan()))
    assert parts.mounts == (v.CacheMount("dkenv-pip-1500", f"{cachemounts.CACHE_DIR}/pip", "1500", "1500"),
                            v.CacheMount("dkenv-uv-1500", f"{cachemounts.CACHE_DIR}/uv", "1500", "1500"))


def test_the_script_is_the_runs_shell_text_as_docker_runs_it():
    parts = v.split(d.render_buildkit(plan()))
    assert parts.script.startswith("set -eu; export PIP_CACHE_DIR=")
    assert "\\\n" not in parts.script and "--mount" not in parts.script
    assert "uv pip install" in parts.script
    assert shlex.split(parts.script)  # one shell text, quotes balanced
    assert v.step_line(parts) == f"Step {parts.run_step}/{parts.total} : RUN {parts.script}\n"


def test_comments_inside_the_run_are_dropped_as_docker_drops_them():
    text = "FROM x\nRUN --mount=type=cache,id=c,target=/c \\\n# a note\n    make \\\n && test\nUSER 1\n"
    parts = v.split(text)
    assert parts.script == "make  && test" and parts.tail == "USER 1\n"
    assert parts.mounts == (v.CacheMount("c", "/c"),) and (parts.run_step, parts.total) == (2, 3)


def test_a_text_without_cache_mounts_is_not_cut():
    assert v.split(d.render(plan())) is None


def test_the_incremental_step_is_cut_the_same_way():
    text = incrementalstep.render(plan(), "dkenv/shop:prev", cache=True)
    parts = v.split(text)
    assert parts.head.splitlines()[2:] == ["FROM dkenv/shop:prev", "USER 1500:1500", "WORKDIR /tmp/dkenv-build",
                                           "COPY --chown=1500:1500 manifests/ /tmp/dkenv-build/",
                                           "# dependencies (pip, uv pip sync of the changes, cached)"]
    assert "uv\" pip sync" in parts.script and len(parts.mounts) == 2


def test_proxies_are_exported_in_the_step_only_quoted():
    assert v.with_proxies("make", {}) == "make"
    said = v.with_proxies("make", {"https_proxy": "http://p:3128/a b", "NO_PROXY": "x'y"})
    assert said == "export NO_PROXY='x'\"'\"'y' https_proxy='http://p:3128/a b'; make"


def test_each_parts_steps_are_numbered_as_the_wholes():
    renumber = v.Renumber(20)
    assert renumber.feed("Step 3/16 : RUN make") == ["Step 3/20 : RUN make"]
    assert renumber.feed(" ---> Using cache") == [" ---> Using cache"]
    renumber.part(16, skip=1)  # the tail: its own FROM (the committed image) is not said
    assert renumber.feed("Step 1/5 : FROM sha256:abc") == []
    assert renumber.feed("Step 2/5 : WORKDIR /") == ["Step 18/20 : WORKDIR /"]
    assert renumber.feed("STEP 3/5: USER 1500:1500") == ["Step 19/20 : USER 1500:1500"]
    assert renumber.close() == []
