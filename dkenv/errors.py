"""The errors dkenv reports to the user: a message and an exit code, mapped in cli.py."""


class FatalError(Exception):
    """A runtime failure: the message is shown as is, the exit code is 1."""

    exit_code = 1


class ConfigError(FatalError):
    """A bad `.dkenv.toml` or bad usage: exit code 2."""

    exit_code = 2


class UsageError(FatalError):
    """A command used wrongly (e.g. a cwd outside the project): exit code 2."""

    exit_code = 2
