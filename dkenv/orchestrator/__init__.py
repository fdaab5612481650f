"""The sequences that cross the packages: `up.py`, the one orchestrator of `dkenv up` (and
of the commands that bring the project up first: exec, run, shell, debug)."""
