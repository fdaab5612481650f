"""The project: its .dkenv.toml, its names, its env file, the files init writes."""
