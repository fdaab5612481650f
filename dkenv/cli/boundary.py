"""The single error boundary: FatalError -> its message and exit code (1 runtime,
2 usage/config), Ctrl-C -> 130, a closed stdout -> 1, anything unexpected -> 3 with the
traceback written to a log file whose path is printed."""
from __future__ import annotations

from dkenv.cli.group import cli, click
from dkenv.errors import FatalError


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error ends here as one message and an exit code."""
    try:
        code = cli.main(args=argv, prog_name="dkenv", standalone_mode=False)
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("", err=True)
        return 130
    except FatalError as e:
        click.echo(str(e), err=True)
        return e.exit_code
    except BrokenPipeError:
        return 1
    except Exception:  # an unexpected error: say where the traceback went
        from dkenv import crashlog

        click.echo(f"dkenv: unexpected error, please report it; details in {crashlog.write()}", err=True)
        return 3
    return code if isinstance(code, int) else 0

