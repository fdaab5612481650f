"""The service catalog as data: services.toml and its pure reader (entries.py), below
everything that uses it: detect/ proposes services from each entry's detection keys,
services/ resolves and runs them."""
