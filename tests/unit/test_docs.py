"""Docs grow with the code: every command, option and config key is documented."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dkenv.cli import cli
from dkenv.project import config

DOCS = Path(__file__).resolve().parents[2] / "docs"
COMMANDS_MD = (DOCS / "commands.md").read_text(encoding="utf-8")
CONFIG_MD = (DOCS / "config.md").read_text(encoding="utf-8")
SECTIONS = set(re.findall(r"^## (.+)$", COMMANDS_MD, re.M))


def section(name: str) -> str:
    """The text of the `## ...` section of commands.md that names the command."""
    for match in re.finditer(r"^## (.+)$", COMMANDS_MD, re.M):
        if name in re.split(r"\s*/\s*", match.group(1)):
            end = COMMANDS_MD.find("\n## ", match.end())
            return COMMANDS_MD[match.end():end if end != -1 else None]
    raise AssertionError(f"docs/commands.md has no section for `dkenv {name}`")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_and_option_is_in_commands_md(name):
    text = section(name)
    for param in cli.commands[name].params:
        if getattr(param, "hidden", False) or param.param_type_name != "option":
            continue
        flags = [f for f in param.opts + param.secondary_opts if f.startswith("--") or len(f) == 2]
        assert any(f"`{flag}" in text or f" {flag}" in text for flag in flags), \
            f"dkenv {name}: option {param.opts} is not in its docs/commands.md section"


@pytest.mark.parametrize("table, key", [(t, k) for t, keys in config.SCHEMA.items() for k in keys]
                         + [("services.NAME", k) for k in config.SERVICE_SCHEMA])
def test_every_config_key_is_in_config_md(table, key):
    start = CONFIG_MD.find(f"## `[{table}]`")
    assert start != -1, f"docs/config.md has no section for [{table}]"
    end = CONFIG_MD.find("\n## ", start + 1)
    assert f"| `{key}` |" in CONFIG_MD[start:end if end != -1 else None], f"[{table}] {key} is not in its table"
