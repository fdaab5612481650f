"""detect/initscripts.py: the init scripts a project's compose file gives a database service,
from its build Dockerfile's ADD/COPY into /docker-entrypoint-initdb.d and from its volumes."""
from __future__ import annotations

import os

from dkenv.detect import initscripts
from tests.unit.conftest import tree

INIT = "/docker-entrypoint-initdb.d"

TORTOISE = {  # testdriven.io's FastAPI + Tortoise layout: the database built from project/db
    "docker-compose.yml": "services:\n  web:\n    build: ./project\n  web-db:\n    build:\n"
                          "      context: ./project/db\n      dockerfile: Dockerfile\n",
    "project/db/Dockerfile": "# pull official base image\nFROM postgres:16\n\n# run create.sql on init\n"
                             "ADD create.sql /docker-entrypoint-initdb.d\n",
    "project/db/create.sql": "CREATE DATABASE web_dev;\nCREATE DATABASE web_test;\n",
}


def test_a_build_dockerfile_adding_a_script(tmp_path):
    tree(tmp_path, TORTOISE)
    found = initscripts.find([tmp_path], "postgres", INIT)
    assert found.paths == ["project/db/create.sql"]
    assert found.source == "project/db/Dockerfile (built by docker-compose.yml, services.web-db)"


def test_copy_forms_a_folder_a_glob_json_flags_continuations_and_a_renamed_file(tmp_path):
    tree(tmp_path, {
        "docker-compose.yml": "services:\n  db:\n    build: db\n",
        "db/Dockerfile": "FROM node:20 AS tools\nCOPY x.sql /docker-entrypoint-initdb.d/\n"
                         "FROM docker.io/library/mysql:8\n"
                         "COPY --chown=mysql:mysql initdb/ /docker-entrypoint-initdb.d/\n"
                         "COPY [\"seed.sql\", \"/docker-entrypoint-initdb.d/20-seed.sql\"]\n"
                         "COPY *.sh \\\n    /docker-entrypoint-initdb.d/\n"
                         "COPY --from=tools /x.sql /docker-entrypoint-initdb.d/\n"
                         "COPY conf.cnf /etc/mysql/conf.d/\n"
                         "ADD https://example.com/a.sql /docker-entrypoint-initdb.d/\n"
                         "COPY deep.sql /docker-entrypoint-initdb.d/sub/\n",
        "db/initdb/01.sql": "", "db/seed.sql": "", "db/b.sh": "", "db/a.sh": "", "db/x.sql": "",
        "db/conf.cnf": "", "db/deep.sql": ""})
    found = initscripts.find([tmp_path], "mysql", INIT)
    assert found.paths == ["db/initdb/", "db/seed.sql", "db/a.sh", "db/b.sh"]  # not the first stage's x.sql


def test_volumes_mounting_into_the_init_dir_short_and_long(tmp_path):
    tree(tmp_path, {
        "docker-compose.yml": "services:\n  db:\n    image: postgres:15\n    volumes:\n"
                              "      - pgdata:/var/lib/postgresql/data\n"
                              "      - ./db/init.sql:/docker-entrypoint-initdb.d/init.sql:ro\n"
                              "      - type: bind\n        source: ./db/initdb.d\n        target: /docker-entrypoint-initdb.d/more\n"
                              "      - type: bind\n        source: ./db/seed\n        target: /docker-entrypoint-initdb.d\n"
                              "      - ${INIT_DIR}:/docker-entrypoint-initdb.d\n"
                              "volumes:\n  pgdata:\n",
        "db/init.sql": "", "db/seed/10.sql": "", "db/initdb.d/x.sql": ""})
    found = initscripts.find([tmp_path], "postgres", INIT)
    assert found.paths == ["db/init.sql", "db/seed/"]  # initdb.d: a subfolder of the init dir, not run
    assert found.source == "docker-compose.yml (services.db.volumes)"


def test_a_dockerfile_and_volumes_together_and_another_image_ignored(tmp_path):
    tree(tmp_path, {
        "compose.yaml": "services:\n  cache:\n    image: redis:7\n    volumes: ['./r.sql:/docker-entrypoint-initdb.d/r.sql']\n"
                        "  db:\n    build: ./db\n    volumes: ['./extra.sql:/docker-entrypoint-initdb.d/extra.sql']\n",
        "db/Dockerfile": "FROM postgres:16\nCOPY create.sql /docker-entrypoint-initdb.d/\n",
        "db/create.sql": "", "extra.sql": "", "r.sql": ""})
    found = initscripts.find([tmp_path], "postgres", INIT)
    assert found.paths == ["db/create.sql", "extra.sql"]
    assert found.source == "db/Dockerfile (built by compose.yaml, services.db) and compose.yaml (services.db.volumes)"
    assert initscripts.find([tmp_path], "mongo", INIT) is None


