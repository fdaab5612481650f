"""detect/serviceversions.py: the version the project names, else the newest on this machine."""
from __future__ import annotations

from dkenv.detect import serviceversions

COMPOSE = """\
services:
  app:
    build: .
  db:
    image: postgres:15-alpine
  cache:
    image: "docker.io/library/redis:7.2"
"""

GITHUB = """\
jobs:
  test:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:14
"""


def test_the_compose_file_names_it(tmp_path):
    (tmp_path / "docker-compose.yml").write_text(COMPOSE)
    found = serviceversions.choose([tmp_path], "postgres", ["postgres:16"])
    assert found.tag == "15-alpine" and "docker-compose.yml names postgres:15-alpine" in found.source
    assert serviceversions.named([tmp_path], "redis").tag == "7.2"


def test_a_ci_service_container_names_it(tmp_path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "test.yml").write_text(GITHUB)
    assert serviceversions.named([tmp_path], "postgres").tag == "14"
    (tmp_path / ".gitlab-ci.yml").write_text("test:\n  services:\n    - redis:6\n")
    assert serviceversions.named([tmp_path], "redis").tag == "6"


def test_else_the_newest_major_on_this_machine(tmp_path):
    found = serviceversions.choose([tmp_path], "postgres", ["postgres:9.6", "postgres:15", "postgres:13", "postgres:latest"])
    assert found.tag == "15" and "on this machine" in found.source
    assert serviceversions.choose([tmp_path], "postgres", ["postgres:latest"]) is None


def test_a_service_built_from_a_dockerfile_names_its_base(tmp_path):
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "Dockerfile").write_text("# the database\nFROM postgres:16\nADD create.sql /docker-entrypoint-initdb.d\n")
    (tmp_path / "docker-compose.yml").write_text("services:\n  web:\n    build: .\n  web-db:\n    build:\n"
                                                 "      context: ./db\n      dockerfile: Dockerfile\n")
    found = serviceversions.named([tmp_path], "postgres")
    assert found.tag == "16" and found.source == "db/Dockerfile (built by docker-compose.yml) names postgres:16"
    (tmp_path / "docker-compose.yml").write_text("services:\n  x:\n    build: ../elsewhere\n")
    assert serviceversions.named([tmp_path], "postgres") is None  # nothing outside the folder is read


def test_a_multi_stage_build_names_the_image_its_running_stage_is_from(tmp_path):
    """The final stage (through an earlier stage's name and an ARG default) runs, or the
    build's target: a first `FROM node` stage says nothing of the database."""
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "Dockerfile").write_text(
        "ARG PG=16\nFROM node:20 AS tools\nRUN make-sql\nFROM postgres:${PG}-alpine AS base\n"
        "FROM base AS seeded\nCOPY --from=tools /x.sql /docker-entrypoint-initdb.d/\nFROM redis:7 AS cache\n"
        "FROM seeded\n")
    (tmp_path / "compose.yaml").write_text("services:\n  web-db:\n    build: ./db\n")
    found = serviceversions.named([tmp_path], "postgres")
    assert (found.tag, found.source) == ("16-alpine", "db/Dockerfile (built by compose.yaml) names postgres:16-alpine")
    assert serviceversions.named([tmp_path], "node") is None
    (tmp_path / "compose.yaml").write_text("services:\n  cache:\n    build:\n      context: db\n      target: cache\n")
    assert serviceversions.named([tmp_path], "redis").tag == "7"
    assert serviceversions.named([tmp_path], "postgres") is None
    (tmp_path / "db" / "Dockerfile").write_text("ARG PG\nFROM postgres:${PG}\n")  # a build argument: unknown
    (tmp_path / "compose.yaml").write_text("services:\n  web-db:\n    build: ./db\n")
    assert serviceversions.named([tmp_path], "postgres") is None
