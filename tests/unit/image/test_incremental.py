"""dkenv/image/incremental.py: when a build can be a step on the previous image (additions
and version changes only), and that step's Dockerfile (built for real in tests/docker/test_buildcache.py)."""
from __future__ import annotations

import json

import pytest

from dkenv import hostuser
from dkenv.image import dockerfile as d
from dkenv.image import incremental as inc
from dkenv.image import incrementalstep as step

CLASSIC = "FROM python:3.11-slim\nRUN install\n"
BASE = {"manifests/requirements.txt": b"# pins\nsix==1.16.0\nidna==3.7  # the URL parser\n",
        "ca/corp.crt": b"CERT"}


def plan(**kw) -> d.ImagePlan:
    values = dict(base="python:3.11-slim", python="3.11", python_from="image", install="pip",
                  user=hostuser.User(name="dev", uid=1000, gid=1000), requirements=["requirements.txt"])
    values.update(kw)
    return d.ImagePlan(**values)


def image(files=BASE, created=1, steps=0, text=CLASSIC) -> inc.Previous:
    return inc.Previous(f"sha256:{created}", (f"dkenv/p:{created}",), inc.labels(text, files, steps), created)


def with_requirements(text: str, **more) -> dict[str, bytes]:
    return {**BASE, "manifests/requirements.txt": text.encode(), **more}


@pytest.mark.parametrize("text, names", [
    ("six==1.16.0\nidna==3.7\nattrs==23.2.0\n", ("attrs",)),  # added
    ("six==1.16.0\nidna==3.6\n", ("idna",)),  # bumped
    ("# pins, reordered\nidna==3.7\n\nsix==1.16.0 ; python_version >= '3'\n", ("six",)),
    ("six==1.16.0\nidna==3.7\n# only a comment more\n", ()),
])
def test_additions_and_version_changes_step_on_the_newest_image(text, names):
    older, newer = image(created=1), image(created=5)
    found = inc.choose([older, newer], CLASSIC, with_requirements(text))
    assert found == (newer, names)


@pytest.mark.parametrize("files, why", [
    (with_requirements("six==1.16.0\n"), "idna removed"),
    (with_requirements("six==1.16.0\nidna==3.7\n--index-url https://x.example/simple\n"), "not a plain requirement"),
    (with_requirements("six==1.16.0\nidna @ https://x.example/idna.whl\n"), "not a plain requirement"),
    (with_requirements("six==1.16.0 --hash=sha256:ab\nidna==3.7\n"), "not a plain requirement"),
    (with_requirements("six==1.16.0\nidna==3.7\n", **{"manifests/dev.txt": b"pytest\n"}), "not the same files"),
])
def test_a_removal_an_option_or_another_file_builds_from_the_start(files, why):
    assert why in inc.choose([image()], CLASSIC, files)


def test_another_base_or_ca_or_too_many_steps_is_no_previous_image():
    assert inc.choose([image()], CLASSIC.replace("3.11", "3.12"), BASE) == ""  # no image of this kind
    assert inc.choose([image()], CLASSIC, {**BASE, "ca/corp.crt": b"OTHER"}) == ""
    assert inc.choose([], CLASSIC, BASE) == ""
    assert "8 incremental steps" in inc.choose([image(steps=inc.MAX_STEPS)], CLASSIC, BASE)


def test_the_labels_hold_the_manifests_and_wheels_by_digest():
    labels = inc.labels(CLASSIC, {**BASE, "manifests/.dkenv-editable/p-0-py3-none-any.whl": b"PK\x03\x04\xff"}, 2)
    held = json.loads(labels[inc.LABEL_MANIFESTS])
    assert held["requirements.txt"].startswith("# pins") and "ca/corp.crt" not in held
    assert held[".dkenv-editable/p-0-py3-none-any.whl"].startswith("sha256:")
    assert labels[inc.LABEL_STEPS] == "2"
    assert inc.labels(CLASSIC, {"manifests/r.txt": b"x" * (inc.MAX_LABEL + 1)}) == {}


def test_the_step_resolves_syncs_then_runs_the_clean_builds_install():
    p = plan(constraints=["c.txt"])
    cached, classic = step.render(p, "dkenv/p:abc", cache=True), step.render(p, "dkenv/p:abc", cache=False)
    assert cached.count("--mount=type=cache") == 2 and "--mount" not in classic
    assert "UV_NO_CACHE=1" in classic and "UV_NO_CACHE" not in cached
    for text in (cached, classic):
        assert "\nFROM dkenv/p:abc\n" in text and "COPY --chown=1000:1000 manifests/ /tmp/dkenv-build/" in text
        compile_, sync, install = (text.index(f'"$uv" pip {verb} ') for verb in ("compile", "sync", "install"))
        assert compile_ < sync < install
        assert "pip compile -q --python /opt/venv/bin/python --no-emit-package pip --no-emit-package setuptools " \
               "requirements.txt -c c.txt -o /tmp/dkenv-resolved.txt" in text
        assert '"$uv" pip install --python /opt/venv/bin/python -r requirements.txt -c c.txt' in text
        assert text.rstrip().endswith("USER 1000:1000")
        assert "UV_COMPILE_BYTECODE" not in text and text.index(" -m compileall -qq ") > install  # what changed only


def test_the_step_installs_the_editables_and_debugpy_again():
    text = step.render(plan(install="pyproject", editables=[".dkenv-editable/p.whl"], debugpy=True), "x", cache=True)
    assert "--no-deps --no-index .dkenv-editable/p.whl" in text and "pip install --no-cache-dir debugpy" in text
    assert step.applies(plan(install="pyproject")) and not step.applies(plan(install="poetry"))
    assert not step.applies(plan(install="none"))


def lock_text(**packages: str) -> str:
    return "version = 1\n" + "".join(f'\n[[package]]\nname = "{n}"\nversion = "{v}"\n' for n, v in packages.items())


def test_with_a_lock_the_lock_decides():
    old = {"pyproject.toml": "[project]\n", "uv.lock": lock_text(six="1.16.0", idna="3.7")}
    bumped = {"pyproject.toml": "[project]\n# anything\n", "uv.lock": lock_text(six="1.16.0", idna="3.6", attrs="1")}
    assert inc.change(old, bumped, "uv.lock") == ("idna", "attrs")
    assert inc.change(old, {**old, "uv.lock": lock_text(six="1.16.0")}, "uv.lock") == "uv.lock: idna removed"
    assert "not the same files" in inc.change(old, {**old, ".python-version": "3.12\n"}, "uv.lock")
    assert "holds no packages" in inc.change(old, {**old, "uv.lock": "not toml ["}, "uv.lock")


def test_with_uv_and_its_lock_the_step_runs_uv_sync_again():
    p = plan(install="uv", locked=True, requirements=[])
    text = step.render(p, "dkenv/p:abc", cache=True)
    assert "uv sync --no-install-project --frozen" in text and "pip compile" not in text
    assert "# dependencies (uv, uv sync of the changes, cached)" in text
    assert step.applies(p) and not step.applies(plan(install="uv", locked=False, requirements=[]))
