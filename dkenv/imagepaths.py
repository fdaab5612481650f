"""Paths inside the project image and names inside its build context (constants only)."""

VENV = "/opt/venv"  # the project's virtualenv, owned by the host user
TOOLS = "/opt/dkenv-tools"  # installers (uv, poetry, pipenv), kept out of the project venv
HISTORY_DIR = "/var/lib/dkenv/history"
BUILD_DIR = "/tmp/dkenv-build"  # where the manifests are copied for the dependency step
CONTEXT_MANIFESTS = "manifests"  # folder in the build context holding the manifest files
CONTEXT_SETUP = "setup/setup.sh"
CONTEXT_CA = "ca"
BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
