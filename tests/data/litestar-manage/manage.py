#!/usr/bin/env python
"""The project's command line: Litestar's, with the app preset (not Django's manage.py)."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("LITESTAR_APP", "board.asgi:create_app")
    from litestar.__main__ import run_cli

    sys.exit(run_cli())