def test_only_files_inside_the_project_outside_data_and_dkenv_once_by_name(tmp_path):
    root = tmp_path / "p"
    tree(tmp_path, {"outside.sql": "", "p/data/x.sql": "", "p/.dkenv/y.sql": "", "p/a/init.sql": "",
                    "p/b/init.sql": "", "p/linked/ok.sql": "", "p/missing-not.sql": ""})
    (root / "linked" / "evil.sql").symlink_to(tmp_path / "outside.sql")
    tree(root, {"docker-compose.yml": "services:\n  db:\n    image: postgres\n    volumes:\n"
                                      "      - ../outside.sql:/docker-entrypoint-initdb.d/o.sql\n"
                                      "      - /etc/passwd:/docker-entrypoint-initdb.d/p.sql\n"
                                      "      - ./data/x.sql:/docker-entrypoint-initdb.d/x.sql\n"
                                      "      - ./.dkenv/y.sql:/docker-entrypoint-initdb.d/y.sql\n"
                                      "      - ./gone.sql:/docker-entrypoint-initdb.d/gone.sql\n"
                                      "      - ./linked:/docker-entrypoint-initdb.d\n"
                                      "      - ./a/init.sql:/docker-entrypoint-initdb.d/init.sql\n"
                                      "      - ./b/init.sql:/docker-entrypoint-initdb.d/init.sql\n"})
    assert initscripts.find([root], "postgres", INIT).paths == ["a/init.sql"]


def test_an_app_folder_compose_file_gives_paths_relative_to_the_root(tmp_path):
    tree(tmp_path, {"app/docker-compose.yml": "services:\n  db:\n    image: postgres:15\n    volumes:\n"
                                              "      - ./sql/init.sql:/docker-entrypoint-initdb.d/init.sql\n",
                    "app/sql/init.sql": ""})
    found = initscripts.find([tmp_path / "app", tmp_path], "postgres", INIT)
    assert found.paths == ["app/sql/init.sql"]


def test_nothing_to_find(tmp_path):
    assert initscripts.find([tmp_path], "postgres", INIT) is None
    tree(tmp_path, {"docker-compose.yml": "services:\n  db:\n    image: postgres:15\n",
                    "Dockerfile": "FROM postgres:16\nCOPY a.sql /docker-entrypoint-initdb.d/\n"})
    assert initscripts.find([tmp_path], "postgres", INIT) is None
    (tmp_path / "docker-compose.yml").write_text("services: [broken\n")
    assert initscripts.find([tmp_path], "postgres", INIT) is None
    assert os.listdir(tmp_path)  # nothing written, nothing removed


def test_a_multi_stage_build_the_running_stage_decides(tmp_path):
    """The final stage FROM an earlier one runs postgres (through the stage name and an ARG
    default): its own COPY counts, an earlier stage's does not; a build target picks another."""
    tree(tmp_path, {
        "compose.yaml": "services:\n  db:\n    build:\n      context: db\n      dockerfile: db.Dockerfile\n",
        "db/db.Dockerfile": "ARG PG=16\nFROM postgres:${PG} AS base\nCOPY base.sql /docker-entrypoint-initdb.d/\n"
                            "FROM base AS seeded\nCOPY seed.sql \\\n  # the seed\n  /docker-entrypoint-initdb.d/\n"
                            "FROM seeded AS test\nCOPY test.sql /docker-entrypoint-initdb.d/\n"
                            "FROM seeded\nCOPY final.sql /docker-entrypoint-initdb.d/\n",
        "db/base.sql": "", "db/seed.sql": "", "db/test.sql": "", "db/final.sql": ""})
    found = initscripts.find([tmp_path], "postgres", INIT)
    assert found.paths == ["db/final.sql"]
    assert found.source == "db/db.Dockerfile (built by compose.yaml, services.db)"
    tree(tmp_path, {"compose.yaml": "services:\n  db:\n    build:\n      context: db\n"
                                    "      dockerfile: db.Dockerfile\n      target: seeded\n"})
    assert initscripts.find([tmp_path], "postgres", INIT).paths == ["db/seed.sql"]
    # a final stage on an image it cannot know is no postgres service
    tree(tmp_path, {"compose.yaml": "services:\n  db:\n    build: db\n",
                    "db/Dockerfile": "ARG IMAGE\nFROM ${IMAGE}\nCOPY final.sql /docker-entrypoint-initdb.d/\n"})
    assert initscripts.find([tmp_path], "postgres", INIT) is None
