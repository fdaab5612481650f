"""The credentials a project's `.env` expects of a catalog service. Pure.

A cloned backend's `.env` often says how it reaches its database on the developer's
machine: `DATABASE_URL=postgres://shop:secret@localhost:5432/shop`, or the image's own
variables (`POSTGRES_USER=shop`). The catalog's defaults (postgres/postgres, database
`app`) would make that app fail to log in, so `dkenv init` gives the service the same
user, password and database: read back from a URL through the entry's `url` template
(its `{quoted[KEY]}` parts; the URL's scheme is the template's or one of the entry's
`detect.schemes`), and copied from the entry's own keys where the `.env` sets
them. Host and port are not taken: in the container the service is NAME:PORT.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

from dkenv.services.catalog import CatalogEntry
from dkenv.services.resolve import env_prefix

TOKEN = re.compile(r"^dkenvkey(\d+)$")
ANY_KEY = re.compile(r"\{(?:quoted|env)\[(\w+)\]\}")
LOCAL = ("localhost", "127.0.0.1", "::1", "0.0.0.0")


def credentials(entry: CatalogEntry, name: str, values: dict[str, str]) -> dict[str, str]:
    """The service env (a subset of the entry's env keys) that matches `values` (the .env)."""
    keys = credential_keys(entry)
    found = {key: values[key] for key in entry.env if key in keys and values.get(key, "").strip()}
    for variable in url_variables(entry, name):
        if variable in values:
            found.update(from_url(entry.url, values[variable], name, entry.detect.schemes))
    return {key: value for key, value in found.items() if value != entry.env.get(key)}


def credential_keys(entry: CatalogEntry) -> set[str]:
    """The entry's env keys its URL and connection variables are made of."""
    texts = [entry.url, *entry.connection.values()]
    return {key for text in texts for key in ANY_KEY.findall(text) if key in entry.env}


def url_variables(entry: CatalogEntry, name: str) -> list[str]:
    """The variables that carry the entry's URL: DATABASE_URL, and NAME_URL."""
    own = [key for key, template in entry.connection.items() if template == "{url}"]
    prefix = env_prefix(name)
    return [*own, f"{prefix}_URL"] if prefix else own


def from_url(template: str, value: str, name: str, schemes: Sequence[str] = ()) -> dict[str, str]:
    """{KEY: part} for the parts of `value` that are one placeholder in `template`, when
    `value` is a URL of the template's kind (its scheme, or one of `schemes`: the entry's
    detect.schemes, postgresql for postgres) pointing at this machine or at NAME."""
    keys: list[str] = []

    def token(m: re.Match) -> str:  # urlsplit reads "[" in a host as IPv6: a plain word instead
        keys.append(m.group(1))
        return f"dkenvkey{len(keys) - 1}"

    try:
        want = urlsplit(ANY_KEY.sub(token, template.replace("{name}:{port}", "host")))
        got = urlsplit(value.strip())
        host = got.hostname
    except ValueError:
        return {}
    scheme = got.scheme.split("+")[0].lower()
    if scheme not in (want.scheme, *schemes) or host not in (*LOCAL, name):
        return {}
    found = {}
    for pattern, part in ((want.username, got.username), (want.password, got.password),
                          (want.path.lstrip("/"), got.path.lstrip("/"))):
        m = TOKEN.match(pattern or "")
        if m and part:
            found[keys[int(m.group(1))]] = unquote(part)
    return found
