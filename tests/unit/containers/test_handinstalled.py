"""dkenv/containers/handinstalled.py: what a container installed by hand, and what a recreate loses."""
from __future__ import annotations

from dkenv.containers import handinstalled
from dkenv.containers.handinstalled import Lost

SITE = "/opt/venv/lib/python3.11/site-packages"


def test_added_dist_info_folders_are_the_distributions_installed_by_hand():
    changes = [
        (f"{SITE}/pyfiglet-1.0.2.dist-info", 1),
        (f"{SITE}/pyfiglet-1.0.2.dist-info/METADATA", 1),  # a file inside: not a distribution
        (f"{SITE}/pyfiglet", 1),
        (f"{SITE}/six-1.16.0.dist-info", 2),  # deleted (an upgrade by hand)...
        (f"{SITE}/six-1.17.0.dist-info", 1),  # ...and its new version added
        (f"{SITE}/Typing_Extensions-4.9.0.dist-info", 1),
        ("/opt/venv/bin/pyfiglet", 1),
        ("/tmp/x-1.0.dist-info", 1),  # not in the venv
        (f"{SITE}/requests-2.31.0.dist-info", 0),  # changed, not added
    ]
    assert handinstalled.added_by_hand(changes) == {
        "pyfiglet": ("pyfiglet", "1.0.2"), "six": ("six", "1.17.0"),
        "typing-extensions": ("Typing_Extensions", "4.9.0")}


def test_an_image_listing_is_read_for_any_python_version():
    listing = [f"{SITE}/six-1.16.0.dist-info", "/opt/venv/lib/python3.12/site-packages/tabulate-0.9.0.dist-info/"]
    assert handinstalled.dists(listing) == {"six": ("six", "1.16.0"), "tabulate": ("tabulate", "0.9.0")}


def test_what_the_new_image_has_at_the_same_version_is_not_lost():
    by_hand = {"pyfiglet": ("pyfiglet", "1.0.2"), "six": ("six", "1.17.0"), "tabulate": ("tabulate", "0.9.0")}
    image = {"six": ("six", "1.16.0"), "tabulate": ("tabulate", "0.9.0")}
    assert handinstalled.lost(by_hand, image) == [Lost("pyfiglet", "1.0.2"), Lost("six", "1.17.0", "1.16.0")]
    assert handinstalled.lost(by_hand, None) == [Lost("pyfiglet", "1.0.2"), Lost("six", "1.17.0"),
                                                 Lost("tabulate", "0.9.0")]
    assert handinstalled.lost({}, image) == []


def test_the_message_names_them_and_where_to_declare_them():
    one = handinstalled.message("dkenv-app", [Lost("pyfiglet", "1.0.2")], "will be gone once it is recreated",
                                "pip", ["requirements.txt"])
    assert one == ("dkenv: pyfiglet 1.0.2 was installed by hand in dkenv-app and will be gone once it is "
                   "recreated: add it to requirements.txt to keep it in the image")
    two = handinstalled.message("dkenv-app", [Lost("a", "1"), Lost("six", "1.17.0", "1.16.0")], "will be gone",
                                "poetry", [])
    assert "a 1, six 1.17.0 (the image has 1.16.0) were installed by hand" in two
    assert "add them to pyproject.toml to keep them" in two
    assert "\n" not in two


def test_where_to_add_follows_the_installer():
    assert handinstalled.where_to_add("pip", ["requirements/dev.txt"]) == "requirements/dev.txt"
    assert handinstalled.where_to_add("pip", []) == "requirements.txt"
    assert handinstalled.where_to_add("uv", []) == "pyproject.toml"
    assert handinstalled.where_to_add("pipenv", []) == "Pipfile"
    assert handinstalled.where_to_add("pdm", []) == "pyproject.toml"
    assert handinstalled.where_to_add("poetry", []) == "pyproject.toml"
    assert handinstalled.where_to_add("auto", []) == "the project's dependencies"
    assert "install = \"pip\"" in handinstalled.where_to_add("none", [])
