"""Services beside the project container: [services.NAME] resolved and the connection
variables they inject (specs.py orders them and builds their ContainerSpecs).

Pure logic: no Docker, no click. The catalog (catalog.py) holds each template's
defaults; docs/services.md describes it and the rules implemented here:

- A service is a *catalog* service (its `template`, or its name when the name is in
  the catalog), a *custom image* service (`image` without a template), or a
  *project-image* service (neither: the project's own image, source mounted, a
  `command` required).
- Connection variables go to the project container and project-image services. For
  each catalog service in file order, its entry's variables are set unless an earlier
  service set them already (so of `db` and `db2`, both postgres, `db` owns
  DATABASE_URL). A "weak" variable (redis's CELERY_BROKER_URL) yields to the same
  variable from any other service, whatever the order: with redis and rabbitmq the
  broker is rabbitmq. Then every catalog service adds NAME_URL, NAME_HOST and
  NAME_PORT (NAME upper-cased, '-' as '_'), which win over the unprefixed ones.
  Variables the user sets in run.env or run.env_file are never injected.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from urllib.parse import quote

from dkenv import imageref
from dkenv.errors import ConfigError, did_you_mean
from dkenv.project.schema import ServiceConfig
from dkenv.services.catalog import CatalogEntry, catalog, entry_for

# a command with any of these runs through `sh -c`; otherwise it is split into words (exec form)
_SHELL_SYNTAX = re.compile(r"[|&;<>()$`\\\n*?]|^\s*[A-Za-z_][A-Za-z0-9_]*=")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

CATALOG, CUSTOM_IMAGE, PROJECT_IMAGE = "catalog", "image", "project"


@dataclass
class ResolvedService:
    """A [services.NAME] with every default filled in."""

    name: str
    kind: str  # CATALOG, CUSTOM_IMAGE or PROJECT_IMAGE
    entry: CatalogEntry | None  # set for CATALOG
    image: str | None  # None for PROJECT_IMAGE: the project's image
    env: dict[str, str]  # the service container's own environment (catalog env + the service's)
    command: list[str] | None  # None: the image's CMD
    healthcheck: str | None
    data_path: str | None  # persisted in data/NAME when set
    config: ServiceConfig


# --- one service ---

def resolve(service: ServiceConfig, fail=None) -> ResolvedService:
    """Fill in the defaults of one service.

    Checked at load (config.py passes `fail`, which locates the message at file:line):
    an unknown template, a project-image service without a command, a version that
    applies to nothing, a bad image reference, a command that cannot be split.
    """
    entry = entry_for(service)
    if service.template is not None and entry is None:
        raise _error(fail, service, "template", f"unknown template {service.template!r}"
                                                f"{did_you_mean(service.template, catalog())}; "
                                                f"the catalog: {', '.join(catalog())}")
    command = service.command if service.command is not None or entry is None else entry.command
    words = _command_words(fail, service, command)
    if entry is not None:
        return ResolvedService(
            name=service.name, kind=CATALOG, entry=entry, image=_image_ref(fail, service, entry),
            env={**entry.env, **service.env}, command=words,
            healthcheck=service.healthcheck or entry.healthcheck,
            data_path=entry.data if service.data and entry.data else None, config=service)
    if service.image is not None:
        return ResolvedService(
            name=service.name, kind=CUSTOM_IMAGE, entry=None, image=_image_ref(fail, service, None),
            env=dict(service.env), command=words, healthcheck=service.healthcheck, data_path=None, config=service)
    if not service.command:
        raise _error(fail, service, None, "no template, no image and no command: name a catalog `template`, "
                                          "an `image`, or give the `command` to run in the project's image")
    if service.version is not None:
        raise _error(fail, service, "version", "applies to a template or an image, and this service has neither")
    return ResolvedService(
        name=service.name, kind=PROJECT_IMAGE, entry=None, image=None, env=dict(service.env),
        command=words, healthcheck=service.healthcheck, data_path=None, config=service)


def _image_ref(fail, service: ServiceConfig, entry: CatalogEntry | None) -> str:
    """`image` as given (plus `version` as its tag when it has none), else the catalog's image."""
    if service.version is not None and not imageref.TAG.match(service.version):
        raise _error(fail, service, "version", f"{service.version!r} is not an image tag (like \"16\" or \"7.2\")")
    if service.image is None:
        return f"{entry.image}:{service.version or entry.tag}"
    bad = imageref.problem(service.image)
    if bad:
        raise _error(fail, service, "image", bad)
    if service.version is None:
        return service.image
    if imageref.has_tag(service.image):
        raise _error(fail, service, "version", f"the image {service.image!r} has a tag already; "
                                               "give the tag in one place")
    return f"{service.image}:{service.version}"


