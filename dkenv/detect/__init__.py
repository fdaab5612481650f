"""Pure inspection of a project folder: manager, Python, dependencies, framework, needs."""
