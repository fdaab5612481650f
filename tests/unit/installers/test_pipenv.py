"""dkenv/installers/pipenv.py: Pipfile categories as groups, exported by `pipenv requirements`."""
from __future__ import annotations

import pytest

from dkenv.errors import ConfigError
from dkenv.installers import pipenv
from tests.unit.installers.helpers import DATA, files, folder, no_detection, plan

INSTALLER = pipenv.Pipenv()
PIPFILE = {"Pipfile": """\
    [[source]]
    url = "https://pypi.org/simple"
    name = "pypi"
    [packages]
    django = "*"
    [dev-packages]
    pytest = "*"
    [docs]
    sphinx = "*"
    [requires]
    python_version = "3.11"
    [scripts]
    serve = "python manage.py runserver"
    """}


@pytest.mark.parametrize("groups, export", [
    (None, "--dev"),  # `pipenv install --dev`: packages and dev-packages
    ([], "--categories packages"),
    (["dev"], "--categories packages,dev-packages"),
    (["docs", "dev"], "--categories packages,docs,dev-packages"),
])
def test_steps(groups, export):
    assert INSTALLER.steps(plan("pipenv", groups=groups)) == [
        "if [ ! -f Pipfile.lock ]; then /opt/dkenv-tools/bin/pipenv lock; fi",
        f"/opt/dkenv-tools/bin/pipenv requirements {export} > /tmp/dkenv-pipenv.txt",
        "/opt/venv/bin/pip install --no-cache-dir -r /tmp/dkenv-pipenv.txt",
    ]


def test_categories_are_the_groups(tmp_path):
    choices = INSTALLER.choices(folder(tmp_path, PIPFILE))
    assert (choices.groups, choices.default_groups, choices.extras) == (["dev", "docs"], ["dev"], [])
    assert INSTALLER.choices(folder(DATA / "pipenv-app")).groups == ["dev"]
    assert sorted(INSTALLER.read(folder(tmp_path, PIPFILE)).names) == ["django", "pytest", "sphinx"]


def test_extras_do_not_apply_and_groups_are_checked(tmp_path):
    files(tmp_path, PIPFILE)
    with pytest.raises(ConfigError, match='image.extras does not apply to install = "pipenv"'):
        INSTALLER.inputs(tmp_path, [], no_detection, extras=["test"])
    with pytest.raises(ConfigError, match=r"'dev-packages' is not a dependency group of Pipfile "
                                          r"\(\[dev-packages\] is dev\) \(it declares dev, docs\)"):
        INSTALLER.inputs(tmp_path, [], no_detection, groups=["dev-packages"])
    assert INSTALLER.inputs(tmp_path, [], no_detection, extras=[], groups=["docs"]).groups == ["docs"]
