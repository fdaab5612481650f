"""detect/pinwheels.py: a requirements file's exact pins, the wheels the index has for each,
and the Pythons they install on without building; an index that cannot answer is unknown."""
from __future__ import annotations

from dkenv.commands import init
from dkenv.detect import basepython, detection, pinwheels

WHEELS = {  # what a fake index has: psycopg2-binary 2.9.9's wheels stop at 3.12
    ("psycopg2-binary", "2.9.9"): [f"psycopg2_binary-2.9.9-cp3{m}-cp3{m}-manylinux_2_17_x86_64.manylinux2014_x86_64."
                                   "whl" for m in (10, 11, 12)] + [f"psycopg2_binary-2.9.9-cp3{m}-cp3{m}-manylinux_2_17_"
                                                                    "aarch64.manylinux2014_aarch64.whl" for m in (10, 11, 12)],
    ("Flask", "3.0.0"): ["flask-3.0.0-py3-none-any.whl"],
    ("Flask-Mail", "0.9.1"): [],  # an sdist only: nothing to judge
    ("langdetect", "1.0.9"): ["langdetect-1.0.9-py2-none-any.whl"],  # pure: its sdist installs anywhere
}


def index(name, version):
    return WHEELS[(name, version)]


def project(tmp_path, text):
    (tmp_path / "requirements.txt").write_text(text)
    (tmp_path / "app.py").write_text("import flask\n")
    return tmp_path


def test_exact_pins_only_with_their_markers(tmp_path):
    root = project(tmp_path, "Flask==3.0.0\nrequests>=2\npsycopg2-binary == 2.9.9 ; python_version >= '3.8'\n"
                             "six==1.*\n-e .\n")
    assert [(p.name, p.version, p.markers) for p in pinwheels.pins(root, ["requirements.txt"])] == [
        ("Flask", "3.0.0", ""), ("psycopg2-binary", "2.9.9", "python_version >= '3.8'")]


def test_the_pythons_the_pins_fit_and_the_note_for_one_they_do_not(tmp_path):
    root = project(tmp_path, "Flask==3.0.0\npsycopg2-binary==2.9.9\nFlask-Mail==0.9.1\nlangdetect==1.0.9\n")
    fit = pinwheels.fit(root, ["requirements.txt"], fetch=index)
    assert {"3.10", "3.11", "3.12"} <= fit.fitting() and "3.13" not in fit.fitting()
    assert fit.note("3.12") is None
    assert fit.note("3.13").startswith("requirements.txt was made for Python 3.12: 1 of its pins has no wheel "
                                       "for Python 3.13")


def test_an_index_that_cannot_answer_is_unknown(tmp_path):
    root = project(tmp_path, "Flask==3.0.0\n")
    assert pinwheels.fit(root, ["requirements.txt"]) is None  # the unit tests' offline index
    assert pinwheels.fit(root, [], fetch=index) is None


def test_init_prefers_a_local_python_the_pins_fit_over_a_newer_one(tmp_path):
    root = project(tmp_path, "Flask==3.0.0\npsycopg2-binary==2.9.9\n")
    found = detection.inspect(root)
    pinned = pinwheels.fit(root, found.requirements, fetch=index)
    present = ["python:3.13-slim-trixie", "python:3.11-slim-bookworm"]

    class Local:
        def __call__(self, repository):
            return present
    choice = init.choose_python(found, None, None, Local(), pinned)
    assert choice.version == "3.11" and choice.reason.endswith(
        "the newest Python image on this machine, one requirements.txt's pins all have wheels for")
    without = init.choose_python(found, None, None, Local(), None)  # PyPI unknown: as before
    assert without.version == "3.13"
    # nothing local that fits: the official image of the newest allowed one they fit
    assert basepython.choose_image(None, "3.13", {"3.13": "python:3.13-slim"}, pinned.fitting(),
                                   pinned.why()).version == "3.12"


def test_a_lock_names_its_own_wheels_no_index_asked(tmp_path):
    files = ", ".join(f'{{file = "psycopg2_binary-2.9.9-cp3{m}-cp3{m}-manylinux_2_17_{arch}.manylinux2014_{arch}.whl", '
                      f'hash = "sha256:0"}}' for m in (11, 12) for arch in ("x86_64", "aarch64"))
    lock = tmp_path / "poetry.lock"
    lock.write_text(f'[[package]]\nname = "psycopg2-binary"\nversion = "2.9.9"\nfiles = [{files}]\n'
                    '[metadata]\nlock-version = "2.0"\n')
    fit = pinwheels.fit(tmp_path, ["requirements.txt"], lock, fetch=lambda name, version: 1 / 0)
    assert fit.name == "poetry.lock" and {"3.11", "3.12"} <= fit.fitting() and "3.13" not in fit.fitting()
    assert fit.note("3.13").startswith("poetry.lock was made for Python 3.12: 1 of its pins has no wheel")
