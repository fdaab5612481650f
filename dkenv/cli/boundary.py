"""The CLI's side of the single error boundary (dkenv/boundary.py): click's own exceptions
(usage errors, --help and --version's exit, Abort) turned into their message and code;
everything else is the core's."""
from __future__ import annotations

from dkenv import boundary
from dkenv.cli.group import cli, click


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error ends here as one message and an exit code."""
    def call() -> int:
        try:
            code = cli.main(args=argv, prog_name="dkenv", standalone_mode=False)
        except click.exceptions.Exit as e:
            return e.exit_code
        except click.ClickException as e:
            e.show()
            return e.exit_code
        except click.exceptions.Abort:
            return boundary.interrupted()
        return code if isinstance(code, int) else 0

    return boundary.run(call)
