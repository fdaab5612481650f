"""Services beside the project container: the catalog, resolution, specs, `dkenv add`."""
