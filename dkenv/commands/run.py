"""`dkenv run`: run.command in the foreground."""
from __future__ import annotations

from dkenv.commands import exec as exec_command


def run(opts) -> int:
    return exec_command.run_command(opts)
