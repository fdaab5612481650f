"""dkenv/catalog: every entry's [NAME.detect] data is well-formed, and it alone drives what
`dkenv init` detects: a loop over the entries, not a list of services, checks each fact."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dkenv.catalog import entries
from dkenv.catalog.entries import catalog, split_package
from dkenv.services.proposals import choose_services
from dkenv.detect import detection, layout
from dkenv.manifests.dependencies import normalize
from dkenv.services import fromenv
from tests.unit.conftest import tree

ENTRIES = list(catalog().values())
RANKED = [e for e in ENTRIES if e.detect.rank is not None]
PACKAGES = [(e.name, spec) for e in ENTRIES for spec in e.detect.packages]
WORDS = [(e.name, word) for e in ENTRIES for word in e.detect.env_words]
# the entries whose URL carries credentials init can read back from a .env URL
WITH_CREDENTIALS = [(e.name, scheme) for e in ENTRIES if "{quoted[" in e.url for scheme in e.detect.schemes]


# --- well-formed ---

@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_every_entrys_detection_data_is_well_formed(entry):
    detect = entry.detect
    for spec in detect.packages:
        name, extra = split_package(spec)
        assert name == normalize(name) and (extra is None or extra == normalize(extra)), spec
        assert spec == (f"{name}[{extra}]" if extra else name), spec  # one extra at most, nothing after it
    for name, beside in detect.alongside.items():
        assert name == normalize(name) and beside and all(b == normalize(b) for b in beside), name
    if detect.packages or detect.alongside:
        assert isinstance(detect.rank, int)
    assert re.match(r"^[a-z0-9][a-z0-9-]*$", detect.propose_as)  # a valid [services.NAME]
    assert detect.env_words and all(re.match(r"^[A-Z0-9]+$", w) for w in detect.env_words)  # split at "_"
    assert detect.schemes and all(re.match(r"^[a-z][a-z0-9.-]*$", s) for s in detect.schemes)  # "+" splits
    assert entry.url.startswith(detect.schemes[0] + "://") or entry.url.split("://")[0] in detect.schemes


def test_a_package_suggests_one_service_and_the_ranks_are_distinct():
    specs = [spec for _, spec in PACKAGES] + [name for e in ENTRIES for name in e.detect.alongside]
    assert len(specs) == len(set(specs))
    assert len({e.detect.rank for e in RANKED}) == len(RANKED)
    assert {e.name for e in ENTRIES if e.detect.packages} == {e.name for e in RANKED}


def test_the_detect_table_has_its_keys_and_defaults():
    base = ('[x]\ndescription = "x"\nimage = "x"\ntag = "1"\nports = [1]\ndata = ""\nhealthcheck = "true"\n'
            'env = {}\nurl = "Foo://{name}"\nconnection = { X = "y" }\n')
    detect = entries.parse_catalog(base)["x"].detect
    assert (detect.packages, detect.alongside, detect.rank) == ([], {}, None)
    assert (detect.propose_as, detect.env_words, detect.schemes) == ("x", ["X"], ["foo"])
    with pytest.raises(ValueError, match=r"\[x.detect\]: unknown \['package'\]"):
        entries.parse_catalog(base + '[x.detect]\npackage = ["y"]\nrank = 1\n')
    with pytest.raises(ValueError, match=r"\[x.detect\]: packages without an integer rank"):
        entries.parse_catalog(base + '[x.detect]\npackages = ["y"]\n')


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_docs_services_md_lists_what_proposes_each_entry(entry):
    docs = (Path(__file__).resolve().parents[3] / "docs" / "services.md").read_text()
    section = docs.split(f"### {entry.name}\n")[1].split("###")[0]
    detect = entry.detect
    listed = [*detect.packages, *detect.alongside, *(b for beside in detect.alongside.values() for b in beside)]
    listed += detect.env_words if detect.env_words != [entry.name.upper()] else []
    listed += [f"{s}://" for s in detect.schemes] if detect.schemes != [entry.url.split(":")[0]] else []
    listed += [detect.propose_as] if detect.propose_as != entry.name else []
    for item in listed:
        assert f"`{item}`" in section, (entry.name, item)


# --- the data drives detection ---

@pytest.mark.parametrize("service, spec", PACKAGES)
def test_a_project_depending_on_an_entrys_package_is_proposed_that_service(tmp_path, service, spec):
    tree(tmp_path, {"requirements.txt": f"{spec}>=0\n"})
    found = detection.inspect(tmp_path)
    assert found.services == [service]
    assert found.service_for == {service: [spec]}
    assert f"service: {service} (for {spec})" in found.notes
    name, extra = split_package(spec)
    if extra:  # without the extra, the package says nothing about this service
        tree(tmp_path, {"requirements.txt": f"{name}\n"})
        assert service not in detection.inspect(tmp_path).services


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.detect.alongside], ids=lambda e: e.name)
def test_an_alongside_package_counts_only_beside_one_of_its_companions(tmp_path, entry):
    for name, beside in entry.detect.alongside.items():
        tree(tmp_path, {"requirements.txt": f"{name}\n"})
        assert entry.name not in detection.inspect(tmp_path).services
        for other in beside:
            tree(tmp_path, {"requirements.txt": f"{name}\n{other}\n"})
            assert detection.inspect(tmp_path).service_for == {entry.name: [name]}


def test_the_services_found_are_proposed_in_rank_order(tmp_path):
    lines = [e.detect.packages[0] if e.detect.packages else next(iter(e.detect.alongside)) for e in reversed(RANKED)]
    tree(tmp_path, {"requirements.txt": "\n".join(lines) + "\n"})
    found = detection.inspect(tmp_path)
    assert found.services == [e.name for e in sorted(RANKED, key=lambda e: e.detect.rank)]
    assert list(found.service_for) == found.services


@pytest.mark.parametrize("service, word", WORDS)
def test_an_env_variable_named_with_an_entrys_word_points_at_the_service(service, word):
    values = {f"{word}_HOST": "localhost", f"APP_{word}_URL": "x://u@127.0.0.1:1/y", "OTHER_HOST": "localhost"}
    assert layout.local_hosts(values, {"svc": service}) == {f"{word}_HOST": "svc", f"APP_{word}_URL": "x://u@svc:1/y"}


@pytest.mark.parametrize("service, scheme", WITH_CREDENTIALS)
def test_a_env_url_with_an_entrys_scheme_gives_its_credentials(service, scheme):
    entry = catalog()[service]
    found = fromenv.credentials(entry, "svc", {"SVC_URL": f"{scheme}+driver://someone:secret@localhost:1/things"})
    assert "someone" in found.values() and "secret" in found.values()
    assert fromenv.credentials(entry, "svc", {"SVC_URL": "nosuchscheme://someone:secret@localhost:1/things"}) == {}


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_init_names_a_service_as_its_entry_proposes_once(entry):
    assert choose_services([entry.name], []) == [(entry.detect.propose_as, entry.name)]
    others = [e.name for e in ENTRIES if e.detect.propose_as == entry.detect.propose_as and e is not entry]
    for other in others:  # the name is taken: the second keeps its template's name
        assert choose_services([other, entry.name], [])[1] == (entry.name, entry.name)
