"""services/fromenv: the service credentials a project's .env expects."""
from __future__ import annotations

from dkenv.services.catalog import catalog
from dkenv.services.fromenv import credentials, from_url

POSTGRES = catalog()["postgres"]


def test_a_database_url_on_localhost_gives_its_user_password_and_database():
    values = {"DATABASE_URL": "postgres://shop:s%40cret@localhost:5432/shopdb"}
    assert credentials(POSTGRES, "db", values) == {"POSTGRES_USER": "shop", "POSTGRES_PASSWORD": "s@cret",
                                                   "POSTGRES_DB": "shopdb"}


def test_other_spellings_of_the_scheme_and_the_service_name_as_host():
    assert credentials(POSTGRES, "db", {"DATABASE_URL": "postgresql+psycopg://u:p@db/x"}) == {
        "POSTGRES_USER": "u", "POSTGRES_PASSWORD": "p", "POSTGRES_DB": "x"}
    assert credentials(POSTGRES, "main-db", {"MAIN_DB_URL": "postgis://u:p@127.0.0.1/x"})["POSTGRES_DB"] == "x"


def test_the_images_own_variables_are_copied_and_the_url_wins():
    values = {"POSTGRES_USER": "a", "POSTGRES_PASSWORD": "b", "PGDATA": "/somewhere",
              "DATABASE_URL": "postgres://c:d@localhost/e"}
    assert credentials(POSTGRES, "db", values) == {"POSTGRES_USER": "c", "POSTGRES_PASSWORD": "d",
                                                   "POSTGRES_DB": "e"}
    assert credentials(POSTGRES, "db", {"POSTGRES_PASSWORD": "b", "PGDATA": "/x"}) == {"POSTGRES_PASSWORD": "b"}


def test_nothing_from_a_remote_host_another_kind_of_url_or_defaults():
    assert credentials(POSTGRES, "db", {"DATABASE_URL": "postgres://u:p@prod.example.com/x"}) == {}
    assert credentials(POSTGRES, "db", {"DATABASE_URL": "mysql://u:p@localhost/x"}) == {}
    assert credentials(POSTGRES, "db", {"DATABASE_URL": "sqlite:///db.sqlite3"}) == {}
    assert credentials(POSTGRES, "db", {"DATABASE_URL": "postgres://postgres:postgres@localhost/app"}) == {}
    assert credentials(POSTGRES, "db", {"DATABASE_URL": "http://[::1"}) == {}  # not a URL


def test_a_url_without_a_password_takes_only_what_it_has():
    assert credentials(POSTGRES, "db", {"DATABASE_URL": "postgres://localhost/shop"}) == {"POSTGRES_DB": "shop"}


def test_mysql_and_rabbitmq_templates_read_back_too():
    assert credentials(catalog()["mysql"], "db", {"DATABASE_URL": "mysql2://u:p@localhost:3306/x"}) == {
        "MYSQL_USER": "u", "MYSQL_PASSWORD": "p", "MYSQL_DATABASE": "x"}
    rabbit = catalog()["rabbitmq"]
    found = from_url(rabbit.url, "amqp://guest2:pw@localhost:5672/vh", "rabbitmq")
    assert found == {"RABBITMQ_DEFAULT_USER": "guest2", "RABBITMQ_DEFAULT_PASS": "pw", "RABBITMQ_DEFAULT_VHOST": "vh"}
