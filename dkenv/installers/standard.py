"""The standard tables of pyproject.toml that several installers share: PEP 621
`[project.optional-dependencies]` (extras) and PEP 735 `[dependency-groups]`.

`requirement_lines` turns dependencies, chosen extras and chosen groups into the lines of
a requirements file: `{include-group = "..."}` entries are resolved, and the project's
references to itself (`myproj[test]` in an extra or a group, a common way to reuse an
extra) are replaced by the extras they name, since the project itself is not installed
in the image (its source is mounted at run time, not copied in).
"""
from __future__ import annotations

from dkenv.manifests.dependencies import normalize
from dkenv.errors import ConfigError

OPTIONAL = "pyproject.toml [project.optional-dependencies]"
GROUPS = "pyproject.toml [dependency-groups]"


def extra_names(data: dict) -> list[str]:
    table = data.get("project", {}).get("optional-dependencies", {})
    return list(table) if isinstance(table, dict) else []


def group_names(data: dict) -> list[str]:
    table = data.get("dependency-groups", {})
    return list(table) if isinstance(table, dict) else []


def requirement_lines(data: dict, extras: list[str], groups: list[str]) -> list[str]:
    """[project] dependencies + the chosen extras + the chosen groups, in that order, once each."""
    project = data.get("project", {})
    lines = Lines(normalize(str(project.get("name", ""))), _by_name(project.get("optional-dependencies")))
    lines.add_all(project.get("dependencies", []), None)
    for extra in extras:
        lines.add_extra(extra, None)
    tables = _by_name(data.get("dependency-groups"))
    for group in groups:
        for spec in _group(tables, normalize(group), ()):
            lines.add(spec, None)
    return lines.out


class Lines:
    """Requirement lines with the project's self references expanded into its extras."""

    def __init__(self, project: str, optional: dict[str, list]):
        self.project, self.optional = project, optional
        self.out: list[str] = []
        self.unconditional: set[tuple] = set()  # the requirements already there without a marker
        self.expanding: set[str] = set()  # extras being expanded (an extra may name itself)

    def add_all(self, specs, marker: str | None) -> None:
        for spec in specs if isinstance(specs, list) else []:
            if isinstance(spec, str):
                self.add(spec, marker)

    def add(self, spec: str, marker: str | None) -> None:
        """`spec` as written, or with its marker and `marker` (a self reference's) combined."""
        from packaging.markers import Marker

        requirement = _requirement(spec)
        own = str(requirement.marker) if requirement.marker else None
        both = f"({own}) and ({marker})" if own and marker else own or marker
        if self.project and normalize(requirement.name) == self.project:
            for extra in sorted(requirement.extras):
                self.add_extra(extra, both)
            return
        key = (normalize(requirement.name), frozenset(map(normalize, requirement.extras)),
               str(requirement.specifier), requirement.url)
        if marker:
            requirement.marker = Marker(both)
        line = str(requirement) if marker else spec.strip()
        if line in self.out or key in self.unconditional:  # there already, or unconditionally
            return
        self.out.append(line)
        if not both:
            self.unconditional.add(key)

    def add_extra(self, extra: str, marker: str | None) -> None:
        key = normalize(extra.strip())
        if key in self.expanding or key not in self.optional:
            return  # a cycle, or an extra the project does not declare (pip ignores those too)
        self.expanding.add(key)
        self.add_all(self.optional[key], marker)
        self.expanding.discard(key)


def _group(tables: dict[str, list], name: str, chain: tuple) -> list[str]:
    """A dependency group's requirement strings, its {include-group} entries resolved."""
    if name in chain:
        raise ConfigError("dkenv: pyproject.toml [dependency-groups]: the groups include each other: "
                          + " -> ".join([*chain, name]))
    if name not in tables:
        by = f"{chain[-1]!r} includes {name!r}" if chain else f"no group {name!r}"
        raise ConfigError(f"dkenv: pyproject.toml [dependency-groups]: {by}, which is not a group")
    specs: list[str] = []
    for entry in tables[name] if isinstance(tables[name], list) else []:
        if isinstance(entry, str):
            specs.append(entry)
        elif isinstance(entry, dict) and isinstance(entry.get("include-group"), str):
            specs += _group(tables, normalize(entry["include-group"]), (*chain, name))
    return specs


def _by_name(table) -> dict[str, list]:
    return {normalize(k): v for k, v in table.items()} if isinstance(table, dict) else {}


def _requirement(spec: str):
    """`spec` read by packaging; ConfigError when it is not a PEP 508 requirement."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return Requirement(spec)
    except InvalidRequirement as e:
        raise ConfigError(f"dkenv: pyproject.toml: {spec.strip()!r} is not a valid requirement "
                          f"({str(e).splitlines()[0]})") from None
