"""dkenv: a project-local development environment that is a Docker container."""
__version__ = "0.1.0"
