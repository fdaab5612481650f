"""The services `dkenv init` proposes and the run.env pointing the app at them, from what
the project says: the dependencies (and whether the app needs what they suggest:
detect/serviceuse.py), the compose file (the catalog images and workers it runs beside the
app, the app's own `environment`), the `.env` (its credentials, its localhost hosts), the
settings writing localhost, the versions and init scripts the project names. Each finding is
said (`echo`) with where it came from; the result is text blocks for `.dkenv.toml`.

Reads files and asks the Engine which images it has (LocalImages: connected once per init;
nothing when there is none).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dkenv.detect import composeservices, initscripts, layout, serviceversions, settingshosts
from dkenv.errors import ConfigError, UsageError, did_you_mean
from dkenv.project import envfile
from dkenv.services import catalog, edit, fromenv


@dataclass
class Proposal:
    blocks: list[str] = field(default_factory=list)  # the [services.NAME] blocks, in order
    env: dict[str, str] = field(default_factory=dict)  # run.env


def propose(root: Path, found, requested: list[str], echo, host_ports=lambda ports: list(ports),
            local_images: LocalImages | None = None) -> Proposal:
    """The services for the project at `root` as `found` (detect/layout.locate) sees it,
    plus the `requested` ones (--service); `host_ports`: container ports -> the host ports
    to publish them on (init's: free ones); `local_images`: the engine's images (init's one
    LocalImages, asked for each service's version)."""
    local_images = local_images or LocalImages()
    app = root / found.workdir if found.workdir else root
    compose = composeservices.read(root, found.workdir)
    for service in compose:
        if service.template and service.template not in found.services:
            echo(f"  service: {service.template} ({service.source} runs it)")
    run_by_compose = {c.template for c in compose if c.template}
    served = _served_by_compose(found.services, run_by_compose)
    for template, by in served.items():
        echo(f"  service: {template} is served by the {' and '.join(by)} the compose file runs")
    kept = [t for t in found.services if t not in served]
    chosen = choose_services(kept + [c.template for c in compose if c.template], requested, first=run_by_compose)
    wanted = {s.strip().lower() for s in requested}
    commented = {name: found.service_commented[template] for name, template in chosen
                 if template in found.service_commented and template not in wanted | run_by_compose}
    for name, template in chosen:
        echo(f"  service {name}: {template}" + (" (commented: not needed to run the app)" if name in commented else ""))
    active = {n: t for n, t in chosen if n not in commented}
    aliases = {c.name: next(n for n, t in chosen if t == c.template) for c in compose if c.template}
    for hardcoded in settingshosts.find(app, active):
        echo(f"  note: {hardcoded.note()}")
        found.notes.append(hardcoded.note())
    values = _env_values(root, found, echo)
    env, where = _compose_env(root, found, active, aliases, echo)
    hosts = _service_hosts(found, values, active, echo)
    env.update(hosts)
    folders = [app, root] if found.workdir else [root]
    # what the app gets first: run.env's values from the compose file, then the env file's (hosts pointed at the services)
    sources = [({k: v for k, v in env.items() if k not in hosts}, where), ({**values, **hosts}, found.env_file or "")]
    blocks = [_service_block(name, template, sources, echo, folders, local_images, commented.get(name))
              for name, template in chosen]
    return Proposal(blocks + _worker_blocks(compose, aliases, dict(chosen), echo, host_ports), env)


def _served_by_compose(detected: list[str], run_by_compose: set[str]) -> dict[str, list[str]]:
    """The detected templates another one the compose file runs stands for, and those (CTFd:
    pymysql suggests mysql, its compose file runs mariadb: mariadb it is)."""
    known = catalog.catalog()
    served = {t: sorted(r for r in run_by_compose if r in known and t in known[r].detect.stands_for) for t in detected}
    return {t: by for t, by in served.items() if by}


def choose_services(detected: list[str], requested: list[str], first: set[str] | frozenset = frozenset()
                    ) -> list[tuple[str, str]]:
    """(service name, catalog template) pairs: the detected ones, then the requested ones,
    each named as its entry's detect.propose_as when no earlier one took that name; the
    templates in `first` (those the compose file runs) name theirs before the others.

    Requested names must be in the catalog (UsageError otherwise, with a hint).
    """
    known = catalog.catalog()
    templates: list[str] = list(dict.fromkeys(detected))
    for raw in requested:
        template = raw.strip().lower()
        if template not in known:
            raise UsageError(f"dkenv: --service {raw!r}: not in the catalog{did_you_mean(template, known)}; "
                             f"available: {', '.join(sorted(known))}")
        if template not in templates:
            templates.append(template)
    names: dict[str, str] = {}
    for template in sorted(templates, key=lambda t: t not in first):  # stable: the order kept otherwise
        wanted = known[template].detect.propose_as  # "db" for the first database
        names[template] = wanted if wanted not in names.values() else template
    return [(names[t], t) for t in templates]


class LocalImages:
    """The tags of a repository the engine already has, for one `dkenv init`: the engine is
    connected at the first question and kept; none reachable (no engine, no SDK, a slow or
    refusing one): no images, and no second try, so that init waits for it once at most
    (init works without an engine)."""

    def __init__(self) -> None:
        self._engine = None
        self._tried = False

    def __call__(self, repository: str) -> list[str]:
        if not self._tried:
            self._tried = True
            try:
                from dkenv.engine import engine

                self._engine = engine.connect(timeout=10)
            except Exception:  # init does not need it
                self._engine = None
        if self._engine is None:
            return []
        try:
            return self._engine.image_references(repository)
        except Exception:  # it stopped answering: not asked again
            self._engine = None
            return []


def _env_values(root: Path, found, echo) -> dict[str, str]:
    """The variables of the proposed run.env_file; one it cannot read is not proposed."""
    if not found.env_file:
        return {}
    try:
        return envfile.load(root / found.env_file)
    except (ConfigError, OSError, UnicodeDecodeError) as e:
        echo(f"  {found.env_file}: not used as run.env_file ({e})")
        found.env_file = ""
        return {}


def _worker_blocks(compose: list, aliases: dict[str, str], services: dict[str, str], echo,
                   host_ports) -> list[str]:
    """A project-image [services.NAME] block for each worker of the compose file; `host_ports`
    gives the host ports to publish its container ports on (free ones)."""
    blocks, taken = [], set(services) | set(catalog.catalog())
    for worker in (c for c in compose if c.command):
        name = worker.name if worker.name not in taken else f"{worker.name}-worker"
        taken.add(name)
        depends = [aliases[d] for d in worker.depends_on if d in aliases]
        ports = [str(p) if p == h else f"{h}:{p}" for p, h in zip(worker.ports, host_ports(worker.ports))]
        echo(f"  service {name}: the project image running `{worker.command}` ({worker.source})")
        blocks.append(edit.worker_toml(name, worker.command, depends, worker.source, ports))
    return blocks


def _compose_env(root: Path, found, services: dict[str, str], aliases: dict[str, str],
                 echo) -> tuple[dict[str, str], str]:
    """run.env from the environment the project's compose file gives the app (detect/layout.py)."""
    env, where, dropped = layout.compose_environment(root, found.workdir, services, aliases)
    if env:
        echo(f"  run.env: {', '.join(env)} from {where}")
    if dropped:
        echo(f"  run.env: not {', '.join(dropped)} of {where} (a ${{VAR}} of your shell, a host no service stands for, or a "
             f"folder its volumes mount)")
    return env, where if env else ""


def _service_hosts(found, values: dict[str, str], services: dict[str, str], echo) -> dict[str, str]:
    """run.env values pointing the app at the services where run.env_file names localhost."""
    env = layout.local_hosts(values, services)
    for key, value in env.items():
        echo(f"  {found.env_file}: {key}={values[key]} is the container itself inside it; run.env sets {value!r}")
    return env


def _service_block(name: str, template: str, sources: list[tuple[dict[str, str], str]], echo,
                   folders: list[Path], local_images: LocalImages, why_commented: str | None = None) -> str:
    """The [services.NAME] block, with the credentials the app's environment (`sources`, first
    wins: run.env, then run.env_file's values) and the service's own compose environment
    expect (services/fromenv.py), each said with the file it came from; the version and init
    scripts the project names; commented out, with why, for a service the app does not need
    (detect/serviceuse.py)."""
    entry = catalog.catalog()[template]
    compose_env, compose = serviceversions.environment(folders, entry.image)
    env: dict[str, str] = {}
    named: list[str] = []
    for values, where in [*sources, (compose_env, compose)]:
        more = {k: v for k, v in fromenv.credentials(entry, name, values).items() if k not in env}
        if more:
            echo(f"  service {name}: {', '.join(more)} as {where} expects (written in .dkenv.toml, which is meant "
                 "to be committed: use development credentials)")
            named.append(where)
            env.update(more)
    source = " and ".join(dict.fromkeys(named)) or next((w for _, w in sources if w), "")
    version = serviceversions.choose(folders, entry.image, local_images(entry.image))
    if version:
        echo(f"  service {name}: version {version.tag} ({version.source})")
    scripts = initscripts.find(folders, entry.image, entry.init_dir) if entry.init_dir else None
    if scripts:
        echo(f"  service {name}: init {', '.join(scripts.paths)} ({scripts.source})")
    block = edit.service_toml(name, template, env, source, version=version, init=scripts)
    return edit.commented_out(block, why_commented) if why_commented else block