def image_of(service: ServiceConfig) -> str:
    """The service's image, or "" for a project-image service (its image is the project's)."""
    return resolve(service).image or ""


def split_command(command: str | None) -> list[str] | None:
    """Shell words in exec form (signals reach the program), or `sh -c` for shell syntax.
    ValueError for an unbalanced quote."""
    if command is None or not command.strip():
        return None
    if _SHELL_SYNTAX.search(command):
        return ["sh", "-c", command]
    return shlex.split(command)


def _command_words(fail, service: ServiceConfig, command: str | None) -> list[str] | None:
    try:
        return split_command(command)
    except ValueError as e:
        raise _error(fail, service, "command", f"cannot be split into words: {e}") from None


def _error(fail, service: ServiceConfig, key: str | None, message: str) -> ConfigError:
    """The message at its file:line when `fail` (config.Reader.fail) is given."""
    table = f"services.{service.name}"
    if fail is not None:
        return fail(table, key, message)
    return ConfigError(f"dkenv: {f'{table}.{key}' if key else f'[{table}]'}: {message}")


# --- connection variables ---

def entry_variables(entry: CatalogEntry, name: str, env: dict[str, str]) -> dict[str, str]:
    """An entry's connection variables for a service called `name` with environment `env`."""
    context = _template_context(entry, name, env)
    url = entry.url.format_map(context)
    return {key: value.format_map({**context, "url": url}) for key, value in entry.connection.items()}


def prefixed_variables(entry: CatalogEntry, name: str, env: dict[str, str]) -> dict[str, str]:
    """NAME_URL, NAME_HOST, NAME_PORT; none for a name that makes no variable name (e.g. "2db")."""
    prefix = env_prefix(name)
    if prefix is None:
        return {}
    url = entry.url.format_map(_template_context(entry, name, env))
    return {f"{prefix}_URL": url, f"{prefix}_HOST": name, f"{prefix}_PORT": str(entry.ports[0])}


def env_prefix(name: str) -> str | None:
    """"main-db" -> "MAIN_DB", the start of its NAME_URL, NAME_HOST, NAME_PORT; None for a
    name that makes no variable name ("2db")."""
    prefix = name.upper().replace("-", "_")
    return prefix if _ENV_NAME.match(prefix) else None


def injected_names(entry: CatalogEntry, name: str) -> list[str]:
    """The variables a service `name` of this entry can inject (unprefixed, then prefixed)."""
    names = list(entry.connection)
    names += [k for k in prefixed_variables(entry, name, entry.env) if k not in names]
    return names


def _template_context(entry: CatalogEntry, name: str, env: dict[str, str]) -> dict:
    return {"name": name, "port": entry.ports[0], "ports": entry.ports, "env": env,
            "quoted": {k: quote(v, safe="") for k, v in env.items()}}


def connection_env(project) -> dict[str, str]:
    """The variables injected into the project container and project-image services."""
    strong: dict[str, str] = {}
    weak: dict[str, str] = {}
    prefixed: dict[str, str] = {}
    for service in project.config.services.values():
        resolved = resolve(service)
        if resolved.entry is None:
            continue
        entry = resolved.entry
        for key, value in entry_variables(entry, service.name, resolved.env).items():
            (weak if key in entry.weak else strong).setdefault(key, value)
        prefixed.update(prefixed_variables(entry, service.name, resolved.env))
    injected = {**weak, **strong, **prefixed}
    user_keys = _user_env_keys(project)
    return {k: v for k, v in injected.items() if k not in user_keys}


def _user_env_keys(project) -> set[str]:
    """The variables the user sets for the project container: run.env and run.env_file."""
    run = project.config.run
    keys = set(run.env)
    if run.env_file:
        from dkenv.project import envfile

        try:
            keys |= set(envfile.load(project.root / run.env_file))
        except Exception:  # a broken env file is reported where the app's env is built
            pass
    return keys
