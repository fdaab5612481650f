"""dkenv/project/initscripts.py and `[services.NAME] init`: the scripts a database image runs on
its first initialisation, judged after resolving (checked at load, file:line, exit 2) and
mounted read-only in the catalog entry's init_dir (services/specs.py)."""
from __future__ import annotations

import os

import pytest

from dkenv.engine.spec import Mount
from dkenv.errors import ConfigError
from dkenv.project import initscripts
from dkenv.services import catalog, specs
from tests.unit.conftest import HEAD, config_error, make_app_spec, make_config_project, specs_by_role, tree

INIT_DIR = "/docker-entrypoint-initdb.d"


def db(init: str, template: str = "postgres") -> str:
    return f'[services.db]\ntemplate = "{template}"\ninit = {init}\n'


def init_mounts(spec) -> list[Mount]:
    return [m for m in spec.mounts if m.target.startswith(INIT_DIR)]


def test_the_databases_of_the_catalog_have_an_init_dir_and_the_others_none():
    having = {name for name, entry in catalog.catalog().items() if entry.init_dir}
    assert having == {"postgres", "mysql", "mariadb", "mongodb"}
    assert {catalog.catalog()[name].init_dir for name in having} == {INIT_DIR}


def test_a_file_is_mounted_read_only_by_its_name(tmp_path):
    tree(tmp_path, {"db/create.sql": "CREATE DATABASE web_test;\n"})
    project = make_config_project(tmp_path, db('["db/create.sql"]'))
    real = os.path.realpath(tmp_path / "db/create.sql")
    assert init_mounts(specs_by_role(project)["db"]) == [Mount(real, f"{INIT_DIR}/create.sql", read_only=True)]


def test_a_folders_files_are_mounted_by_their_names_without_subfolders_or_hidden_files(tmp_path):
    tree(tmp_path, {"db/initdb.d/02-data.sql": "", "db/initdb.d/01-schema.sh": "", "db/initdb.d/.gitkeep": "",
                    "db/initdb.d/old/x.sql": "", "extra.sql": ""})
    project = make_config_project(tmp_path, db('["db/initdb.d/", "extra.sql"]'))
    targets = [m.target for m in init_mounts(specs_by_role(project)["db"])]
    assert targets == [f"{INIT_DIR}/01-schema.sh", f"{INIT_DIR}/02-data.sql", f"{INIT_DIR}/extra.sql"]


def test_a_link_inside_the_project_is_mounted_as_the_file_it_names(tmp_path):
    tree(tmp_path, {"sql/v3.sql": ""})
    (tmp_path / "db").mkdir()
    (tmp_path / "db/latest.sql").symlink_to("../sql/v3.sql")
    project = make_config_project(tmp_path, db('["db//latest.sql"]', "mysql"))
    assert init_mounts(specs_by_role(project)["db"]) == [
        Mount(os.path.realpath(tmp_path / "sql/v3.sql"), f"{INIT_DIR}/latest.sql", read_only=True)]


def test_mysql_mariadb_and_mongodb_take_init_too(tmp_path):
    tree(tmp_path, {"init.sql": ""})
    for template in ("mysql", "mariadb", "mongodb"):
        project = make_config_project(tmp_path, db('["init.sql"]', template))
        assert [m.target for m in init_mounts(specs_by_role(project)["db"])] == [f"{INIT_DIR}/init.sql"]


def test_no_init_no_mount_and_the_hash_as_before(tmp_path):
    tree(tmp_path, {"init.sql": ""})
    plain = specs_by_role(make_config_project(tmp_path, '[services.db]\ntemplate = "postgres"\n'))["db"]
    assert init_mounts(plain) == []
    assert plain.config_hash() == specs_by_role(make_config_project(tmp_path, db("[]")))["db"].config_hash()


def test_changing_init_changes_the_hash_so_the_service_is_recreated(tmp_path):
    tree(tmp_path, {"a.sql": "", "b.sql": "", "d/x.sql": ""})
    hashes = {init: specs_by_role(make_config_project(tmp_path, db(init)))["db"].config_hash()
              for init in ("[]", '["a.sql"]', '["a.sql", "b.sql"]', '["d"]')}
    assert len(set(hashes.values())) == 4
    tree(tmp_path, {"d/y.sql": ""})  # a file added to a listed folder is a new mount
    assert specs_by_role(make_config_project(tmp_path, db('["d"]')))["db"].config_hash() != hashes['["d"]']


@pytest.mark.parametrize("body, fragment", [
    (db('["../outside.sql"]'), "is outside the project (it resolves to"),
    (db('["/etc/passwd"]'), "is absolute"),
    (db('["."]'), "is the project itself"),
    (db('["db/../../outside.sql"]'), "is outside the project"),
    (db('["data/db/x.sql"]'), "is in data/, the services' data folder"),
    (db('["./.dkenv/x.sql"]'), "is in .dkenv/, dkenv's own folder"),
    (db('["missing.sql"]'), "'missing.sql' not found in"),
    (db('[""]'), "is not a path"),
    (db('["a/x.sql", "b/x.sql"]'), "two scripts named 'x.sql'"),
    ('[services.redis]\ninit = ["a/x.sql"]\n', "the catalog's redis runs none"),
    ('[services.cache]\nimage = "postgres:16"\ninit = ["a/x.sql"]\n', "it is not a catalog service"),
])
def test_what_init_may_not_name_is_a_config_error_at_its_line(tmp_path, body, fragment):
    tree(tmp_path, {"a/x.sql": "", "b/x.sql": "", "data/db/x.sql": "", ".dkenv/x.sql": "", "../outside.sql": ""})
    message = config_error(tmp_path, body)
    line = (HEAD + body).splitlines().index(next(x for x in body.splitlines() if x.startswith("init"))) + 1
    assert f"{tmp_path / '.dkenv.toml'}:{line}: services." in message and ".init: " in message
    assert fragment in message


def test_a_link_leading_outside_is_judged_where_it_leads(tmp_path):
    tree(tmp_path, {"../secret.sql": "", "db/ok.sql": ""})
    (tmp_path / "db/evil.sql").symlink_to(tmp_path.parent / "secret.sql")
    assert "'db/evil.sql' is outside the project" in config_error(tmp_path, db('["db/evil.sql"]'))
    message = config_error(tmp_path, db('["db"]'))  # inside a listed folder too
    assert "'db' (db/evil.sql in it) is outside the project" in message


def test_a_listed_folder_linked_into_data_is_refused(tmp_path):
    tree(tmp_path, {"data/db/base/1": ""})
    (tmp_path / "initdb").symlink_to("data/db")
    assert "is in data/" in config_error(tmp_path, db('["initdb"]'))


def test_the_message_names_the_services_that_take_init(tmp_path):
    message = config_error(tmp_path, '[services.redis]\ninit = ["x.sql"]\n')
    assert "(postgres, mysql, mariadb, mongodb)" in message


def test_a_typo_of_the_key_gets_did_you_mean(tmp_path):
    assert 'did you mean "init"?' in config_error(tmp_path, '[services.db]\ntemplate = "postgres"\ninti = []\n')


def test_a_script_gone_after_load_is_a_config_error_at_up(tmp_path):
    tree(tmp_path, {"init.sql": ""})
    project = make_config_project(tmp_path, db('["init.sql"]'))
    (tmp_path / "init.sql").unlink()
    with pytest.raises(ConfigError) as info:
        specs.service_specs(project, make_app_spec(project))
    assert info.value.exit_code == 2 and "services.db.init: 'init.sql' not found" in str(info.value)

