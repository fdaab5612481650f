"""The project image: the resolved plan, the Dockerfile text, the build."""
