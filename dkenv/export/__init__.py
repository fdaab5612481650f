"""Files that describe the project to other tools, generated from the same plan as
`dkenv up`: compose.yaml (compose.py), .devcontainer/devcontainer.json (devcontainer.py)
and CI workflows (ci.py). Each is marked as written by dkenv and never replaces a file
dkenv did not write (unless forced)."""
